package scan

import (
	"bufio"
	"os"
	"slices"
	"strings"
	"testing"
)

// readLines returns the non-empty, non-comment lines of a testdata file, with
// the two-character escape `\n` turned into a newline (for PEM blocks).
func readLines(t testing.TB, name string) []string {
	t.Helper()
	f, err := os.Open(name)
	if err != nil {
		t.Fatalf("open corpus: %v", err)
	}
	defer f.Close()
	var lines []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		l := sc.Text()
		if l == "" || strings.HasPrefix(l, "# ") {
			continue
		}
		lines = append(lines, l)
	}
	if err := sc.Err(); err != nil {
		t.Fatalf("read corpus: %v", err)
	}
	return lines
}

// TestBenignCorpus scans a few hundred realistic log lines with no personal
// data or secrets in them (UUIDs, trace ids, digests, timestamps, durations,
// versions, ports, order numbers, stack traces…) and fails when more than 1%
// of them would be redacted.
func TestBenignCorpus(t *testing.T) {
	lines := readLines(t, "testdata/benign.log")
	if len(lines) < 300 {
		t.Fatalf("benign corpus has %d lines, want 300+", len(lines))
	}
	s := New(All)
	var dst []Match
	hit := 0
	for _, l := range lines {
		dst = s.Scan(dst[:0], l)
		checkMatches(t, l, dst)
		if len(dst) > 0 {
			hit++
			for _, m := range dst {
				t.Logf("over-redaction: %v %q in %q", m.Kind, l[m.Start:m.End], l)
			}
		}
	}
	rate := float64(hit) / float64(len(lines))
	t.Logf("over-redaction rate: %d/%d lines = %.2f%%", hit, len(lines), 100*rate)
	if rate > 0.01 {
		t.Errorf("over-redaction rate %.2f%% is above 1%%", 100*rate)
	}
}

// plant parses a positive-corpus line: each «kind:value» is a planted value.
// It returns the plain text and the expected matches.
func plant(t testing.TB, line string) (string, []Match) {
	t.Helper()
	line = strings.ReplaceAll(line, `\n`, "\n")
	var b strings.Builder
	var want []Match
	for {
		i := strings.Index(line, "«")
		if i < 0 {
			b.WriteString(line)
			break
		}
		j := strings.Index(line, "»")
		c := strings.IndexByte(line[i:], ':')
		if j < i || c < 0 {
			t.Fatalf("bad marker in %q", line)
		}
		k, err := ParseKind(line[i+len("«") : i+c])
		if err != nil {
			t.Fatal(err)
		}
		b.WriteString(line[:i])
		v := line[i+c+1 : j]
		want = append(want, Match{Start: b.Len(), End: b.Len() + len(v), Kind: k})
		b.WriteString(v)
		line = line[j+len("»"):]
	}
	return b.String(), want
}

// TestPositiveCorpus asserts the exact span and kind of every planted value
// in testdata/positive.txt, and that nothing else on the line is matched.
func TestPositiveCorpus(t *testing.T) {
	lines := readLines(t, "testdata/positive.txt")
	s := New(All)
	seen := map[Kind]bool{}
	for _, l := range lines {
		text, want := plant(t, l)
		got := s.Scan(nil, text)
		checkMatches(t, text, got)
		if !slices.Equal(got, want) {
			t.Errorf("in %q\n got %s\nwant %s", text, render(text, got), render(text, want))
		}
		for _, m := range want {
			seen[m.Kind] = true
		}
	}
	for k := Kind(1); k < numKinds; k++ {
		if !seen[k] {
			t.Errorf("positive corpus has no %v line", k)
		}
	}
}

func render(text string, ms []Match) string {
	var parts []string
	for _, m := range ms {
		parts = append(parts, m.Kind.String()+":"+strings.ReplaceAll(text[m.Start:m.End], "\n", `\n`))
	}
	return "[" + strings.Join(parts, " | ") + "]"
}
