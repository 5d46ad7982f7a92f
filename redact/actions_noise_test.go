package redact

import (
	"errors"
	"io"
	"math"
	"math/rand/v2"
	"net/netip"
	"strings"
	"sync"
	"testing"
	"time"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
)

func seeded(seed byte) io.Reader {
	var s [32]byte
	s[0] = seed
	return rand.NewChaCha8(s)
}

// both redacts key=v as a slog attribute (JSON) and as a span attribute, and
// returns the two results.
func both(t *testing.T, r *Redactor, k string, v any, av attribute.Value) (any, attribute.Value) {
	t.Helper()
	got := logOne(t, r, "m", k, v)[k]
	kvs, _ := otelPolicy{r}.Attrs(1, []attribute.KeyValue{{Key: attribute.Key(k), Value: av}})
	if len(kvs) != 1 {
		t.Fatalf("%s: OTel result %v", k, kvs)
	}
	return got, kvs[0].Value
}

func TestGeneralizeActions(t *testing.T) {
	r := mustNew(t,
		WithRule(Key("user.age"), Bucket(10)),
		WithRule(Key("order.total"), Round(100)),
		WithRule(Key("client.address"), IPPrefix(24, 48)),
		WithRule(Key("seen_at"), Coarsen(time.Hour)),
	)
	tests := []struct {
		k        string
		slogIn   any
		otelIn   attribute.Value
		wantSlog any // as decoded from JSON
		wantOTel attribute.Value
	}{
		{"user.age", 34, attribute.IntValue(34), "30-39", attribute.StringValue("30-39")},
		{"user.age", -5, attribute.IntValue(-5), "-10--1", attribute.StringValue("-10--1")},
		{"user.age", 34.9, attribute.Float64Value(34.9), "30-39", attribute.StringValue("30-39")},
		{"user.age", "41", attribute.StringValue("41"), "40-49", attribute.StringValue("40-49")},
		{"user.age", "forty", attribute.StringValue("forty"), Redacted, attribute.StringValue(Redacted)},
		{"user.age", math.NaN(), attribute.Float64Value(math.NaN()), Redacted, attribute.StringValue(Redacted)},
		{"order.total", 1234, attribute.IntValue(1234), 1200.0, attribute.IntValue(1200)},
		{"order.total", 1250.5, attribute.Float64Value(1250.5), 1300.0, attribute.Float64Value(1300)},
		{"order.total", "99.5", attribute.StringValue("99.5"), "100", attribute.StringValue("100")},
		{"order.total", true, attribute.BoolValue(true), Redacted, attribute.StringValue(Redacted)},
		{"client.address", "203.0.113.7", attribute.StringValue("203.0.113.7"), "203.0.113.0/24", attribute.StringValue("203.0.113.0/24")},
		{"client.address", "[2001:db8:1:2::7]:443", attribute.StringValue("[2001:db8:1:2::7]:443"), "2001:db8:1::/48", attribute.StringValue("2001:db8:1::/48")},
		{"client.address", netip.MustParseAddr("198.51.100.9"), attribute.StringValue("198.51.100.9"), "198.51.100.0/24", attribute.StringValue("198.51.100.0/24")},
		{"client.address", "alice.example.com", attribute.StringValue("alice.example.com"), Redacted, attribute.StringValue(Redacted)},
		{"seen_at", "2026-11-25T21:47:13.123Z", attribute.StringValue("2026-11-25T21:47:13.123Z"), "2026-11-25T21:00:00Z", attribute.StringValue("2026-11-25T21:00:00Z")},
		{"seen_at", time.Date(2026, 11, 25, 21, 47, 13, 0, time.UTC), attribute.Int64Value(1795643233), "2026-11-25T21:00:00Z", attribute.Int64Value(1795640400)},
		{"seen_at", "yesterday", attribute.Int64Value(1795643233123), Redacted, attribute.Int64Value(1795640400000)},
		{"seen_at", 90 * time.Minute, attribute.StringValue("not a time"), float64(time.Hour), attribute.StringValue(Redacted)},
	}
	for _, tt := range tests {
		gotSlog, gotOTel := both(t, r, tt.k, tt.slogIn, tt.otelIn)
		if gotSlog != tt.wantSlog {
			t.Errorf("slog %s=%v: got %v (%T), want %v", tt.k, tt.slogIn, gotSlog, gotSlog, tt.wantSlog)
		}
		if gotOTel != tt.wantOTel {
			t.Errorf("OTel %s=%v: got %v (%v), want %v", tt.k, tt.otelIn.String(), gotOTel.String(), gotOTel.Type(), tt.wantOTel.String())
		}
	}
}

func TestGeneralizeCompositeAndSlices(t *testing.T) {
	r := mustNew(t, WithRule(Key("ages"), Bucket(10)), WithRule(Key("profile"), Round(5)))
	kvs, _ := otelPolicy{r}.Attrs(1, []attribute.KeyValue{
		attribute.Int64Slice("ages", []int64{3, 17, 42}),
		attribute.Map("profile", attribute.Int("age", 33)),
	})
	if got := kvs[0].Value.AsStringSlice(); strings.Join(got, ",") != "0-9,10-19,40-49" {
		t.Errorf("slice: %v", kvs[0].Value.String())
	}
	if got := kvs[1].Value.AsString(); got != Redacted {
		t.Errorf("map under a generalizing rule: %v", kvs[1].Value.String())
	}
}

func TestNoiseActionApplies(t *testing.T) {
	const n = 200
	run := func(seed byte) (ints []int64, floats []float64) {
		r := mustNew(t, WithNoiseRand(seeded(seed)),
			WithRule(Key("order.amount"), Noise(1, 0, 10000)),
			WithRule(Key("latency"), Noise(2, 0, 1.5)))
		p := otelPolicy{r}
		for range n {
			kvs, ch := p.Attrs(1, []attribute.KeyValue{attribute.Int64("order.amount", 5000), attribute.Float64("latency", 99)})
			if !ch || kvs[0].Value.Type() != attribute.INT64 || kvs[1].Value.Type() != attribute.FLOAT64 {
				t.Fatalf("noise not applied: %v", kvs)
			}
			ints = append(ints, kvs[0].Value.AsInt64())
			floats = append(floats, kvs[1].Value.AsFloat64())
		}
		return ints, floats
	}
	i1, f1 := run(7)
	i2, f2 := run(7)
	i3, _ := run(8)
	distinct := map[int64]bool{}
	sameAsOther := 0
	for k := range n {
		if i1[k] != i2[k] || f1[k] != f2[k] {
			t.Fatalf("same seed, different results at %d", k)
		}
		distinct[i1[k]] = true
		if i1[k] == i3[k] {
			sameAsOther++
		}
		// The float mechanism clamps to [0, 1.5] and snaps to its grid,
		// the smallest power of two >= 1.5/2: 1.
		if f := f1[k]; f < 0 || f > 1.5 || (f != 1.5 && f != math.Trunc(f)) {
			t.Errorf("float result %v not clamped or not on the grid", f)
		}
	}
	if len(distinct) < n/2 {
		t.Errorf("only %d distinct noisy values in %d: noise not applied", len(distinct), n)
	}
	if sameAsOther > n/4 {
		t.Errorf("another seed gave %d identical values out of %d", sameAsOther, n)
	}

	// slog gets the same mechanism: a noisy integer, not the input.
	r := mustNew(t, WithNoiseRand(seeded(1)), WithRule(Key("order.amount"), Noise(1, 0, 10000)))
	differs := false
	for range 20 {
		v, ok := logOne(t, r, "m", "order.amount", 5000)["order.amount"].(float64)
		if !ok {
			t.Fatal("slog: noisy value is not a number")
		}
		differs = differs || v != 5000
	}
	if !differs {
		t.Error("slog: 20 noisy values all equal the input")
	}
}

func TestNoiseNonNumbers(t *testing.T) {
	r := mustNew(t, WithRule(Key("amount"), Noise(1, 0, 100)))
	for _, v := range []attribute.Value{attribute.StringValue("ten"), attribute.BoolValue(true),
		attribute.StringValue(""), attribute.Float64Value(math.Inf(1))} {
		kvs, _ := otelPolicy{r}.Attrs(1, []attribute.KeyValue{{Key: "amount", Value: v}})
		got := kvs[0].Value.AsString()
		if got != Redacted && got != markerNoise {
			t.Errorf("%v: got %v, want a marker", v.String(), kvs[0].Value.String())
		}
	}
	// Numeric strings stay strings.
	kvs, _ := otelPolicy{r}.Attrs(1, []attribute.KeyValue{attribute.String("amount", "50")})
	if kvs[0].Value.Type() != attribute.STRING || kvs[0].Value.AsString() == Redacted {
		t.Errorf("numeric string: %v", kvs[0].Value.String())
	}
}

type failingReader struct{}

var errBrokenRand = errors.New("broken random source")

func (failingReader) Read([]byte) (int, error) { return 0, errBrokenRand }

// errCapture collects what reaches otel.Handle.
type errCapture struct {
	mu   sync.Mutex
	errs []error
}

func (c *errCapture) Handle(err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.errs = append(c.errs, err)
}

func captureOTelErrors(t *testing.T) *errCapture {
	c := &errCapture{}
	prev := otel.GetErrorHandler()
	otel.SetErrorHandler(c)
	t.Cleanup(func() { otel.SetErrorHandler(prev) })
	return c
}

func TestNoiseRandFailureFailsClosed(t *testing.T) {
	errs := captureOTelErrors(t)
	r := mustNew(t, WithNoiseRand(failingReader{}), WithRule(Key("order.amount"), Noise(1, 0, 10000)))
	got := logOne(t, r, "m", "order.amount", 4321)["order.amount"]
	if got != markerNoise {
		t.Errorf("slog: got %v, want %q", got, markerNoise)
	}
	kvs, _ := otelPolicy{r}.Attrs(1, []attribute.KeyValue{attribute.Int("order.amount", 4321)})
	if kvs[0].Value.AsString() != markerNoise {
		t.Errorf("OTel: got %v", kvs[0].Value.String())
	}
	errs.mu.Lock()
	defer errs.mu.Unlock()
	if len(errs.errs) != 2 || !errors.Is(errs.errs[0], errBrokenRand) || strings.Contains(errs.errs[0].Error(), "4321") {
		t.Errorf("reported errors: %v", errs.errs)
	}
}

func TestGeneralizeActionErrors(t *testing.T) {
	for _, tt := range []struct {
		a    Action
		want string
	}{
		{Bucket(0), "Bucket(0): the width must be > 0"},
		{Round(-1), "Round(-1): the step must be"},
		{Round(math.Inf(1)), "the step must be"},
		{IPPrefix(33, 48), "IPPrefix(33, 48): prefix lengths"},
		{IPPrefix(24, -1), "prefix lengths"},
		{Coarsen(0), "Coarsen(0s): the unit must be > 0"},
		{Noise(0, 0, 10), "epsilon"},
		{Noise(1, 10, 0), "lo must be less than hi"},
		{Noise(math.NaN(), 0, 1), "epsilon"},
	} {
		_, err := New(WithRule(Key("x"), tt.a))
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%v: error %v, want it to contain %q", tt.a, err, tt.want)
		}
	}
	if _, err := New(WithNoiseRand(nil)); err == nil {
		t.Error("WithNoiseRand(nil) accepted")
	}
	if _, err := New(WithMeterProvider(nil)); err == nil {
		t.Error("WithMeterProvider(nil) accepted")
	}
}

func TestNoiseOutsideNewFailsClosed(t *testing.T) {
	r := mustNew(t)
	v, keep := Noise(1, 0, 10).apply(r, toSlog(attribute.IntValue(5)))
	if !keep || v.String() != Redacted {
		t.Errorf("got %v", v)
	}
}

// TestGeneralizeIdempotent: a record that goes through the slog handler and
// then the log processor is generalized twice; the second pass must keep
// what the first produced.
func TestGeneralizeIdempotent(t *testing.T) {
	r := mustNew(t,
		WithRule(Key("age"), Bucket(10)),
		WithRule(Key("total"), Round(100)),
		WithRule(Key("addr"), IPPrefix(24, 48)),
		WithRule(Key("at"), Coarsen(time.Hour)))
	p := otelPolicy{r}
	for _, kv := range []attribute.KeyValue{
		attribute.Int("age", 34), attribute.Int("age", -5), attribute.Int("age", math.MinInt64),
		attribute.Int("total", 1234), attribute.Float64("total", 12.5),
		attribute.String("addr", "203.0.113.7"), attribute.String("addr", "2001:db8:1:2::7"),
		attribute.String("addr", "::ffff:10.1.2.3"), attribute.String("addr", "10.0.0.0/8"),
		attribute.String("at", "2026-11-25T21:47:13Z"), attribute.Int64("at", 1795643233123456),
	} {
		once, _ := p.Attrs(1, []attribute.KeyValue{kv})
		twice, _ := p.Attrs(1, once)
		if once[0] != twice[0] {
			t.Errorf("%s=%s: once %s, twice %s", kv.Key, kv.Value.String(), once[0].Value.String(), twice[0].Value.String())
		}
		if once[0].Value.String() == Redacted {
			t.Errorf("%s=%s: replaced by a marker", kv.Key, kv.Value.String())
		}
	}
}
