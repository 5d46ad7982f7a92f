package noise_test

import (
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/veilhq/veil/redact/noise"
)

func ExampleNewInt() {
	// Created once, applied per value. Without WithRand, crypto/rand is used;
	// a fixed stream here keeps the output reproducible.
	m, err := noise.NewInt(1, 0, 100, noise.WithRand(rand.NewChaCha8([32]byte{})))
	if err != nil {
		fmt.Println(err)
		return
	}
	var out []int64
	for _, x := range []int64{42, 42, 42, 1000} {
		y, err := m.Apply(x) // 1000 is clamped to 100 first
		if err != nil {
			fmt.Println(err) // only if the random source fails
			return
		}
		out = append(out, y)
	}
	// The noise is about ±100: one value says little, a mean over many says more.
	fmt.Println(out)
	_, err = noise.NewInt(0, 0, 100)
	fmt.Println(err)
	// Output:
	// [109 35 20 86]
	// noise: epsilon 0 is invalid: it must be a finite number greater than 0
}

func ExampleNewFloat() {
	m, err := noise.NewFloat(1, 0, 10000, noise.WithRand(rand.NewChaCha8([32]byte{1})))
	if err != nil {
		fmt.Println(err)
		return
	}
	// λ = 10000, Λ = 16384: a single value is snapped to the clamp bounds 0
	// or 10000. This is what ε = 1 over the whole range means for one record.
	var out []float64
	for range 8 {
		y, _ := m.Apply(4200.75)
		out = append(out, y)
	}
	fmt.Println(out)
	// Output: [0 0 0 0 0 0 0 10000]
}

func ExampleBucketInt() {
	s, _ := noise.BucketInt(34, 10)
	fmt.Println(s)
	// Output: 30-39
}

func ExampleNewEdges() {
	e, _ := noise.NewEdges(18, 30, 65)
	for _, age := range []float64{12, 18, 42, 80} {
		s, _ := e.Bucket(age)
		fmt.Println(s)
	}
	// Output:
	// <18
	// [18,30)
	// [30,65)
	// >=65
}

func ExampleRound() {
	r, _ := noise.Round(1234.5678, 100)
	fmt.Println(r)
	// Output: 1200
}

func ExampleIPPrefix() {
	for _, a := range []string{"10.1.2.3", "[2001:db8:1:2::7]:443"} {
		p, _ := noise.IPPrefix(a, noise.DefaultIPv4Bits, noise.DefaultIPv6Bits)
		fmt.Println(p)
	}
	// Output:
	// 10.1.2.0/24
	// 2001:db8:1::/48
}

func ExampleTruncateTime() {
	t := time.Date(2024, 3, 10, 2, 45, 0, 0, time.FixedZone("JST", 9*3600))
	day, _ := noise.TruncateTime(t, 24*time.Hour)
	fmt.Println(day) // the UTC day, which here is the day before the local one
	// Output: 2024-03-09 00:00:00 +0000 UTC
}

func ExampleKeepPrefix() {
	fmt.Println(noise.KeepPrefix("Müller", 3))
	// Output: Mül
}
