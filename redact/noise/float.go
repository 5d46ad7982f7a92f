package noise

import (
	"errors"
	"fmt"
	"math"
)

// Float applies the snapping mechanism (Mironov 2012) to float64 values:
// Apply(x) = clamp(round_Λ(clamp(x) + S·λ·ln U)), where clamp is to [lo, hi],
// λ = (hi-lo)/epsilon, Λ is the smallest power of two >= λ, round_Λ rounds to
// the nearest multiple of Λ, S is a uniform sign and U is uniform in (0, 1)
// at full precision. Snapping to the Λ grid hides the low-order bits through
// which plain floating-point Laplace noise leaks the input.
//
// Results are therefore multiples of Λ within [lo, hi], or lo or hi
// themselves when clamped. Mironov's analysis gives a guarantee slightly
// weaker than epsilon (by a relative amount of order 2^-49·max(|lo|,|hi|)/λ);
// it is written for bounds symmetric around zero, which [lo, hi] need not be.
//
// A Float is safe for concurrent use.
type Float struct {
	lo, hi float64
	lambda float64 // (hi-lo)/epsilon
	grid   float64 // Λ
	src    source
}

// NewFloat returns the snapping mechanism with privacy parameter epsilon for
// values clamped to [lo, hi]. It reports an error if epsilon is not a finite
// positive number, if a bound is NaN or infinite, if lo >= hi, or if a bound
// exceeds [MaxBound] in magnitude.
func NewFloat(epsilon, lo, hi float64, opts ...Option) (*Float, error) {
	if err := checkEpsilon(epsilon); err != nil {
		return nil, err
	}
	if math.IsNaN(lo) || math.IsNaN(hi) || math.IsInf(lo, 0) || math.IsInf(hi, 0) {
		return nil, fmt.Errorf("noise: bounds [%v, %v] must be finite numbers", lo, hi)
	}
	if !(lo < hi) {
		return nil, fmt.Errorf("noise: bounds [%v, %v] are empty: lo must be less than hi", lo, hi)
	}
	if lo < -MaxBound || hi > MaxBound {
		return nil, fmt.Errorf("noise: bounds [%v, %v] exceed ±2^53: clamp values to a smaller range", lo, hi)
	}
	lambda := (hi - lo) / epsilon
	if !(lambda > 0) || math.IsInf(lambda, 0) || lambda > math.MaxFloat64/1024 {
		return nil, fmt.Errorf("noise: (hi-lo)/epsilon = %v cannot be represented: raise epsilon", lambda)
	}
	return &Float{lo: lo, hi: hi, lambda: lambda, grid: pow2Ceil(lambda), src: newSource(opts)}, nil
}

// pow2Ceil returns the smallest power of two >= x, x > 0.
func pow2Ceil(x float64) float64 {
	frac, exp := math.Frexp(x) // x = frac·2^exp, frac in [0.5, 1)
	if frac == 0.5 {
		return x
	}
	return math.Ldexp(1, exp)
}

// errNotFinite is returned by Apply for NaN and infinite inputs.
var errNotFinite = errors.New("noise: value is NaN or infinite: there is nothing to blur; drop or mark it instead")

// Apply returns the snapped, noisy value of x. The error is non-nil when x is
// NaN or infinite, or when the random source fails; the value is then 0.
// The result is never NaN or infinite.
func (m *Float) Apply(x float64) (float64, error) {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return 0, errNotFinite
	}
	x = min(max(x, m.lo), m.hi)
	b := m.src.get()
	defer b.put()
	neg := b.uint64()&1 == 1
	u := b.uniform01()
	if b.err != nil {
		return 0, b.err
	}
	n := m.lambda * math.Log(u) // <= 0, finite: u >= 2^-1074
	if neg {
		n = -n
	}
	y := math.Round((x+n)/m.grid) * m.grid // dividing by a power of two is exact
	return min(max(y, m.lo), m.hi), nil
}
