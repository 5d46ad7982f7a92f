package redact

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"math/big"
	"net"
	"net/netip"
	"net/url"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
	"unsafe"

	"github.com/veilhq/veil/token"
)

func nest(depth int) slog.Attr {
	a := slog.String("leaf", "v")
	for i := 0; i < depth; i++ {
		a = slog.Group(fmt.Sprintf("g%d", i), a)
	}
	return a
}

func TestDeepNesting(t *testing.T) {
	r := mustNew(t)
	var buf bytes.Buffer
	jsonLogger(r, &buf).Info("m", nest(100))
	if !strings.Contains(buf.String(), markerDepth) || strings.Count(buf.String(), "{") > 12 {
		t.Errorf("deep nesting not cut: %s", buf.String())
	}
	buf.Reset()
	jsonLogger(r, &buf).Info("m", nest(5))
	if strings.Contains(buf.String(), markerDepth) || !strings.Contains(buf.String(), `"leaf":"v"`) {
		t.Errorf("shallow nesting cut: %s", buf.String())
	}
	// Depth is configurable.
	r2 := mustNew(t, WithLimits(Limits{MaxDepth: 2}))
	buf.Reset()
	jsonLogger(r2, &buf).Info("m", nest(3))
	if !strings.Contains(buf.String(), markerDepth) {
		t.Errorf("MaxDepth 2 not applied: %s", buf.String())
	}
}

type cyclic struct {
	Name string
	Self *cyclic
	M    map[string]any
}

type selfValuer struct{}

func (s selfValuer) LogValue() slog.Value { return slog.AnyValue(s) }

type recValuer struct{ n int }

func (r recValuer) LogValue() slog.Value {
	return slog.GroupValue(slog.Int("n", r.n), slog.Any("next", recValuer{r.n + 1}))
}

func TestCycles(t *testing.T) {
	r := mustNew(t)
	c := &cyclic{Name: "c", M: map[string]any{}}
	c.Self = c
	c.M["back"] = c
	var buf bytes.Buffer
	jsonLogger(r, &buf).Info("m", "c", c, "self", selfValuer{}, "rec", recValuer{})
	out := buf.String()
	if !strings.Contains(out, markerDepth) || !strings.Contains(out, markerLoop) {
		t.Errorf("cycles not bounded: %.300s", out)
	}
	if len(out) > 1<<16 {
		t.Errorf("output of %d bytes for cyclic values", len(out))
	}
}

func TestHugeString(t *testing.T) {
	r := mustNew(t)
	big := strings.Repeat("word ", 2<<20) // 10 MiB
	var buf bytes.Buffer
	jsonLogger(r, &buf).Info(big, "v", big, "b", []byte(big))
	if buf.Len() > 3*(64<<10)+1024 {
		t.Errorf("output is %d bytes", buf.Len())
	}
	if !strings.Contains(buf.String(), "[TRUNCATED ") {
		t.Errorf("no truncation marker")
	}
	// Cutting never leaves half a word: a long digit run cut in its middle
	// is dropped, not emitted in part.
	s := strings.Repeat("a ", 40) + strings.Repeat("4", 200)
	cut := cutString(s, 100)
	if strings.Contains(cut, "4") {
		t.Errorf("partial word kept: %q", cut)
	}
}

func TestRecordBudget(t *testing.T) {
	r := mustNew(t, WithLimits(Limits{MaxRecord: 1000}))
	args := []any{}
	for i := range 50 {
		args = append(args, fmt.Sprint("k", i), strings.Repeat("x", 100))
	}
	var buf bytes.Buffer
	jsonLogger(r, &buf).Info("m", args...)
	if !strings.Contains(buf.String(), markerRecord) || buf.Len() > 5000 {
		t.Errorf("record budget not applied: %d bytes", buf.Len())
	}
}

func TestManyAttrs(t *testing.T) {
	r := mustNew(t)
	var c captureHandler
	h := r.Handler(&c)
	rec := slog.NewRecord(time.Now(), slog.LevelInfo, "m", 0)
	for i := range 100_000 {
		rec.AddAttrs(slog.Int("k", i))
	}
	if err := h.Handle(context.Background(), rec); err != nil {
		t.Fatal(err)
	}
	got := c.recs[0]
	if got.NumAttrs() != DefaultLimits.MaxAttrs+1 {
		t.Fatalf("got %d attrs", got.NumAttrs())
	}
	var last slog.Attr
	got.Attrs(func(a slog.Attr) bool { last = a; return true })
	if last.Key != omittedKey || last.Value.Int64() != 100_000-int64(DefaultLimits.MaxAttrs) {
		t.Errorf("last attr %v", last)
	}
	// Big groups, maps and slices are cut too.
	m := map[int]int{}
	sl := make([]int, 100_000)
	for i := range 100_000 {
		m[i] = i
	}
	var buf bytes.Buffer
	jsonLogger(r, &buf).Info("m", "map", m, "slice", sl)
	line := lastLine(t, &buf)
	if n := len(line["map"].(map[string]any)); n != DefaultLimits.MaxAttrs+1 {
		t.Errorf("map has %d entries", n)
	}
	if n := len(line["slice"].([]any)); n != DefaultLimits.MaxAttrs+1 {
		t.Errorf("slice has %d entries", n)
	}
}

func TestInvalidUTF8(t *testing.T) {
	r := mustNew(t)
	bad := "ab\xffcd\xc3"
	for _, l := range []struct {
		name string
		mk   func(*Redactor, *bytes.Buffer) *slog.Logger
	}{{"json", jsonLogger}, {"text", textLogger}} {
		var buf bytes.Buffer
		l.mk(r, &buf).Info(bad, bad, bad, "b", []byte("\xff\xfe\x00"), "trunc", bad)
		if !utf8.Valid(buf.Bytes()) {
			t.Errorf("%s: output is not valid UTF-8: %q", l.name, buf.String())
		}
		if !strings.Contains(buf.String(), "[BINARY 3 bytes]") {
			t.Errorf("%s: binary marker missing: %s", l.name, buf.String())
		}
	}
	r2 := mustNew(t, WithRule(Key("t"), Truncate(3)), WithRule(Key("m"), Mask(2)))
	got := logOne(t, r2, "m", "t", "\xff\xff\xff\xff", "m", "abcd\xff")
	if !utf8.ValidString(got["t"].(string)) || !utf8.ValidString(got["m"].(string)) {
		t.Errorf("actions produced invalid UTF-8: %q", got)
	}
}

func TestEmptyInput(t *testing.T) {
	r := mustNew(t)
	got := logOne(t, r, "", "", "", "e", "", "n", nil, slog.Group("empty"))
	if got["msg"] != "" || got["e"] != "" {
		t.Errorf("got %v", got)
	}
	if r.Redact("") != "" {
		t.Error("Redact(\"\") not empty")
	}
}

type weird struct {
	C  chan int
	F  func()
	X  complex128
	U  unsafe.Pointer
	P  uintptr
	ok string
}

func TestUnsupportedKinds(t *testing.T) {
	r := mustNew(t)
	got := logOne(t, r, "m", "w", weird{C: make(chan int), F: func() {}, X: 1i, ok: "hidden"}, "ch", make(chan string), "fn", func() {})
	want := `map[C:[UNSUPPORTED chan] F:[UNSUPPORTED func] P:[UNSUPPORTED uintptr] U:[UNSUPPORTED unsafe.Pointer] X:[UNSUPPORTED complex128]]`
	if fmt.Sprint(got["w"]) != want {
		t.Errorf("got  %v\nwant %s", got["w"], want)
	}
	if got["ch"] != "[UNSUPPORTED chan]" || got["fn"] != "[UNSUPPORTED func]" {
		t.Errorf("got %v", got)
	}
}

type marshalPanic struct{}

func (marshalPanic) MarshalJSON() ([]byte, error) { panic("secret inside") }

type jsonUser struct{ Email string }

func (u jsonUser) MarshalJSON() ([]byte, error) {
	return json.Marshal(map[string]string{"mail": u.Email, "kind": "user"})
}

func TestSpecialTypes(t *testing.T) {
	tok := testTokenizer(t)
	r := mustNew(t, WithTokenizer(tok))
	ts := time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC)
	u, _ := url.Parse("https://bob:hunter2@example.com/p?q=1")
	got := logOne(t, r, "m",
		"t", ts, "d", 3*time.Second,
		"ip", net.ParseIP("192.0.2.7"), "addr", netip.MustParseAddr("2001:db8::1"),
		"ap", netip.MustParseAddrPort("192.0.2.8:443"), "nilip", net.IP(nil),
		"u", u, "num", json.Number("12.5"), "big", big.NewInt(12345),
		"mp", marshalPanic{}, "ju", jsonUser{"x"},
		"s", struct {
			T  time.Time
			IP net.IP
		}{ts, net.ParseIP("192.0.2.9")},
	)
	checks := map[string]any{
		"t": ts.Format(time.RFC3339Nano), "d": float64(3 * time.Second),
		"ip": tok.Token("ip", "192.0.2.7"), "addr": tok.Token("ip", "2001:db8::1"),
		"ap": tok.Token("ip", "192.0.2.8"), "num": "12.5", "big": "12345",
		"mp": markerPanicMar, "ju": map[string]any{"mail": "x", "kind": "user"},
		"s": map[string]any{"T": ts.Format(time.RFC3339Nano), "IP": tok.Token("ip", "192.0.2.9")},
	}
	for k, w := range checks {
		if fmt.Sprint(got[k]) != fmt.Sprint(w) {
			t.Errorf("%s: got %v, want %v", k, got[k], w)
		}
	}
	if s, _ := got["u"].(string); strings.Contains(s, "hunter2") {
		t.Errorf("url userinfo leaked: %v", got["u"])
	}
	// Without a tokenizer IPs become placeholders.
	got = logOne(t, mustNew(t), "m", "ip", net.ParseIP("192.0.2.7"))
	if got["ip"] != "[IP]" {
		t.Errorf("ip without tokenizer: %v", got["ip"])
	}
}

func TestTokenOf(t *testing.T) {
	tok := testTokenizer(t)
	tv := token.Of("email", "Alice@example.com")
	got := logOne(t, mustNew(t, WithTokenizer(tok)), "m", "u", tv, "p", &tv, "g", slog.GroupValue(slog.Any("in", tv)))
	want := tok.Token("email", "alice@example.com")
	if got["u"] != want || got["p"] != want || fmt.Sprint(got["g"]) != "map[in:"+want+"]" {
		t.Errorf("got %v, want %s", got, want)
	}
	if got := logOne(t, mustNew(t), "m", "u", tv); got["u"] != "[EMAIL]" {
		t.Errorf("without tokenizer: %v", got["u"])
	}
}
