package noise

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
)

// BucketInt returns the bucket of width width that holds x, written
// "lo-hi" with both ends inclusive: BucketInt(34, 10) is "30-39",
// BucketInt(-5, 10) is "-10--1". Buckets are aligned to multiples of width.
// Width 1 gives "x-x". The bucket at either end of the int64 range is cut
// short rather than overflowing. The error is non-nil when width <= 0.
func BucketInt(x, width int64) (string, error) {
	if width <= 0 {
		return "", fmt.Errorf("noise: bucket width %d is invalid: it must be greater than 0", width)
	}
	lo := x - x%width
	if x%width < 0 {
		lo -= width // floor, not truncation, for negative x
	}
	if x < 0 && lo > x { // lo - width overflowed below MinInt64
		lo = math.MinInt64
	}
	hi := lo + (width - 1)
	if hi < lo { // overflow above MaxInt64
		hi = math.MaxInt64
	}
	var buf [48]byte
	b := strconv.AppendInt(buf[:0], lo, 10)
	b = append(b, '-')
	b = strconv.AppendInt(b, hi, 10)
	return string(b), nil
}

// Edges buckets numbers by explicit, increasing edges e0 < e1 < ... < en.
// A value x falls in "[ei,ei+1)" when ei <= x < ei+1, in "<e0" below the
// first edge and in ">=en" at or above the last one. Edges is immutable and
// safe for concurrent use.
type Edges struct {
	edges  []float64
	labels []string // len(edges)+1: below, each interval, above
}

// NewEdges returns the bucketing defined by edges. It reports an error if
// there are no edges, if an edge is NaN or infinite, or if the edges are not
// strictly increasing.
func NewEdges(edges ...float64) (*Edges, error) {
	if len(edges) == 0 {
		return nil, errors.New("noise: no bucket edges given: pass at least one edge")
	}
	for i, e := range edges {
		if math.IsNaN(e) || math.IsInf(e, 0) {
			return nil, fmt.Errorf("noise: bucket edge %d is %v: edges must be finite", i, e)
		}
		if i > 0 && !(edges[i-1] < e) {
			return nil, fmt.Errorf("noise: bucket edges %v and %v are not strictly increasing", edges[i-1], e)
		}
	}
	b := &Edges{edges: slices.Clone(edges), labels: make([]string, len(edges)+1)}
	f := func(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }
	b.labels[0] = "<" + f(edges[0])
	for i := 0; i+1 < len(edges); i++ {
		b.labels[i+1] = "[" + f(edges[i]) + "," + f(edges[i+1]) + ")"
	}
	b.labels[len(edges)] = ">=" + f(edges[len(edges)-1])
	return b, nil
}

// Bucket returns the label of the bucket that holds x. It does not allocate.
// The error is non-nil when x is NaN.
func (b *Edges) Bucket(x float64) (string, error) {
	if math.IsNaN(x) {
		return "", errors.New("noise: cannot bucket NaN: drop or mark the value instead")
	}
	// Number of edges <= x: 0 means below the first edge.
	i, found := slices.BinarySearch(b.edges, x)
	if found {
		i++
	}
	return b.labels[i], nil
}

// Round returns x rounded to the nearest multiple of step (halves away from
// zero). The error is non-nil when step is not a finite positive number or x
// is NaN or infinite; the result is never NaN or infinite.
func Round(x, step float64) (float64, error) {
	if !(step > 0) || math.IsInf(step, 1) {
		return 0, fmt.Errorf("noise: rounding step %v is invalid: it must be a finite number greater than 0", step)
	}
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return 0, errNotFinite
	}
	r := math.Round(x/step) * step
	if math.IsInf(r, 0) || math.IsNaN(r) {
		// x/step overflowed (tiny step): x is already as fine as step allows.
		return x, nil
	}
	return r, nil
}
