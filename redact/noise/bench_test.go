package noise

import (
	"crypto/rand"
	"encoding/binary"
	"testing"
	"time"
)

// BenchmarkInt compares the exact discrete Laplace sampler with reading one
// uint64 from crypto/rand (the baseline cost of its randomness) in the same run.
func BenchmarkInt(b *testing.B) {
	for _, c := range []struct {
		name   string
		eps    float64
		lo, hi int64
	}{{"eps1-0..10000", 1, 0, 10000}, {"eps0.1-0..100", 0.1, 0, 100}, {"eps5-0..1", 5, 0, 1}} {
		m, err := NewInt(c.eps, c.lo, c.hi)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := m.Apply(4200); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	b.Run("baseline-crypto-rand-uint64", func(b *testing.B) {
		b.ReportAllocs()
		var buf [8]byte
		for b.Loop() {
			_, _ = rand.Read(buf[:])
			_ = binary.LittleEndian.Uint64(buf[:])
		}
	})
}

func BenchmarkFloat(b *testing.B) {
	m, err := NewFloat(1, 0, 10000)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := m.Apply(4200.5); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkBucketInt(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		_, _ = BucketInt(34, 10)
	}
}

func BenchmarkEdges(b *testing.B) {
	e, _ := NewEdges(0, 10, 20, 50, 100, 500, 1000)
	b.ReportAllocs()
	for b.Loop() {
		_, _ = e.Bucket(123.4)
	}
}

func BenchmarkRound(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		_, _ = Round(123.456, 0.5)
	}
}

func BenchmarkIPPrefix(b *testing.B) {
	for _, a := range []string{"10.1.2.3", "2001:db8:1:2:3:4:5:6"} {
		b.Run(a, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				_, _ = IPPrefix(a, DefaultIPv4Bits, DefaultIPv6Bits)
			}
		})
	}
}

func BenchmarkTruncateTime(b *testing.B) {
	t := time.Date(2024, 3, 10, 2, 45, 30, 123, time.Local)
	b.ReportAllocs()
	for b.Loop() {
		_, _ = TruncateTime(t, time.Hour)
	}
}

func BenchmarkKeepPrefix(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		_ = KeepPrefix("Alice Müller-Lüdenscheidt", 5)
	}
}
