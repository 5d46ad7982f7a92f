// Command paired prints, for each benchmark with a side named "bare" beside
// it (BenchmarkX/side=veil and BenchmarkX/side=bare, or BenchmarkX/veil and
// BenchmarkX/bare), the median and quartiles of the per-pass ratios side/bare over the
// passes of a run.sh output file: each pass's two sides ran seconds apart,
// so a slow spell of the machine hits both, which medians taken over the
// whole run (benchstat's) do not guarantee.
//
//	go run ./internal/paired results/2026-11-26c.txt
package main

import (
	"bufio"
	"fmt"
	"os"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
)

var line = regexp.MustCompile(`^Benchmark(\S+?)(-\d+)?\s+\d+\s+([0-9.]+) ns/op`)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: paired <run.sh output file>")
		os.Exit(2)
	}
	f, err := os.Open(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	defer f.Close()
	var passes []map[string]float64
	cur := map[string]float64{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		m := line.FindStringSubmatch(sc.Text())
		if m == nil {
			continue
		}
		if _, seen := cur[m[1]]; seen { // a name comes round again: a new pass
			passes = append(passes, cur)
			cur = map[string]float64{}
		}
		cur[m[1]], _ = strconv.ParseFloat(m[3], 64)
	}
	passes = append(passes, cur)
	ratios := map[string][]float64{}
	for _, p := range passes {
		for name, v := range p {
			base := baseName(name)
			if base == "" || base == name {
				continue
			}
			if base, ok := p[base]; ok {
				ratios[name] = append(ratios[name], v/base)
			}
		}
	}
	names := make([]string, 0, len(ratios))
	for n := range ratios {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		rs := ratios[n]
		slices.Sort(rs)
		fmt.Printf("%-50s n=%-3d median %.3f  quartiles %.3f–%.3f\n", n, len(rs), quantile(rs, 0.5), quantile(rs, 0.25), quantile(rs, 0.75))
	}
}

// baseName is the name of the bare side beside name: the last element
// "side=x" becomes "side=bare" (this module), any other "x" becomes "bare"
// (the redact package's BenchmarkClean/veil). It is "" for a name without
// elements.
func baseName(name string) string {
	i := strings.LastIndex(name, "/")
	if i < 0 {
		return ""
	}
	if strings.HasPrefix(name[i+1:], "side=") {
		return name[:i] + "/side=bare"
	}
	return name[:i] + "/bare"
}

// quantile interpolates the q-quantile of sorted xs.
func quantile(xs []float64, q float64) float64 {
	pos := q * float64(len(xs)-1)
	i := int(pos)
	if i+1 >= len(xs) {
		return xs[len(xs)-1]
	}
	return xs[i] + (pos-float64(i))*(xs[i+1]-xs[i])
}
