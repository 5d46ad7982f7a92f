package redact

import (
	"bytes"
	"context"
	"crypto/ecdh"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"fmt"
	"log/slog"
	"math"
	"math/big"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"go.opentelemetry.io/otel/attribute"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"
)

// TestStructFieldGoName: a field whose Go name is a sensitive key stays
// sensitive under a json name that is not; veil:"keep" still keeps it.
func TestStructFieldGoName(t *testing.T) {
	type creds struct{ User, Pass string }
	type account struct {
		Password    string `json:"pw"`
		APIKey      string `json:"k,omitempty"`
		Credentials creds  `json:"c"`
		Token       string `json:"t" veil:"keep"`
		UserID      string `json:"uid"`
	}
	r := mustNew(t)
	var buf bytes.Buffer
	jsonLogger(r, &buf).Info("m", "a", account{"Canary-Pw-1", "Canary-Key-2", creds{"bob", "Canary-Pw-3"}, "kept", "u1"})
	out := buf.String()
	for _, s := range []string{"Canary-Pw-1", "Canary-Key-2", "Canary-Pw-3"} {
		if strings.Contains(out, s) {
			t.Errorf("%s leaked: %s", s, out)
		}
	}
	a := lastLine(t, &buf)["a"].(map[string]any)
	if a["pw"] != Redacted || a["k"] != Redacted || a["c"] != Redacted || a["t"] != "kept" || a["uid"] != "u1" {
		t.Errorf("got %v", a)
	}
}

type formatter struct{ v string }

func (f formatter) Format(s fmt.State, verb rune) { fmt.Fprintf(s, "F(%s)", f.v) }

type panicFormatter struct{ v string }

func (p panicFormatter) Format(fmt.State, rune) { panic(p.v) }

// TestFormatter: a value that formats itself (and has no exported fields
// for a JSON encoder) is emitted as fmt's %v shows it, redacted; a Format
// that panics becomes a marker, whatever the panic's value.
func TestFormatter(t *testing.T) {
	r := mustNew(t)
	got := logOne(t, r, "m", "f", formatter{"mail alice@example.com"}, "p", panicFormatter{"Canary-Panic-9"})
	if got["f"] != "F(mail [EMAIL])" || got["p"] != markerPanicFmt {
		t.Errorf("got %v", got)
	}
}

// TestSloppyKeys: a key written with the separator it was copied from
// ("password:" from a format string) is still a sensitive key.
func TestSloppyKeys(t *testing.T) {
	r := mustNew(t)
	got := logOne(t, r, "m", "password:", "p1", "API_KEY=", "p2", "token :", "p3")
	for _, k := range []string{"password:", "API_KEY=", "token :"} {
		if got[k] != Redacted {
			t.Errorf("%q: %v", k, got[k])
		}
	}
}

// TestBigFloats: a card number logged as a float64 (JSON writes
// 4111111111111111.0 as 4111111111111111) is found like an integer one, in
// slog values, struct fields, slices and OpenTelemetry attributes; other
// floats are left alone.
func TestBigFloats(t *testing.T) {
	const card = 4111111111111111.0
	type order struct{ Amount, Ref float64 }
	r := mustNew(t)
	var buf bytes.Buffer
	jsonLogger(r, &buf).Info("m", "n", card, "neg", -card, "o", order{12.5, card}, "s", []float64{1, card},
		"small", 12.5, "big", 1e300, "inf", math.Inf(1), "nan", math.NaN())
	out := buf.String()
	if strings.Contains(out, "4111111111111111") {
		t.Errorf("card leaked: %s", out)
	}
	got := lastLine(t, &buf)
	if got["n"] != "[CARD]" || got["o"].(map[string]any)["Ref"] != "[CARD]" || got["small"] != 12.5 || got["big"] != 1e300 {
		t.Errorf("got %v", got)
	}

	exp := tracetest.NewInMemoryExporter()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(r.SpanProcessor(sdktrace.NewSimpleSpanProcessor(exp))))
	_, s := tp.Tracer("t").Start(ctx0, "op", trace.WithAttributes(attribute.Float64("n", card),
		attribute.Float64Slice("ns", []float64{card}), attribute.Float64("ratio", 0.5)))
	s.End()
	attrs := exp.GetSpans()[0].Attributes
	for _, kv := range attrs {
		if strings.Contains(kv.Value.String(), "4111111111111111") || strings.Contains(kv.Value.String(), "4.111111111111111e+15") {
			t.Errorf("span attribute %s leaked: %s", kv.Key, kv.Value.String())
		}
	}
	if attrs[2].Value.AsFloat64() != 0.5 {
		t.Errorf("ratio: %v", attrs[2].Value.String())
	}
}

// TestHeaderAndQueryMaps: an http.Header or url.Values logged whole has the
// values of sensitive names replaced, as the sanitizers of
// http.request.header.* and url.query do, not only those of sensitive keys.
func TestHeaderAndQueryMaps(t *testing.T) {
	r := mustNew(t)
	got := logOne(t, r, "m",
		"h", http.Header{"X-Functions-Key": {"Canary-K1"}, "Content-Type": {"text/plain"}, "Idempotency-Key": {"i1"}},
		"q", url.Values{"sig": {"Canary-S1"}, "page": {"2"}},
		"m", map[string][]string{"sig": {"plain"}}, // any other map: key rules only
	)
	h, q, m := fmt.Sprint(got["h"]), fmt.Sprint(got["q"]), fmt.Sprint(got["m"])
	if h != "map[Content-Type:[text/plain] Idempotency-Key:[i1] X-Functions-Key:["+Redacted+"]]" {
		t.Errorf("header: %s", h)
	}
	if q != "map[page:[2] sig:["+Redacted+"]]" {
		t.Errorf("query: %s", q)
	}
	if m != "map[sig:[plain]]" {
		t.Errorf("map: %s", m)
	}
}

// TestIdentifierKeys: scalars under phone and e-mail key names are
// identifiers whatever they look like: tokenized with a tokenizer, else
// replaced by the kind's placeholder. Empty values, values already redacted,
// booleans and other keys are left alone; a user rule wins.
func TestIdentifierKeys(t *testing.T) {
	type profile struct {
		Phone string `json:"phone"`
		Nick  string `json:"nick"`
	}
	r := mustNew(t)
	got := logOne(t, r, "m", "phone", "4155550132", "mobile_number", int64(4155550132), "Email", "alice@localhost",
		"user", slog.GroupValue(slog.String("telephone", "555 0132")), "p", profile{"4155550132", "al"},
		"m", map[string]string{"msisdn": "14155550132"},
		"tel", "", "cellphone", "[PHONE]", "phone_verified", true, "email", true, "msisdn", "N/A", "telephone", "-")
	want := map[string]any{"phone": "[PHONE]", "mobile_number": "[PHONE]", "Email": "[EMAIL]", "tel": "",
		"cellphone": "[PHONE]", "phone_verified": true, "email": true, "msisdn": "N/A", "telephone": "-"}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s: got %v, want %v", k, got[k], v)
		}
	}
	if s := fmt.Sprint(got["user"], got["p"], got["m"]); s != "map[telephone:[PHONE]] map[nick:al phone:[PHONE]] map[msisdn:[PHONE]]" {
		t.Errorf("nested: %s", s)
	}

	// Without a tokenizer the whole value is the placeholder, whatever the
	// detectors would match in it.
	got = logOne(t, r, "m", "email", "Alice <alice@example.com>", "phone", "+1 415 555 0132 (cell)")
	if got["email"] != "[EMAIL]" || got["phone"] != "[PHONE]" {
		t.Errorf("without a tokenizer: %v %v", got["email"], got["phone"])
	}

	// With a tokenizer: a value the detectors match keeps their tokens (the
	// same as the identifier's anywhere else); one they do not is tokenized
	// whole.
	tk := testTokenizer(t)
	r = mustNew(t, WithTokenizer(tk))
	got = logOne(t, r, "m", "phone", "4155550132", "email", "Alice <alice@example.com>", "mobile", 4155550132)
	if got["phone"] != tk.Token("phone", "4155550132") || got["mobile"] != tk.Token("phone", "4155550132") {
		t.Errorf("tokenized: %v %v", got["phone"], got["mobile"])
	}
	if want := "Alice <" + tk.Token("email", "alice@example.com") + ">"; got["email"] != want {
		t.Errorf("detector inside an identifier key: %v, want %v", got["email"], want)
	}
	r = mustNew(t, WithRule(Key("phone"), Keep()))
	if got := logOne(t, r, "m", "phone", "4155550132"); got["phone"] != "4155550132" {
		t.Errorf("a Keep rule: %v", got["phone"])
	}

	exp := tracetest.NewInMemoryExporter()
	r = mustNew(t)
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(r.SpanProcessor(sdktrace.NewSimpleSpanProcessor(exp))))
	_, s := tp.Tracer("t").Start(ctx0, "op", trace.WithAttributes(attribute.String("user.phone", "4155550132")))
	s.End()
	if v := exp.GetSpans()[0].Attributes[0].Value.AsString(); v != "[PHONE]" {
		t.Errorf("span attribute: %q", v)
	}
}

type keyHolder struct {
	Name   string
	Signer *ecdsa.PrivateKey
	Keys   map[string]any
}

type keyValuer struct{ k *rsa.PrivateKey }

func (v keyValuer) LogValue() slog.Value { return slog.AnyValue(v.k) }

// TestPrivateKeys: a private key of the standard library is a secret
// whatever its key or position, as a Secret is: its fields (an RSA key's D
// and primes, an ECDSA key's D) are never walked into the output.
func TestPrivateKeys(t *testing.T) {
	rk, err := rsa.GenerateKey(rand.Reader, 1024)
	if err != nil {
		t.Fatal(err)
	}
	ek, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	eb, _ := ek.Bytes()
	ed := new(big.Int).SetBytes(eb).String() // the key's D, as fmt writes a *big.Int
	_, edk, _ := ed25519.GenerateKey(rand.Reader)
	xk, _ := ecdh.X25519().GenerateKey(rand.Reader)
	r := mustNew(t)
	for _, h := range []struct {
		name string
		mk   func(*bytes.Buffer) *slog.Logger
	}{{"json", func(b *bytes.Buffer) *slog.Logger { return jsonLogger(r, b) }}, {"text", func(b *bytes.Buffer) *slog.Logger { return textLogger(r, b) }}} {
		var buf bytes.Buffer
		h.mk(&buf).Info("m", "rsa", rk, "ecdsa", ek, "ed", edk, "x", xk, "h", keyHolder{"n", ek, map[string]any{"a": rk}},
			"s", []any{ek}, "lv", keyValuer{rk})
		out := buf.String()
		for _, secret := range []string{rk.D.String()[:24], rk.Primes[0].String()[:24], ed[:24], fmt.Sprintf("%x", []byte(edk)[:8]),
			fmt.Sprintf("%x", xk.Bytes()[:8])} {
			if strings.Contains(out, secret) || strings.Contains(strings.ToLower(out), secret) {
				t.Errorf("%s: key material %q leaked: %s", h.name, secret, out)
			}
		}
		if n := strings.Count(out, Redacted); n != 8 {
			t.Errorf("%s: %d replacements, want 8: %s", h.name, n, out)
		}
	}
}

type ptrValuer struct{ User, Pin string }

func (p *ptrValuer) LogValue() slog.Value { return slog.StringValue("user " + p.User) }

type withPtrValuer struct {
	Who ptrValuer
	N   int
}

// TestPointerMethods: a struct logged by value whose pointer has the methods
// (http.Cookie's String, a LogValue written on *T) is formatted as they
// format it, not walked field by field past them.
func TestPointerMethods(t *testing.T) {
	r := mustNew(t)
	got := logOne(t, r, "m", "c", http.Cookie{Name: "sid", Value: "Zx9Kq2Lm8Np4Rs6Tv1Wy3"},
		"v", ptrValuer{"bob", "Canary-Pin-4"}, "s", withPtrValuer{ptrValuer{"al", "Canary-Pin-5"}, 1})
	if got["c"] != Redacted || got["v"] != "user bob" || fmt.Sprint(got["s"]) != "map[N:1 Who:user al]" {
		t.Errorf("got %v", got)
	}
	// A cookie is a credential by value, by pointer, in a list.
	ck := &http.Cookie{Name: "sid", Value: "Zx9Kq2Lm8Np4Rs6Tv1Wy3"}
	got = logOne(t, r, "m", "c", ck, "list", []*http.Cookie{ck}, "cookies", "sid=x")
	if got["c"] != Redacted || fmt.Sprint(got["list"]) != "["+Redacted+"]" || got["cookies"] != Redacted {
		t.Errorf("cookies: %v", got)
	}
}

// TestCredentialTypes: a URL's userinfo is a credential by pointer and by
// value, and a context is not emitted (its String shows the values it
// carries raw).
func TestCredentialTypes(t *testing.T) {
	type ctxKey struct{}
	r := mustNew(t)
	ui := url.UserPassword("bob", "Canary-Ui-6")
	ctx := context.WithValue(context.Background(), ctxKey{}, "Canary-Ctx-7")
	var nilUI *url.Userinfo
	got := logOne(t, r, "m", "u", ui, "v", *ui, "n", nilUI, "ctx", ctx, "s", struct{ C context.Context }{ctx})
	if got["u"] != Redacted || got["v"] != Redacted || got["n"] != nil ||
		got["ctx"] != "[UNSUPPORTED context.Context]" || fmt.Sprint(got["s"]) != "map[C:[UNSUPPORTED context.Context]]" {
		t.Errorf("got %v", got)
	}
}

// TestTokenNotRewritten: a match that a veil token starts (an earlier pass's)
// leaves it be, unless a word is glued after it.
func TestTokenNotRewritten(t *testing.T) {
	tok := testTokenizer(t)
	r := mustNew(t, WithTokenizer(tok))
	tk := tok.Token("email", "a@example.com")
	for _, c := range []struct{ in, want string }{
		{"Bearer " + tk + "-", "Bearer " + tk + "-"},            // an address ending in '-' was tokenized
		{tk + "@0.AA", tk + "@0.AA"},                            // an address whose local part is one
		{"Bearer " + tk + "-s3cr3tS3cr3tX9", "Bearer [SECRET]"}, // a token and something else
		{"Bearer " + tk + ".0", "Bearer " + tk + ".0"},          // "A@0.AA.0", its address tokenized
		{"-" + tk + "@0.AA", "-" + tk + "@0.AA"},                // "-0@0.AA@0.AA", its first address tokenized
	} {
		if got := r.Redact(c.in); got != c.want {
			t.Errorf("Redact(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}
