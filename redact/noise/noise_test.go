package noise

import (
	"errors"
	"io"
	"math"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"
)

// seeded returns a reproducible random stream.
func seeded(seed byte) io.Reader {
	var s [32]byte
	s[0] = seed
	return rand.NewChaCha8(s)
}

// failingReader returns n good bytes, then an error.
type failingReader struct{ n int }

var errBroken = errors.New("broken source")

func (f *failingReader) Read(p []byte) (int, error) {
	if f.n <= 0 {
		return 0, errBroken
	}
	k := min(len(p), f.n)
	for i := range p[:k] {
		p[i] = 0xA5
	}
	f.n -= k
	return k, nil
}

func TestNewIntErrors(t *testing.T) {
	tests := []struct {
		name   string
		eps    float64
		lo, hi int64
	}{
		{"zero epsilon", 0, 0, 10},
		{"negative epsilon", -1, 0, 10},
		{"NaN epsilon", math.NaN(), 0, 10},
		{"infinite epsilon", math.Inf(1), 0, 10},
		{"empty bounds", 1, 5, 5},
		{"reversed bounds", 1, 10, 0},
		{"huge bounds", 1, 0, MaxBound + 1},
		{"huge range", 1, -MaxBound, MaxBound},
		{"epsilon too small", 1e-300, 0, 10},
	}
	for _, tt := range tests {
		if m, err := NewInt(tt.eps, tt.lo, tt.hi); err == nil || m != nil {
			t.Errorf("%s: NewInt(%v, %d, %d) = %v, %v; want an error", tt.name, tt.eps, tt.lo, tt.hi, m, err)
		}
	}
	if _, err := NewInt(1, -MaxBound/2, MaxBound/2); err != nil {
		t.Errorf("largest range rejected: %v", err)
	}
}

// twoSidedGeometric is the exact probability of Y = y for the discrete
// Laplace distribution with decay alpha = exp(-gamma).
func twoSidedGeometric(gamma float64, y int64) float64 {
	a := math.Exp(-gamma)
	return (1 - a) / (1 + a) * math.Pow(a, math.Abs(float64(y)))
}

// chiSquare draws n noise values and returns the chi-square statistic of
// their histogram against the two-sided geometric distribution with decay
// wantGamma, and the degrees of freedom.
func chiSquare(t *testing.T, m *Int, x int64, wantGamma float64, n int) (stat float64, df int) {
	t.Helper()
	counts := map[int64]int{}
	for range n {
		y, err := m.Apply(x)
		if err != nil {
			t.Fatal(err)
		}
		counts[y-x]++
	}
	// Cells |y| <= k where the expected count is >= 5; the tails pooled.
	k := int64(0)
	for float64(n)*twoSidedGeometric(wantGamma, k+1) >= 5 {
		k++
	}
	inner := 0.0
	for y := -k; y <= k; y++ {
		e := float64(n) * twoSidedGeometric(wantGamma, y)
		inner += e
		d := float64(counts[y]) - e
		stat += d * d / e
		df++
	}
	var tail int
	for y, c := range counts {
		if y < -k || y > k {
			tail += c
		}
	}
	if e := float64(n) - inner; e >= 5 {
		d := float64(tail) - e
		stat += d * d / e
		df++
	}
	return stat, df - 1
}

// chiSquareCritical approximates the 0.999 quantile of chi-square with df
// degrees of freedom (Wilson–Hilferty).
func chiSquareCritical(df int) float64 {
	const z = 3.0902 // standard normal 0.999 quantile
	k := float64(df)
	c := 1 - 2/(9*k) + z*math.Sqrt(2/(9*k))
	return k * c * c * c
}

func TestIntDistribution(t *testing.T) {
	tests := []struct {
		name   string
		eps    float64
		lo, hi int64
		seed   byte
	}{
		{"blocked sampler (t>1)", 1, 0, 10, 1},
		{"fractional scale", 0.7, -3, 4, 2},
		{"single block (t=1)", 3, 0, 1, 3},
		{"large epsilon", 8, 0, 1, 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := NewInt(tt.eps, tt.lo, tt.hi, WithRand(seeded(tt.seed)))
			if err != nil {
				t.Fatal(err)
			}
			gamma := tt.eps / float64(tt.hi-tt.lo)
			stat, df := chiSquare(t, m, tt.lo, gamma, 50000)
			if crit := chiSquareCritical(df); stat > crit {
				t.Errorf("chi-square %.1f > %.1f (df %d): noise is not discrete Laplace(ε/Δ = %v)", stat, crit, df, gamma)
			}
		})
	}
}

// TestIntDistributionPower shows the goodness-of-fit test can fail: the same
// samples are rejected against a distribution 15% narrower.
func TestIntDistributionPower(t *testing.T) {
	m, err := NewInt(1, 0, 10, WithRand(seeded(1)))
	if err != nil {
		t.Fatal(err)
	}
	stat, df := chiSquare(t, m, 0, 1.15*0.1, 50000)
	if crit := chiSquareCritical(df); stat <= crit {
		t.Errorf("chi-square %.1f <= %.1f: the test does not detect a wrong scale", stat, crit)
	}
}

func TestIntClampsInput(t *testing.T) {
	// With a huge epsilon the noise is almost always 0, so the clamp shows.
	m, err := NewInt(200, 0, 10, WithRand(seeded(5)))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ in, want int64 }{{-1000, 0}, {5, 5}, {math.MaxInt64, 10}, {math.MinInt64, 0}} {
		got, err := m.Apply(tc.in)
		if err != nil || got != tc.want {
			t.Errorf("Apply(%d) = %d, %v; want %d", tc.in, got, err, tc.want)
		}
	}
}

func TestIntReproducible(t *testing.T) {
	run := func() []int64 {
		m, err := NewInt(0.5, 0, 100, WithRand(seeded(9)))
		if err != nil {
			t.Fatal(err)
		}
		out := make([]int64, 50)
		for i := range out {
			if out[i], err = m.Apply(50); err != nil {
				t.Fatal(err)
			}
		}
		return out
	}
	a, b := run(), run()
	distinct := map[int64]bool{}
	for i := range a {
		if a[i] != b[i] {
			t.Fatalf("run differs at %d: %d vs %d", i, a[i], b[i])
		}
		distinct[a[i]] = true
	}
	if len(distinct) < 10 {
		t.Errorf("only %d distinct values in 50 draws: no noise?", len(distinct))
	}
}

func TestRandFailure(t *testing.T) {
	for _, n := range []int{0, 8, 64, 100} {
		mi, _ := NewInt(0.01, 0, 1000, WithRand(&failingReader{n: n}))
		mf, _ := NewFloat(0.01, 0, 1000, WithRand(&failingReader{n: n}))
		var errI, errF error
		for range 50 {
			if _, errI = mi.Apply(1); errI != nil {
				break
			}
		}
		for range 50 {
			if _, errF = mf.Apply(1); errF != nil {
				break
			}
		}
		if !errors.Is(errI, errBroken) || !errors.Is(errF, errBroken) {
			t.Errorf("after %d good bytes: Int error %v, Float error %v; want %v", n, errI, errF, errBroken)
		}
	}
}

func TestNewFloatErrors(t *testing.T) {
	nan, inf := math.NaN(), math.Inf(1)
	tests := []struct {
		name        string
		eps, lo, hi float64
	}{
		{"zero epsilon", 0, 0, 1},
		{"NaN epsilon", nan, 0, 1},
		{"infinite epsilon", inf, 0, 1},
		{"NaN bound", 1, nan, 1},
		{"infinite bound", 1, 0, inf},
		{"empty bounds", 1, 1, 1},
		{"reversed", 1, 2, 1},
		{"huge bound", 1, 0, 1e300},
		{"tiny epsilon", 1e-310, 0, 1e10},
	}
	for _, tt := range tests {
		if m, err := NewFloat(tt.eps, tt.lo, tt.hi); err == nil || m != nil {
			t.Errorf("%s: NewFloat(%v, %v, %v) = %v, %v; want an error", tt.name, tt.eps, tt.lo, tt.hi, m, err)
		}
	}
}

func TestFloatGridAndBounds(t *testing.T) {
	tests := []struct {
		eps, lo, hi, wantGrid float64
	}{
		{1, 0, 10000, 16384},
		{4, -1, 1, 0.5},
		{0.3, 10, 13, 16},
		{64, 0, 1, 1.0 / 64},
		{3, -2.5, 7.25, 4},
	}
	for _, tt := range tests {
		m, err := NewFloat(tt.eps, tt.lo, tt.hi, WithRand(seeded(7)))
		if err != nil {
			t.Fatal(err)
		}
		if m.grid != tt.wantGrid {
			t.Errorf("NewFloat(%v, %v, %v): Λ = %v, want %v", tt.eps, tt.lo, tt.hi, m.grid, tt.wantGrid)
		}
		onGrid := 0
		for i, x := range []float64{tt.lo, tt.hi, (tt.lo + tt.hi) / 2, tt.lo - 1e9, tt.hi + 1e9, math.MaxFloat64, -math.MaxFloat64} {
			for range 500 {
				y, err := m.Apply(x)
				if err != nil {
					t.Fatal(err)
				}
				if math.IsNaN(y) || math.IsInf(y, 0) || y < tt.lo || y > tt.hi {
					t.Fatalf("Apply(%v) = %v: outside [%v, %v]", x, y, tt.lo, tt.hi)
				}
				if y != tt.lo && y != tt.hi {
					if q := y / m.grid; q != math.Trunc(q) {
						t.Fatalf("Apply(%v) = %v: not a multiple of Λ = %v", x, y, m.grid)
					}
					onGrid++
				}
				_ = i
			}
		}
		if tt.hi-tt.lo > 2*m.grid && onGrid == 0 {
			t.Errorf("no result strictly inside the bounds for %+v", tt)
		}
	}
}

func TestFloatNoise(t *testing.T) {
	// Wide bounds, small λ: results centre on x with spread about λ.
	m, err := NewFloat(1, -1e6, 1e6, WithRand(seeded(3)))
	if err != nil {
		t.Fatal(err)
	}
	if m.lambda != 2e6 {
		t.Fatalf("λ = %v", m.lambda)
	}
	m2, _ := NewFloat(1e6, -1e6, 1e6, WithRand(seeded(3))) // λ = 2, Λ = 2
	var sum, sumAbs float64
	distinct := map[float64]bool{}
	const n = 20000
	for range n {
		y, err := m2.Apply(100)
		if err != nil {
			t.Fatal(err)
		}
		sum += y - 100
		sumAbs += math.Abs(y - 100)
		distinct[y] = true
	}
	if mean := sum / n; math.Abs(mean) > 0.1 {
		t.Errorf("mean noise %v, want about 0", mean)
	}
	// E|Laplace(λ=2)| = 2; snapping to the grid of 2 changes it a little.
	if mad := sumAbs / n; mad < 1.5 || mad > 2.6 {
		t.Errorf("mean |noise| %v, want about 2", mad)
	}
	if len(distinct) < 8 {
		t.Errorf("only %d distinct results", len(distinct))
	}
}

func TestFloatNotFinite(t *testing.T) {
	m, _ := NewFloat(1, 0, 1)
	for _, x := range []float64{math.NaN(), math.Inf(1), math.Inf(-1)} {
		if y, err := m.Apply(x); err == nil || y != 0 {
			t.Errorf("Apply(%v) = %v, %v; want an error", x, y, err)
		}
	}
}

func TestFloatReproducible(t *testing.T) {
	a, _ := NewFloat(2, 0, 100, WithRand(seeded(11)))
	b, _ := NewFloat(2, 0, 100, WithRand(seeded(11)))
	for i := range 100 {
		ya, _ := a.Apply(float64(i))
		yb, _ := b.Apply(float64(i))
		if ya != yb {
			t.Fatalf("draw %d: %v vs %v", i, ya, yb)
		}
	}
}

func TestConcurrentApply(t *testing.T) {
	mi, _ := NewInt(1, 0, 100, WithRand(seeded(1))) // the reader is not concurrency-safe itself
	mf, _ := NewFloat(1, 0, 100)                    // crypto/rand
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for range 500 {
				if _, err := mi.Apply(50); err != nil {
					t.Error(err)
					return
				}
				if y, err := mf.Apply(50); err != nil || y < 0 || y > 100 {
					t.Error(y, err)
					return
				}
			}
		})
	}
	wg.Wait()
}

func TestBernoulliExact(t *testing.T) {
	// The exact Bernoulli sampler against its float parameter.
	b := source{r: seeded(21), mu: new(sync.Mutex)}.get()
	defer b.put()
	for _, p := range []float64{0, 1, 0.5, 0.25, 1.0 / 3, 0.9, 1e-3, math.Exp(-1)} {
		const n = 40000
		hits := 0
		for range n {
			if b.bernoulli(p) {
				hits++
			}
		}
		sd := math.Sqrt(p * (1 - p) / n)
		if got := float64(hits) / n; math.Abs(got-p) > 5*sd+1e-12 {
			t.Errorf("bernoulli(%v): frequency %v", p, got)
		}
	}
	for _, x := range []float64{0, 0.1, 1, 2.5} {
		const n = 40000
		hits := 0
		for range n {
			if b.bernoulliExpNeg(x) {
				hits++
			}
		}
		p := math.Exp(-x)
		sd := math.Sqrt(p * (1 - p) / n)
		if got := float64(hits) / n; math.Abs(got-p) > 5*sd+1e-12 {
			t.Errorf("bernoulliExpNeg(%v): frequency %v, want %v", x, got, p)
		}
	}
	if b.err != nil {
		t.Fatal(b.err)
	}
}

func TestUniform01(t *testing.T) {
	b := source{r: seeded(22), mu: new(sync.Mutex)}.get()
	defer b.put()
	var below [4]int
	for range 40000 {
		u := b.uniform01()
		if !(u > 0 && u < 1) {
			t.Fatalf("uniform01 = %v", u)
		}
		below[int(u*4)]++
	}
	for i, c := range below {
		if c < 9400 || c > 10600 {
			t.Errorf("quarter %d holds %d of 40000", i, c)
		}
	}
	// A stream of zero bits gives the smallest double, not 0.
	z := source{r: strings.NewReader(strings.Repeat("\x00", 4096))}.get()
	if u := z.uniform01(); u <= 0 || z.err != nil {
		t.Errorf("all-zero stream: %v, %v", u, z.err)
	}
}
