package otelredact

import (
	"reflect"
	"strings"
	"testing"

	"go.opentelemetry.io/otel/attribute"

	"github.com/veilhq/veil/internal/oteltest"
)

func TestWalkerAttrs(t *testing.T) {
	p := &canaryPolicy{}
	w := p.walker()
	tests := []struct {
		name string
		in   []attribute.KeyValue
		want []attribute.KeyValue // nil: unchanged
	}{
		{"empty", nil, nil},
		{"clean", []attribute.KeyValue{attribute.String("a", "b"), attribute.Int("n", 1)}, nil},
		{"string", []attribute.KeyValue{attribute.String("a", "x"), attribute.String("b", "mail "+canary)},
			[]attribute.KeyValue{attribute.String("a", "x"), attribute.String("b", marker)}},
		{"key", []attribute.KeyValue{attribute.Bool(canary, true)},
			[]attribute.KeyValue{attribute.Bool(markerKey, true)}},
		{"bytes", []attribute.KeyValue{attribute.ByteSlice("b", []byte("\xff"+canary))},
			[]attribute.KeyValue{attribute.String("b", marker)}},
		{"string slice keeps its type", []attribute.KeyValue{attribute.StringSlice("s", []string{"ok", canary})},
			[]attribute.KeyValue{attribute.StringSlice("s", []string{"ok", marker})}},
		{"clean int slice", []attribute.KeyValue{attribute.Int64Slice("i", []int64{1, 2})}, nil},
		{"nested map", []attribute.KeyValue{attribute.Map("user",
			attribute.String("name", "bob"),
			attribute.Map("contact", attribute.String("email", canary)),
			attribute.String(canary+"@key", "v"))},
			[]attribute.KeyValue{attribute.Map("user",
				attribute.String("name", "bob"),
				attribute.Map("contact", attribute.String("email", marker)),
				attribute.String(markerKey, "v"))}},
		{"slice of values", []attribute.KeyValue{attribute.Slice("v",
			attribute.IntValue(1), attribute.StringValue(canary),
			attribute.SliceValue(attribute.StringValue("x"+canary)))},
			[]attribute.KeyValue{attribute.Slice("v",
				attribute.IntValue(1), attribute.StringValue(marker),
				attribute.SliceValue(attribute.StringValue(marker)))}},
		{"empty value", []attribute.KeyValue{{Key: "e"}}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := append([]attribute.KeyValue(nil), tt.in...)
			got, changed := w.Attrs("", 0, tt.in)
			if !reflect.DeepEqual(tt.in, before) {
				t.Fatalf("input modified: %v, was %v", tt.in, before)
			}
			if tt.want == nil {
				if changed {
					t.Fatalf("changed = true for clean input, got %v", got)
				}
				if len(tt.in) > 0 && &got[0] != &tt.in[0] {
					t.Fatal("clean input was copied")
				}
				return
			}
			if !changed {
				t.Fatal("changed = false")
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestWalkerPathsAndDepth(t *testing.T) {
	type visit struct {
		path  string
		depth int
	}
	var seen []visit
	w := Walker{Value: func(path string, depth int, v attribute.Value) (attribute.Value, bool) {
		seen = append(seen, visit{path, depth})
		return v, false
	}}
	kvs := []attribute.KeyValue{
		attribute.String("a", "x"),
		attribute.Map("user", attribute.Map("address", attribute.String("city", "c"))),
		attribute.Slice("list", attribute.MapValue(attribute.Int("n", 1))),
	}
	w.Attrs("", 0, kvs)
	want := []visit{
		{"a", 0},
		{"user", 0}, {"user.address", 1}, {"user.address.city", 2},
		{"list", 0}, {"list", 1}, {"list.n", 2},
	}
	if !reflect.DeepEqual(seen, want) {
		t.Fatalf("visits %v, want %v", seen, want)
	}
}

func TestWalkerReplacementNotEntered(t *testing.T) {
	w := Walker{Value: func(path string, _ int, v attribute.Value) (attribute.Value, bool) {
		if path == "secret" {
			return attribute.StringValue(marker), true
		}
		if strings.HasPrefix(path, "secret.") {
			t.Errorf("entered replaced value at %s", path)
		}
		return v, false
	}}
	got, ok := w.Attrs("", 0, []attribute.KeyValue{attribute.Map("secret", attribute.String("k", canary))})
	if !ok || got[0].Value.AsString() != marker {
		t.Fatalf("got %v, %v", got, ok)
	}
}

func TestWalkerTypedSliceBecomesSlice(t *testing.T) {
	// A replacement of another type turns a []int64 into a SLICE of values.
	w := Walker{Value: func(_ string, depth int, v attribute.Value) (attribute.Value, bool) {
		if depth == 1 && v.Type() == attribute.INT64 && v.AsInt64() > 100 {
			return attribute.StringValue(">100"), true
		}
		return v, false
	}}
	got, ok := w.Walk("n", 0, attribute.Int64SliceValue([]int64{5, 500}))
	want := attribute.SliceValue(attribute.Int64Value(5), attribute.StringValue(">100"))
	if !ok || !reflect.DeepEqual(got, want) {
		t.Fatalf("got %v, %v; want %v", got, ok, want)
	}
	got, ok = w.Walk("f", 0, attribute.Float64SliceValue([]float64{1.5}))
	if ok || got.Type() != attribute.FLOAT64SLICE {
		t.Fatalf("clean float slice: %v, %v", got, ok)
	}
}

func TestWalkerHugeAndInvalid(t *testing.T) {
	p := &canaryPolicy{}
	w := p.walker()
	huge := strings.Repeat("a", 1<<20) + canary
	invalid := "\xff\xfe" + canary + "\xc0"
	deep := attribute.StringValue(canary)
	for range 1000 {
		deep = attribute.SliceValue(deep)
	}
	for name, v := range map[string]attribute.Value{
		"huge": attribute.StringValue(huge), "invalid utf8": attribute.StringValue(invalid),
		"deep": deep, "empty map": attribute.MapValue(), "empty slice": attribute.SliceValue(),
	} {
		got, _ := w.Walk("k", 0, v)
		var b strings.Builder
		oteltest.DumpValue(&b, got)
		if strings.Contains(b.String(), canary) {
			t.Errorf("%s: canary left in output", name)
		}
	}
}

func FuzzWalker(f *testing.F) {
	f.Add("user", "plain", canary, 2)
	f.Add("", "", "", 0)
	f.Add(canary, "\xff", "x"+canary+"y", 5)
	p := &canaryPolicy{}
	w := p.walker()
	f.Fuzz(func(t *testing.T, key, a, b string, depth int) {
		v := attribute.MapValue(attribute.String(key, a), attribute.StringSlice(b, []string{a, b}))
		for range depth % 8 {
			v = attribute.SliceValue(v, attribute.StringValue(a), attribute.MapValue(attribute.KeyValue{Key: attribute.Key(b), Value: v}))
		}
		got, _ := w.Walk(key, 0, v)
		var out strings.Builder
		oteltest.DumpValue(&out, got)
		if strings.Contains(out.String(), canary) {
			t.Fatalf("canary in %q", out.String())
		}
	})
}
