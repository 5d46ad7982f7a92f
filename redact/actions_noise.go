package redact

import (
	"fmt"
	"io"
	"log/slog"
	"math"
	"net/netip"
	"strconv"
	"sync"
	"time"

	"github.com/veilhq/veil/redact/noise"
)

// markerNoise replaces a value whose noise could not be drawn.
const markerNoise = "[UNAVAILABLE: noise failed]"

// Noise replaces numbers by noisy ones, useful in aggregate only: integers
// get discrete Laplace noise and floating-point numbers the snapping
// mechanism, both with privacy parameter epsilon for values clamped to
// [lo, hi] (see package noise, and what it says about what noise does not
// protect). Numeric strings are parsed and blurred; anything else under the
// rule is replaced by [Redacted]. Integer bounds keep integers integral.
//
// Randomness comes from crypto/rand, or from [WithNoiseRand]. If it cannot be
// read, the value is replaced by a marker and the error goes to
// otel.Handle.
func Noise(epsilon, lo, hi float64) Action { return &noiseAction{eps: epsilon, lo: lo, hi: hi} }

// Bucket replaces a number by the bucket of the given width that holds it,
// written "lo-hi": Bucket(10) turns 34 into "30-39". Floats are bucketed by
// their floor, numeric strings are parsed, and anything else under the rule
// is replaced by [Redacted].
func Bucket(width int64) Action { return generalizeAction{kind: genBucket, width: width} }

// Round rounds a number to the nearest multiple of step (halves away from
// zero): Round(100) turns 1234 into 1200. Integers stay integers when step is
// a whole number; numeric strings are parsed and stay strings; anything else
// under the rule is replaced by [Redacted].
func Round(step float64) Action { return generalizeAction{kind: genRound, step: step} }

// IPPrefix replaces an IP address (with or without a port) by its network
// prefix, v4Bits long for IPv4 and v6Bits for IPv6: IPPrefix(24, 48) turns
// "203.0.113.7:443" into "203.0.113.0/24". A value that is not an IP address
// is replaced by [Redacted].
func IPPrefix(v4Bits, v6Bits int) Action {
	return generalizeAction{kind: genIPPrefix, v4: v4Bits, v6: v6Bits}
}

// Coarsen truncates a timestamp to a multiple of unit in UTC: Coarsen(time.Hour)
// keeps the hour. It accepts time values, RFC 3339 strings (the result keeps
// the format) and Unix timestamps as integers, whose unit (s, ms, µs or ns)
// is told from their magnitude; durations are truncated to a multiple of
// unit. Anything else under the rule is replaced by [Redacted].
func Coarsen(unit time.Duration) Action { return generalizeAction{kind: genCoarsen, unit: unit} }

// --- noise ---

type noiseAction struct{ eps, lo, hi float64 }

// mechanisms are the noise samplers of one Noise action in one Redactor.
type mechanisms struct {
	i *noise.Int // nil when the bounds are not whole numbers
	f *noise.Float
}

func (a *noiseAction) build(opts []noise.Option) (*mechanisms, error) {
	f, err := noise.NewFloat(a.eps, a.lo, a.hi, opts...)
	if err != nil {
		return nil, err
	}
	m := &mechanisms{f: f}
	if a.lo == math.Trunc(a.lo) && a.hi == math.Trunc(a.hi) {
		if m.i, err = noise.NewInt(a.eps, int64(a.lo), int64(a.hi), opts...); err != nil {
			return nil, err
		}
	}
	return m, nil
}

func (a *noiseAction) apply(r *Redactor, v slog.Value) (slog.Value, bool) {
	var m *mechanisms
	if r.ext != nil {
		m = r.ext.noise[a]
	}
	if m == nil {
		// Not compiled by New (an action used outside WithRule): fail closed.
		return slog.StringValue(Redacted), true
	}
	out, err := m.apply(v)
	if err != nil {
		reportError(fmt.Errorf("veil: %v: %w; the value was replaced by %s", a, err, markerNoise))
		return slog.StringValue(markerNoise), true
	}
	return out, true
}

func (m *mechanisms) apply(v slog.Value) (slog.Value, error) {
	switch v.Kind() {
	case slog.KindInt64:
		return m.int(v.Int64())
	case slog.KindUint64:
		if u := v.Uint64(); u <= math.MaxInt64 {
			return m.int(int64(u))
		}
		return m.float(float64(v.Uint64()))
	case slog.KindFloat64:
		return m.float(v.Float64())
	case slog.KindDuration:
		out, err := m.int(int64(v.Duration()))
		if err != nil || out.Kind() != slog.KindInt64 {
			return out, err
		}
		return slog.DurationValue(time.Duration(out.Int64())), nil
	case slog.KindString:
		s := v.String()
		if i, err := strconv.ParseInt(s, 10, 64); err == nil {
			out, err := m.int(i)
			return slog.StringValue(out.String()), err
		}
		if f, err := strconv.ParseFloat(s, 64); err == nil {
			out, err := m.float(f)
			return slog.StringValue(out.String()), err
		}
	}
	return slog.StringValue(Redacted), nil
}

func (m *mechanisms) int(x int64) (slog.Value, error) {
	if m.i == nil {
		return m.float(float64(x))
	}
	y, err := m.i.Apply(x)
	return slog.Int64Value(y), err
}

func (m *mechanisms) float(x float64) (slog.Value, error) {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return slog.StringValue(Redacted), nil // nothing to blur
	}
	y, err := m.f.Apply(x)
	return slog.Float64Value(y), err
}

func (*noiseAction) composite(*Redactor) (slog.Value, bool, bool) {
	return slog.StringValue(Redacted), true, false
}
func (*noiseAction) final() bool { return true }
func (a *noiseAction) check(*config) error {
	_, err := a.build(nil)
	return err
}
func (a *noiseAction) String() string { return fmt.Sprintf("Noise(%v, %v, %v)", a.eps, a.lo, a.hi) }

// lockedReader serializes reads from one reader shared by several
// mechanisms.
type lockedReader struct {
	mu sync.Mutex
	r  io.Reader
}

func (l *lockedReader) Read(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.r.Read(p)
}

// --- generalization ---

type genKind uint8

const (
	genBucket genKind = iota + 1
	genRound
	genIPPrefix
	genCoarsen
)

func (k genKind) String() string {
	switch k {
	case genBucket:
		return "bucket"
	case genRound:
		return "round"
	case genIPPrefix:
		return "ip_prefix"
	case genCoarsen:
		return "coarsen"
	}
	return "other"
}

type generalizeAction struct {
	kind   genKind
	width  int64
	step   float64
	v4, v6 int
	unit   time.Duration
}

func (a generalizeAction) apply(_ *Redactor, v slog.Value) (slog.Value, bool) {
	var out slog.Value
	var ok bool
	switch a.kind {
	case genBucket:
		out, ok = a.bucket(v)
	case genRound:
		out, ok = a.round(v)
	case genIPPrefix:
		if v.Kind() == slog.KindString {
			out, ok = a.ipPrefix(v.String())
		}
	case genCoarsen:
		out, ok = a.coarsen(v)
	}
	if !ok {
		return slog.StringValue(Redacted), true
	}
	return out, true
}

// number reads v as an integer (isInt) or a float; ok is false for
// non-numbers.
func number(v slog.Value) (i int64, f float64, isInt, isString, ok bool) {
	switch v.Kind() {
	case slog.KindInt64:
		return v.Int64(), 0, true, false, true
	case slog.KindUint64:
		if u := v.Uint64(); u <= math.MaxInt64 {
			return int64(u), 0, true, false, true
		}
		return 0, float64(v.Uint64()), false, false, true
	case slog.KindFloat64:
		f := v.Float64()
		return 0, f, false, false, !math.IsNaN(f) && !math.IsInf(f, 0)
	case slog.KindString:
		if i, err := strconv.ParseInt(v.String(), 10, 64); err == nil {
			return i, 0, true, true, true
		}
		if f, err := strconv.ParseFloat(v.String(), 64); err == nil && !math.IsNaN(f) && !math.IsInf(f, 0) {
			return 0, f, false, true, true
		}
	}
	return 0, 0, false, false, false
}

func (a generalizeAction) bucket(v slog.Value) (slog.Value, bool) {
	i, f, isInt, _, ok := number(v)
	if !ok {
		if v.Kind() == slog.KindString && a.isBucket(v.String()) {
			return v, true // bucketed already, e.g. by the slog handler
		}
		return slog.Value{}, false
	}
	if !isInt {
		fl := math.Floor(f)
		if fl < math.MinInt64 || fl >= math.MaxInt64 {
			return slog.Value{}, false
		}
		i = int64(fl)
	}
	s, err := noise.BucketInt(i, a.width)
	return slog.StringValue(s), err == nil
}

// ipPrefix truncates an address, or a prefix such as one this action made
// already (so that applying it twice keeps the prefix).
func (a generalizeAction) ipPrefix(s string) (slog.Value, bool) {
	if p, err := netip.ParsePrefix(s); err == nil {
		bits := a.v6
		if p.Addr().Unmap().Is4() {
			bits = a.v4
		}
		if p.Bits() <= bits {
			return slog.StringValue(p.Masked().String()), true
		}
		s = p.Addr().String()
	}
	out, err := noise.IPPrefix(s, a.v4, a.v6)
	return slog.StringValue(out), err == nil
}

// isBucket reports whether s is a label this action produces, so that
// bucketing twice (slog handler, then log processor) keeps the bucket.
func (a generalizeAction) isBucket(s string) bool {
	for i := 1; i < len(s) && i < 21; i++ {
		if s[i] != '-' {
			continue
		}
		if lo, err := strconv.ParseInt(s[:i], 10, 64); err == nil {
			if b, err := noise.BucketInt(lo, a.width); err == nil && b == s {
				return true
			}
		}
	}
	return false
}

func (a generalizeAction) round(v slog.Value) (slog.Value, bool) {
	if v.Kind() == slog.KindDuration {
		r, err := noise.Round(float64(v.Duration()), a.step)
		return slog.DurationValue(time.Duration(r)), err == nil && math.Abs(r) < math.MaxInt64
	}
	i, f, isInt, isString, ok := number(v)
	if !ok {
		return slog.Value{}, false
	}
	if isInt {
		f = float64(i)
	}
	r, err := noise.Round(f, a.step)
	if err != nil {
		return slog.Value{}, false
	}
	var out slog.Value
	if isInt && a.step == math.Trunc(a.step) && math.Abs(r) < 1<<53 {
		out = slog.Int64Value(int64(r))
	} else {
		out = slog.Float64Value(r)
	}
	if isString {
		return slog.StringValue(out.String()), true
	}
	return out, true
}

func (a generalizeAction) coarsen(v slog.Value) (slog.Value, bool) {
	switch v.Kind() {
	case slog.KindTime:
		t, err := noise.TruncateTime(v.Time(), a.unit)
		return slog.TimeValue(t), err == nil
	case slog.KindDuration:
		return slog.DurationValue(v.Duration().Truncate(a.unit)), true
	case slog.KindString:
		s := v.String()
		for _, layout := range []string{time.RFC3339Nano, time.RFC3339} {
			if t, err := time.Parse(layout, s); err == nil {
				t, err = noise.TruncateTime(t, a.unit)
				return slog.StringValue(t.Format(layout)), err == nil
			}
		}
	case slog.KindInt64:
		x := v.Int64()
		var t time.Time
		unit := unixUnit(x)
		switch unit {
		case time.Second:
			t = time.Unix(x, 0)
		case time.Millisecond:
			t = time.UnixMilli(x)
		case time.Microsecond:
			t = time.UnixMicro(x)
		default:
			t = time.Unix(0, x)
		}
		t, err := noise.TruncateTime(t, a.unit)
		if err != nil {
			return slog.Value{}, false
		}
		switch unit {
		case time.Second:
			return slog.Int64Value(t.Unix()), true
		case time.Millisecond:
			return slog.Int64Value(t.UnixMilli()), true
		case time.Microsecond:
			return slog.Int64Value(t.UnixMicro()), true
		}
		return slog.Int64Value(t.UnixNano()), true
	}
	return slog.Value{}, false
}

// unixUnit tells the unit of a Unix timestamp from its magnitude: seconds
// up to 1e11 (year 5138), then milliseconds, microseconds and nanoseconds.
func unixUnit(x int64) time.Duration {
	if x < 0 {
		x = -x
	}
	switch {
	case x < 1e11:
		return time.Second
	case x < 1e14:
		return time.Millisecond
	case x < 1e17:
		return time.Microsecond
	}
	return time.Nanosecond
}

func (generalizeAction) composite(*Redactor) (slog.Value, bool, bool) {
	return slog.StringValue(Redacted), true, false
}
func (generalizeAction) final() bool { return true }
func (a generalizeAction) check(*config) error {
	switch a.kind {
	case genBucket:
		if a.width <= 0 {
			return fmt.Errorf("%v: the width must be > 0", a)
		}
	case genRound:
		if !(a.step > 0) || math.IsInf(a.step, 1) {
			return fmt.Errorf("%v: the step must be a finite number > 0", a)
		}
	case genIPPrefix:
		if a.v4 < 0 || a.v4 > 32 || a.v6 < 0 || a.v6 > 128 {
			return fmt.Errorf("%v: prefix lengths must be within 0..32 (IPv4) and 0..128 (IPv6), e.g. IPPrefix(24, 48)", a)
		}
	case genCoarsen:
		if a.unit <= 0 {
			return fmt.Errorf("%v: the unit must be > 0, e.g. time.Hour", a)
		}
	}
	return nil
}
func (a generalizeAction) String() string {
	switch a.kind {
	case genBucket:
		return fmt.Sprintf("Bucket(%d)", a.width)
	case genRound:
		return fmt.Sprintf("Round(%v)", a.step)
	case genIPPrefix:
		return fmt.Sprintf("IPPrefix(%d, %d)", a.v4, a.v6)
	case genCoarsen:
		return fmt.Sprintf("Coarsen(%v)", a.unit)
	}
	return "generalize"
}
