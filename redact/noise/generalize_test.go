package noise

import (
	"math"
	"net/netip"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

func TestBucketInt(t *testing.T) {
	tests := []struct {
		x, width int64
		want     string
	}{
		{34, 10, "30-39"},
		{30, 10, "30-39"},
		{39, 10, "30-39"},
		{0, 10, "0-9"},
		{-1, 10, "-10--1"},
		{-10, 10, "-10--1"},
		{-11, 10, "-20--11"},
		{7, 1, "7-7"},
		{math.MaxInt64, 10, "9223372036854775800-9223372036854775807"},
		{math.MinInt64, 10, "-9223372036854775808--9223372036854775799"},
		{math.MinInt64 + 1, 3, "-9223372036854775808--9223372036854775806"},
		{5, math.MaxInt64, "0-9223372036854775806"},
		{-5, math.MaxInt64, "-9223372036854775807--1"},
	}
	for _, tt := range tests {
		got, err := BucketInt(tt.x, tt.width)
		if err != nil || got != tt.want {
			t.Errorf("BucketInt(%d, %d) = %q, %v; want %q", tt.x, tt.width, got, err, tt.want)
		}
	}
	for _, w := range []int64{0, -1, math.MinInt64} {
		if _, err := BucketInt(1, w); err == nil {
			t.Errorf("BucketInt(1, %d): no error", w)
		}
	}
}

func TestEdges(t *testing.T) {
	e, err := NewEdges(10, 20, 50.5)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		x    float64
		want string
	}{
		{-1, "<10"}, {9.999, "<10"}, {10, "[10,20)"}, {19.5, "[10,20)"}, {20, "[20,50.5)"},
		{50.4, "[20,50.5)"}, {50.5, ">=50.5"}, {1e300, ">=50.5"}, {math.Inf(1), ">=50.5"}, {math.Inf(-1), "<10"},
	}
	for _, tt := range tests {
		got, err := e.Bucket(tt.x)
		if err != nil || got != tt.want {
			t.Errorf("Bucket(%v) = %q, %v; want %q", tt.x, got, err, tt.want)
		}
	}
	if _, err := e.Bucket(math.NaN()); err == nil {
		t.Error("Bucket(NaN): no error")
	}
	for _, bad := range [][]float64{nil, {1, 1}, {2, 1}, {0, math.NaN()}, {math.Inf(-1), 0}} {
		if _, err := NewEdges(bad...); err == nil {
			t.Errorf("NewEdges(%v): no error", bad)
		}
	}
	one, err := NewEdges(0)
	if err != nil {
		t.Fatal(err)
	}
	if a, _ := one.Bucket(-1); a != "<0" {
		t.Errorf("single edge below: %q", a)
	}
	if b, _ := one.Bucket(0); b != ">=0" {
		t.Errorf("single edge at: %q", b)
	}
	// The caller's slice may change afterwards.
	edges := []float64{1, 2}
	e2, _ := NewEdges(edges...)
	edges[0] = 100
	if got, _ := e2.Bucket(1.5); got != "[1,2)" {
		t.Errorf("NewEdges kept a reference to its argument: %q", got)
	}
}

func TestRound(t *testing.T) {
	tests := []struct{ x, step, want float64 }{
		{123.456, 0.1, 123.5}, {123.456, 10, 120}, {125, 10, 130}, {-125, 10, -130}, {0.2, 0.5, 0},
		{7, 1, 7}, {1e308, 1e-308, 1e308},
	}
	for _, tt := range tests {
		got, err := Round(tt.x, tt.step)
		if err != nil || math.Abs(got-tt.want) > 1e-9*math.Max(1, math.Abs(tt.want)) {
			t.Errorf("Round(%v, %v) = %v, %v; want %v", tt.x, tt.step, got, err, tt.want)
		}
	}
	for _, tc := range []struct{ x, step float64 }{{1, 0}, {1, -1}, {1, math.NaN()}, {1, math.Inf(1)}, {math.NaN(), 1}, {math.Inf(-1), 1}} {
		if _, err := Round(tc.x, tc.step); err == nil {
			t.Errorf("Round(%v, %v): no error", tc.x, tc.step)
		}
	}
}

func TestIPPrefix(t *testing.T) {
	tests := []struct {
		addr   string
		v4, v6 int
		want   string
	}{
		{"10.1.2.3", DefaultIPv4Bits, DefaultIPv6Bits, "10.1.2.0/24"},
		{"10.1.2.3:443", 24, 48, "10.1.2.0/24"},
		{"10.1.2.3", 16, 48, "10.1.0.0/16"},
		{"10.1.2.3", 32, 48, "10.1.2.3/32"},
		{"10.1.2.3", 0, 48, "0.0.0.0/0"},
		{"::ffff:10.1.2.3", 24, 48, "10.1.2.0/24"},
		{"2001:db8:1:2:3:4:5:6", 24, 48, "2001:db8:1::/48"},
		{"[2001:db8:1:2::1]:8080", 24, 64, "2001:db8:1:2::/64"},
		{"fe80::1%eth0", 24, 16, "fe80::/16"},
	}
	for _, tt := range tests {
		got, err := IPPrefix(tt.addr, tt.v4, tt.v6)
		if err != nil || got != tt.want {
			t.Errorf("IPPrefix(%q, %d, %d) = %q, %v; want %q", tt.addr, tt.v4, tt.v6, got, err, tt.want)
		}
		if err == nil {
			if _, err := netip.ParsePrefix(got); err != nil {
				t.Errorf("result %q does not parse: %v", got, err)
			}
		}
	}
	const canary = "alice@example.com-secret-value"
	for _, bad := range []string{"", "not-an-ip", "10.1.2", "10.1.2.3.4", "1.2.3.4:99999", canary, "\xff\xfe"} {
		_, err := IPPrefix(bad, 24, 48)
		if err == nil {
			t.Errorf("IPPrefix(%q): no error", bad)
		} else if len(bad) > 8 && strings.Contains(err.Error(), bad) {
			t.Errorf("error %q repeats the whole input", err)
		}
	}
	for _, bits := range [][2]int{{-1, 48}, {33, 48}, {24, -1}, {24, 129}} {
		if _, err := IPPrefix("10.1.2.3", bits[0], bits[1]); err == nil {
			t.Errorf("IPPrefix with /%d, /%d: no error", bits[0], bits[1])
		}
	}
}

func TestTruncateTime(t *testing.T) {
	tokyo := time.FixedZone("JST", 9*3600)
	in := time.Date(2024, 3, 10, 2, 45, 30, 123, tokyo) // 2024-03-09 17:45:30 UTC
	tests := []struct {
		unit time.Duration
		want time.Time
	}{
		{time.Hour, time.Date(2024, 3, 9, 17, 0, 0, 0, time.UTC)},
		{24 * time.Hour, time.Date(2024, 3, 9, 0, 0, 0, 0, time.UTC)},
		{15 * time.Minute, time.Date(2024, 3, 9, 17, 45, 0, 0, time.UTC)},
	}
	for _, tt := range tests {
		got, err := TruncateTime(in, tt.unit)
		if err != nil || !got.Equal(tt.want) || got.Location() != time.UTC {
			t.Errorf("TruncateTime(%v, %v) = %v, %v; want %v UTC", in, tt.unit, got, err, tt.want)
		}
	}
	if got, _ := TruncateTime(time.Now(), time.Hour); got.Minute() != 0 || got.Second() != 0 || got.Nanosecond() != 0 {
		t.Errorf("now truncated to the hour: %v", got)
	}
	for _, u := range []time.Duration{0, -time.Hour} {
		if _, err := TruncateTime(in, u); err == nil {
			t.Errorf("TruncateTime with unit %v: no error", u)
		}
	}
}

func TestKeepPrefix(t *testing.T) {
	tests := []struct {
		s    string
		n    int
		want string
	}{
		{"hello", 3, "hel"}, {"hello", 5, "hello"}, {"hello", 10, "hello"}, {"", 3, ""}, {"abc", 0, ""},
		{"abc", -1, ""}, {"héllo", 2, "hé"}, {"日本語テキスト", 3, "日本語"}, {"👍🏽x", 1, "👍"},
		{"a\xffb", 2, "a\uFFFD"}, {"\xff\xfe\xfd", 2, "\uFFFD\uFFFD"}, {"ab\xff", 2, "ab"},
	}
	for _, tt := range tests {
		got := KeepPrefix(tt.s, tt.n)
		if got != tt.want {
			t.Errorf("KeepPrefix(%q, %d) = %q, want %q", tt.s, tt.n, got, tt.want)
		}
	}
}

func FuzzBucketInt(f *testing.F) {
	f.Add(int64(34), int64(10))
	f.Add(int64(math.MinInt64), int64(7))
	f.Add(int64(math.MaxInt64), int64(math.MaxInt64))
	f.Fuzz(func(t *testing.T, x, w int64) {
		s, err := BucketInt(x, w)
		if w <= 0 {
			if err == nil {
				t.Fatal("no error for width", w)
			}
			return
		}
		if err != nil {
			t.Fatal(err)
		}
		var lo, hi int64
		i := strings.Index(s[1:], "-") + 1
		if _, err := parseInt(s[:i], &lo); err != nil {
			t.Fatalf("%q: %v", s, err)
		}
		if _, err := parseInt(s[i+1:], &hi); err != nil {
			t.Fatalf("%q: %v", s, err)
		}
		if x < lo || x > hi || hi < lo || (hi-lo != w-1 && lo != math.MinInt64 && hi != math.MaxInt64) {
			t.Fatalf("BucketInt(%d, %d) = %q", x, w, s)
		}
	})
}

func FuzzEdgesRound(f *testing.F) {
	f.Add(1.5, 0.5, 10.0)
	f.Add(math.Inf(1), 1e-300, -1.0)
	f.Fuzz(func(t *testing.T, x, step, edge float64) {
		if r, err := Round(x, step); err == nil && (math.IsNaN(r) || math.IsInf(r, 0)) {
			t.Fatalf("Round(%v, %v) = %v", x, step, r)
		}
		e, err := NewEdges(edge, edge+1)
		if err != nil {
			return
		}
		if s, err := e.Bucket(x); err == nil && s == "" {
			t.Fatalf("empty label for %v", x)
		}
	})
}

func FuzzIPPrefix(f *testing.F) {
	for _, s := range []string{"10.1.2.3", "[::1]:80", "::ffff:1.2.3.4", "fe80::1%eth0", "x"} {
		f.Add(s, 24, 48)
	}
	f.Fuzz(func(t *testing.T, addr string, v4, v6 int) {
		p, err := IPPrefix(addr, v4, v6)
		if err != nil {
			return
		}
		pp, err := netip.ParsePrefix(p)
		if err != nil || pp.Masked() != pp {
			t.Fatalf("IPPrefix(%q) = %q: not a masked prefix (%v)", addr, p, err)
		}
	})
}

func FuzzKeepPrefix(f *testing.F) {
	f.Add("héllo wörld", 3)
	f.Add("\xff\xfe", 1)
	f.Fuzz(func(t *testing.T, s string, n int) {
		got := KeepPrefix(s, n)
		if !utf8.ValidString(got) {
			t.Fatalf("KeepPrefix(%q, %d) = %q: invalid UTF-8", s, n, got)
		}
		if c := utf8.RuneCountInString(got); c > max(n, 0) {
			t.Fatalf("KeepPrefix(%q, %d) = %q: %d runes", s, n, got, c)
		}
		if utf8.ValidString(s) && !strings.HasPrefix(s, got) {
			t.Fatalf("KeepPrefix(%q, %d) = %q: not a prefix", s, n, got)
		}
	})
}

func parseInt(s string, v *int64) (int64, error) {
	n, err := strconv.ParseInt(s, 10, 64)
	*v = n
	return n, err
}
