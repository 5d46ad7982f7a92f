package redact

import (
	"strings"
	"testing"

	"go.opentelemetry.io/otel/attribute"

	"github.com/veilhq/veil/internal/oteltest"
)

func TestOTelBadInput(t *testing.T) {
	r := mustNew(t, WithLimits(Limits{MaxDepth: 4, MaxString: 1024, MaxAttrs: 8}))
	p := otelPolicy{r}
	email := "alice@example.com"
	deep := attribute.MapValue(attribute.String("note", email))
	for range 10 {
		deep = attribute.MapValue(attribute.KeyValue{Key: "in", Value: deep})
	}
	deepSlice := attribute.StringSliceValue([]string{email})
	for range 10 {
		deepSlice = attribute.SliceValue(deepSlice)
	}
	many := make([]attribute.KeyValue, 20)
	for i := range many {
		many[i] = attribute.String("k"+strings.Repeat("x", i), "v")
	}
	tests := []struct {
		name  string
		in    []attribute.KeyValue
		check func(t *testing.T, out []attribute.KeyValue)
	}{
		{"huge string", []attribute.KeyValue{attribute.String("note", strings.Repeat("a ", 2000)+email)},
			func(t *testing.T, out []attribute.KeyValue) {
				if s := out[0].Value.AsString(); len(s) > 1100 || !strings.Contains(s, "TRUNCATED") {
					t.Errorf("not cut: %d bytes", len(s))
				}
			}},
		{"invalid UTF-8 string", []attribute.KeyValue{attribute.String("note", "\xff\xfe "+email+" \xc0")}, nil},
		{"invalid UTF-8 bytes", []attribute.KeyValue{attribute.ByteSlice("raw", []byte("\xff"+email))},
			func(t *testing.T, out []attribute.KeyValue) {
				if s := out[0].Value.String(); !strings.HasPrefix(s, "[BINARY") {
					t.Errorf("binary bytes emitted as %q", s)
				}
			}},
		{"valid bytes", []attribute.KeyValue{attribute.ByteSlice("raw", []byte("mail "+email))}, nil},
		{"deep map", []attribute.KeyValue{{Key: "d", Value: deep}},
			func(t *testing.T, out []attribute.KeyValue) {
				var b strings.Builder
				oteltest.DumpValue(&b, out[0].Value)
				if !strings.Contains(b.String(), markerDepth) {
					t.Errorf("no depth marker in %s", b.String())
				}
			}},
		{"deep slice", []attribute.KeyValue{{Key: "d", Value: deepSlice}}, nil},
		{"many attributes", many, func(t *testing.T, out []attribute.KeyValue) {
			if len(out) != 9 || out[8].Key != omittedKey || out[8].Value.AsInt64() != 12 {
				t.Errorf("got %d attributes, last %v", len(out), out[len(out)-1])
			}
		}},
		{"long slice", []attribute.KeyValue{attribute.StringSlice("s", append(make([]string, 20), email))},
			func(t *testing.T, out []attribute.KeyValue) {
				if got := out[0].Value.AsStringSlice(); len(got) != 9 || !strings.Contains(got[8], "more omitted") {
					t.Errorf("slice not bounded: %v", got)
				}
			}},
		{"empty key and value", []attribute.KeyValue{{Key: ""}, {Key: "e", Value: attribute.StringValue("")}}, nil},
		{"email as key", []attribute.KeyValue{attribute.Int(email, 1), attribute.Map("m", attribute.Int(email, 2))}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, _ := p.Attrs(1, tt.in)
			var b strings.Builder
			oteltest.DumpAttrs(&b, out)
			if strings.Contains(b.String(), email) {
				t.Fatalf("leaked: %s", b.String())
			}
			if tt.check != nil {
				tt.check(t, out)
			}
		})
	}
	// Text positions are cut and scanned too.
	if s, ch := p.Text(1, strings.Repeat("x ", 600)+email); !ch || strings.Contains(s, email) {
		t.Errorf("long name: changed %v, leaked %v", ch, strings.Contains(s, email))
	}
	if s, ch := p.Text(1, ""); s != "" || ch {
		t.Error("empty name changed")
	}
}

func TestOTelCleanIsNotCopied(t *testing.T) {
	r := mustNew(t)
	p := otelPolicy{r}
	in := []attribute.KeyValue{attribute.String("http.request.method", "GET"), attribute.Int("n", 3),
		attribute.Map("m", attribute.String("k", "v")), attribute.StringSlice("s", []string{"a"})}
	out, ch := p.Attrs(1, in)
	if ch || &out[0] != &in[0] {
		t.Errorf("clean attributes copied (changed=%v)", ch)
	}
	flat := in[:2]
	if n := testing.AllocsPerRun(100, func() { p.Attrs(1, flat) }); n != 0 {
		t.Errorf("clean flat attributes: %v allocations", n)
	}
}

func TestOTelStrict(t *testing.T) {
	r := mustNew(t, WithStrict("http.request.method", "user.id"))
	p := otelPolicy{r}
	out, _ := p.Attrs(1, []attribute.KeyValue{attribute.String("http.request.method", "GET"),
		attribute.String("note", "x"), attribute.Map("user", attribute.Int("id", 7), attribute.String("name", "Bob"))})
	var b strings.Builder
	oteltest.DumpAttrs(&b, out)
	if got := b.String(); got != "{http.request.method=GET user={id=7 } }" {
		t.Errorf("strict: %s", got)
	}
	res, _ := p.Attrs(5, []attribute.KeyValue{attribute.String("service.name", "shop")}) // resource
	if len(res) != 1 {
		t.Errorf("strict mode dropped resource attributes: %v", res)
	}
}

func FuzzOTelAttrs(f *testing.F) {
	f.Add("user.email", "alice@example.com", "note", 2)
	f.Add("", "\xff", "password", 0)
	f.Add("a.b.c", "4111 1111 1111 1111", "m", 9)
	r, err := New()
	if err != nil {
		f.Fatal(err)
	}
	p := otelPolicy{r}
	const email = "zed@example.org"
	f.Fuzz(func(t *testing.T, k1, v1, k2 string, depth int) {
		v := attribute.MapValue(attribute.String(k1, v1+" "+email), attribute.StringSlice(k2, []string{v1, email}))
		for range depth % 12 {
			v = attribute.SliceValue(v, attribute.MapValue(attribute.KeyValue{Key: attribute.Key(k2), Value: v}))
		}
		out, _ := p.Attrs(1, []attribute.KeyValue{{Key: attribute.Key(k1), Value: v}, attribute.String(email, v1)})
		var b strings.Builder
		oteltest.DumpAttrs(&b, out)
		if strings.Contains(b.String(), email) {
			t.Fatalf("leaked: %s", b.String())
		}
		body, _ := p.Value(4, v)
		b.Reset()
		oteltest.DumpValue(&b, body)
		if strings.Contains(b.String(), email) {
			t.Fatalf("leaked in body: %s", b.String())
		}
	})
}
