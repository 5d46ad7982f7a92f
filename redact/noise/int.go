package noise

import (
	"fmt"
	"math"
)

// MaxBound is the largest magnitude accepted for the bounds of [Int] and
// [Float]: 2^53, below which every integer is exact in a float64, so the
// sensitivity and the noise scale are computed exactly.
const MaxBound = 1 << 53

// Int adds discrete Laplace noise to integers: Apply(x) returns
// clamp(x, lo, hi) + Y with P(Y = y) proportional to exp(-epsilon·|y|/(hi-lo)).
// The result is not clamped again, so it may fall outside [lo, hi]; averages
// of many results are unbiased estimates of averages of the clamped inputs.
//
// An Int is safe for concurrent use.
type Int struct {
	lo, hi int64
	eps    float64
	gamma  float64 // epsilon / (hi-lo): the decay per unit of |y|
	t      uint64  // block size for sampling the geometric magnitude
	gammaT float64 // gamma·t, <= 1 when t > 1
	src    source
}

// NewInt returns the discrete Laplace mechanism with privacy parameter
// epsilon for values clamped to [lo, hi]. It reports an error if epsilon is
// not a finite positive number, if lo >= hi, if a bound exceeds [MaxBound] in
// magnitude, or if (hi-lo)/epsilon exceeds MaxBound (epsilon too small to
// sample exactly; use wider buckets instead).
func NewInt(epsilon float64, lo, hi int64, opts ...Option) (*Int, error) {
	if err := checkEpsilon(epsilon); err != nil {
		return nil, err
	}
	if lo >= hi {
		return nil, fmt.Errorf("noise: bounds [%d, %d] are empty: lo must be less than hi", lo, hi)
	}
	if lo < -MaxBound || hi > MaxBound || hi-lo > MaxBound {
		return nil, fmt.Errorf("noise: bounds [%d, %d] are too large: both bounds and hi-lo must be within 2^53", lo, hi)
	}
	delta := float64(hi - lo) // exact below 2^53
	scale := delta / epsilon
	if !(scale <= MaxBound) {
		return nil, fmt.Errorf("noise: (hi-lo)/epsilon = %g exceeds 2^53: raise epsilon or narrow the bounds", scale)
	}
	m := &Int{lo: lo, hi: hi, eps: epsilon, gamma: epsilon / delta, src: newSource(opts)}
	m.t = uint64(math.Max(1, math.Floor(scale)))
	m.gammaT = m.gamma * float64(m.t)
	return m, nil
}

func checkEpsilon(epsilon float64) error {
	if !(epsilon > 0) || math.IsInf(epsilon, 1) {
		return fmt.Errorf("noise: epsilon %v is invalid: it must be a finite number greater than 0", epsilon)
	}
	return nil
}

// Apply returns x clamped to [lo, hi] plus discrete Laplace noise. The
// error is non-nil only when the random source fails; the value is then 0.
func (m *Int) Apply(x int64) (int64, error) {
	x = min(max(x, m.lo), m.hi)
	b := m.src.get()
	defer b.put()
	y := m.sample(b)
	if b.err != nil {
		return 0, b.err
	}
	return x + y, nil
}

// maxNoise bounds the noise magnitude so that x + y cannot overflow. It is
// reached with probability below exp(-2^9) for every accepted parameter.
const maxNoise = 1 << 62

// sample draws Y from the two-sided geometric distribution
// P(Y=y) ∝ exp(-gamma·|y|): a magnitude G >= 0 with P(G=g) ∝ exp(-gamma·g)
// and a uniform sign, rejecting "negative zero" so 0 is not counted twice
// (Canonne, Kamath, Steinke 2020, Algorithm 2).
func (m *Int) sample(b *bitsBuf) int64 {
	for b.err == nil {
		g := m.geometric(b)
		neg := b.uint64()&1 == 1
		if neg && g == 0 {
			continue
		}
		if neg {
			return -int64(g)
		}
		return int64(g)
	}
	return 0
}

// geometric draws G with P(G=g) ∝ exp(-gamma·g) as G = t·V + U: U on
// {0..t-1} with P(U=u) ∝ exp(-gamma·u) by rejection from a uniform, and V
// geometric with ratio exp(-gamma·t) by counting successes. Both steps use
// exact Bernoulli(exp(-x)) trials.
func (m *Int) geometric(b *bitsBuf) uint64 {
	var u uint64
	if m.t > 1 {
		for b.err == nil {
			u = b.uintn(m.t)
			if b.bernoulliExpNeg(m.gamma * float64(u)) {
				break
			}
		}
	}
	var v uint64
	for b.err == nil && b.bernoulliExpNeg(m.gammaT) {
		v++
		if v >= maxNoise/m.t {
			break
		}
	}
	return min(m.t*v+u, maxNoise)
}
