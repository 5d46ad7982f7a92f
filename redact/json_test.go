package redact

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"net/netip"
	"runtime"
	"strings"
	"sync"
	"testing"
	"testing/slogtest"
	"time"
)

func TestJSONHandlerSlogtest(t *testing.T) {
	r := mustNew(t)
	for name, mk := range map[string]func(*bytes.Buffer) slog.Handler{
		"encoder":  func(b *bytes.Buffer) slog.Handler { return newJSONHandler(b, nil) },
		"redactor": func(b *bytes.Buffer) slog.Handler { return r.JSONHandler(b, nil) },
	} {
		t.Run(name, func(t *testing.T) {
			var buf bytes.Buffer
			slogtest.Run(t, func(*testing.T) slog.Handler { buf.Reset(); return mk(&buf) }, func(t *testing.T) map[string]any {
				var m map[string]any
				if err := json.Unmarshal(buf.Bytes(), &m); err != nil {
					t.Fatalf("%v: %q", err, buf.String())
				}
				return m
			})
		})
	}
}

// Values whose encoding slog's JSON handler treats specially.
type (
	textOnly   struct{ S string }
	marshals   struct{ S string }
	errMarshal struct{}
	panicky    struct{}
	nilErr     struct{ msg string }
	jsonErr    struct{ S string } // an error that also marshals itself
	panicStr   struct{}
)

func (t textOnly) MarshalText() ([]byte, error) { return []byte("text:" + t.S), nil }
func (m marshals) MarshalJSON() ([]byte, error) { return []byte(`{"m":"` + m.S + `"}`), nil }
func (errMarshal) MarshalJSON() ([]byte, error) { return nil, errors.New("cannot marshal") }
func (panicky) MarshalJSON() ([]byte, error)    { panic("marshal panicked") }
func (e *nilErr) Error() string                 { return e.msg }
func (e jsonErr) Error() string                 { return "err:" + e.S }
func (e jsonErr) MarshalJSON() ([]byte, error)  { return []byte(`"json:` + e.S + `"`), nil }
func (panicStr) Error() string                  { panic(errors.New("boom")) }

type valuer struct{ v slog.Value }

func (v valuer) LogValue() slog.Value { return v.v }

// jsonCases are attribute lists covering every kind and every rule of
// slog's JSON handler: escaping, empty attributes and groups, inline
// groups, sources, errors, marshalers, panics, floats and times.
func jsonCases() [][]slog.Attr {
	t0 := time.Date(2026, 11, 27, 3, 4, 5, 123456789, time.UTC)
	var nilPtr *nilErr
	return [][]slog.Attr{
		{},
		{slog.String("method", "GET"), slog.Int("status", 200), slog.Duration("dur", 12*time.Millisecond)},
		{slog.String("", "no key"), slog.String("q\"uote\\", "a\"b\\c"), slog.String("ctl", "a\nb\rc\td\x00e\x1f\x7f")},
		{slog.String("utf8", "héllo ✓ \u2028 \u2029 \xff\xfe end"), slog.String("html", "<a href='x'>&amp;</a>")},
		{slog.Int64("i", math.MinInt64), slog.Uint64("u", math.MaxUint64), slog.Bool("t", true), slog.Bool("f", false)},
		{slog.Float64("f0", 0), slog.Float64("neg0", math.Copysign(0, -1)), slog.Float64("pi", math.Pi), slog.Float64("small", 1e-7),
			slog.Float64("tiny", 1.5e-300), slog.Float64("big", 1e21), slog.Float64("under", 999999999999999999999.0),
			slog.Float64("edge", 1e-6), slog.Float64("nan", math.NaN()), slog.Float64("inf", math.Inf(1)), slog.Float64("ninf", math.Inf(-1))},
		{slog.Time("t", t0), slog.Time("zero", time.Time{}), slog.Time("y10k", time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)),
			slog.Time("neg", time.Date(-1, 1, 1, 0, 0, 0, 0, time.UTC)), slog.Time("zone", t0.In(time.FixedZone("X", 5*3600+1800)))},
		{slog.Group("g", slog.Int("a", 1), slog.Group("h", slog.String("b", "x"))), slog.Int("after", 2)},
		{slog.Group("empty"), slog.Int("x", 1), slog.Group("", slog.Int("inline", 3), slog.Int("inline2", 4))},
		{slog.Attr{}, slog.Int("x", 1), slog.Attr{}, slog.Group("g", slog.Attr{}, slog.Int("y", 2))},
		{slog.Group("allEmpty", slog.Attr{}), slog.Int("x", 1)}, // slog's quirk: no comma after a group left out
		{slog.Attr{}}, // nothing written: the groups of WithGroup are left out too
		{slog.Group("e", slog.Attr{}), slog.Attr{}},
		{slog.Group("", slog.Group("", slog.Int("deep", 1)))},
		{slog.Any("nil", nil), slog.Any("nilptr", nilPtr), slog.Any("err", errors.New("bad\nthing")),
			slog.Any("wrapped", fmt.Errorf("ctx: %w", errors.New("inner")))},
		{slog.Any("text", textOnly{"x"}), slog.Any("json", marshals{"y"}), slog.Any("jsonerr", jsonErr{"z"}),
			slog.Any("failing", errMarshal{}), slog.Any("panics", panicky{}), slog.Any("errpanics", panicStr{})},
		{slog.Any("map", map[string]any{"b": 1, "a": []int{1, 2}, "h": "<>&"}), slog.Any("slice", []string{"x", "y"}),
			slog.Any("bytes", []byte("raw")), slog.Any("struct", struct {
				A int
				B string `json:"b,omitempty"`
			}{A: 1}), slog.Any("ip", netip.MustParseAddr("10.0.0.1")), slog.Any("chan", make(chan int))},
		{slog.Any("valuer", valuer{slog.StringValue("resolved")}), slog.Any("valuerGroup", valuer{slog.GroupValue(slog.Int("a", 1))}),
			slog.Any("valuerEmpty", valuer{slog.GroupValue()}), slog.Any("", valuer{slog.Value{}})},
		{slog.Any("src", &slog.Source{Function: "f", File: "a.go", Line: 3}), slog.Any("srcEmpty", &slog.Source{}),
			slog.Any("srcPart", &slog.Source{Line: 7}), slog.Any("", &slog.Source{File: "inline.go"})},
		{slog.Any("level", slog.LevelWarn), slog.Any("dur", time.Second), slog.Any("any", any(3.5))},
		{slog.String(strings.Repeat("k", 300), strings.Repeat("v\"", 2000))},
	}
}

// jsonChains are the ways a handler is derived before a record.
var jsonChains = []struct {
	name string
	with func(slog.Handler) slog.Handler
}{
	{"plain", func(h slog.Handler) slog.Handler { return h }},
	{"WithAttrs", func(h slog.Handler) slog.Handler {
		return h.WithAttrs([]slog.Attr{slog.String("svc", "api"), slog.Int("n", 1)})
	}},
	{"WithGroup", func(h slog.Handler) slog.Handler { return h.WithGroup("req") }},
	{"WithGroup/WithAttrs/WithGroup", func(h slog.Handler) slog.Handler {
		return h.WithGroup("a").WithAttrs([]slog.Attr{slog.Int("x", 1)}).WithGroup("b")
	}},
	{"WithAttrs empty groups", func(h slog.Handler) slog.Handler {
		return h.WithGroup("a").WithAttrs([]slog.Attr{slog.Group("e")}).WithAttrs(nil)
	}},
	{"WithAttrs all empty", func(h slog.Handler) slog.Handler {
		return h.WithGroup("a").WithAttrs([]slog.Attr{{}}).WithGroup("b").WithAttrs([]slog.Attr{slog.Int("y", 2)})
	}},
	{"WithAttrs group", func(h slog.Handler) slog.Handler {
		return h.WithAttrs([]slog.Attr{slog.Group("g", slog.String("k", "v\n"))}).WithGroup("z")
	}},
}

// jsonReplacers are ReplaceAttr functions that use each thing slog gives
// them and each thing they may return.
var jsonReplacers = []func([]string, slog.Attr) slog.Attr{
	func(groups []string, a slog.Attr) slog.Attr { // drop the time
		if len(groups) == 0 && a.Key == slog.TimeKey {
			return slog.Attr{}
		}
		return a
	},
	func(groups []string, a slog.Attr) slog.Attr { // the path in the key; levels and messages renamed
		switch {
		case groups == nil && a.Key == slog.MessageKey:
			return slog.String("message", a.Value.String())
		case groups == nil && a.Key == slog.LevelKey:
			return slog.String("severity", a.Value.String())
		}
		return slog.Attr{Key: strings.Join(groups, "/") + ":" + a.Key, Value: a.Value}
	},
	func(groups []string, a slog.Attr) slog.Attr { // values into groups, LogValuers, empty attributes
		switch a.Value.Kind() {
		case slog.KindInt64:
			if a.Key != "v" && a.Key != "depth" { // the group's own attributes are replaced too
				return slog.Group(a.Key, slog.Int64("v", a.Value.Int64()), slog.Int("depth", len(groups)))
			}
		case slog.KindBool:
			return slog.Any(a.Key, valuer{slog.StringValue(fmt.Sprint(a.Value.Bool()))})
		case slog.KindString:
			if a.Value.String() == "x" {
				return slog.Attr{}
			}
		case slog.KindAny:
			if _, ok := a.Value.Any().(*slog.Source); ok {
				return slog.String(a.Key, "src")
			}
		}
		return a
	},
}

// record returns a record at a fixed time holding as; pc is its PC.
func record(msg string, pc uintptr, as []slog.Attr) slog.Record {
	rec := slog.NewRecord(time.Date(2026, 11, 27, 3, 4, 5, 6000, time.FixedZone("", -3600)), slog.LevelInfo+2, msg, pc)
	rec.AddAttrs(as...)
	return rec
}

func callerPC() uintptr {
	var pcs [1]uintptr
	runtime.Callers(1, pcs[:])
	return pcs[0]
}

// TestJSONHandlerMatchesSlog: veil's encoder writes, byte for byte, what
// slog's JSON handler writes, for every case, derivation and option.
func TestJSONHandlerMatchesSlog(t *testing.T) {
	pc := callerPC()
	opts := []*slog.HandlerOptions{nil, {AddSource: true}, {Level: slog.LevelDebug}}
	for _, rep := range jsonReplacers {
		opts = append(opts, &slog.HandlerOptions{ReplaceAttr: rep}, &slog.HandlerOptions{ReplaceAttr: rep, AddSource: true})
	}
	n := 0
	for i, as := range jsonCases() {
		for _, c := range jsonChains {
			for _, o := range opts {
				for _, msg := range []string{"request handled", "", "m\"\n\xff"} {
					var want, got bytes.Buffer
					rec := record(msg, pc, as)
					if err := c.with(slog.NewJSONHandler(&want, o)).Handle(context.Background(), rec); err != nil {
						t.Fatal(err)
					}
					if err := c.with(newJSONHandler(&got, o)).Handle(context.Background(), rec); err != nil {
						t.Fatal(err)
					}
					if !bytes.Equal(got.Bytes(), want.Bytes()) {
						t.Errorf("case %d, %s, %+v:\n got %s\nwant %s", i, c.name, o, got.Bytes(), want.Bytes())
					}
					n++
				}
			}
		}
	}
	// The records of the benchmarks.
	for _, rec := range []slog.Record{cleanRecord(), dirtyRecord()} {
		var want, got bytes.Buffer
		_ = slog.NewJSONHandler(&want, nil).Handle(context.Background(), rec)
		_ = newJSONHandler(&got, nil).Handle(context.Background(), rec)
		if got.String() != want.String() {
			t.Errorf("got %s, want %s", got.Bytes(), want.Bytes())
		}
		n++
	}
	// A record without a time has no time key.
	var want, got bytes.Buffer
	rec := slog.NewRecord(time.Time{}, slog.LevelError, "m", 0)
	_ = slog.NewJSONHandler(&want, nil).Handle(context.Background(), rec)
	_ = newJSONHandler(&got, nil).Handle(context.Background(), rec)
	if got.String() != want.String() {
		t.Errorf("zero time: got %s, want %s", got.Bytes(), want.Bytes())
	}
	for _, l := range []slog.Level{slog.LevelDebug - 3, slog.LevelDebug, slog.LevelInfo + 1, slog.LevelWarn, slog.LevelError + 8} {
		if levelString(l) != l.String() {
			t.Errorf("levelString(%d) = %q, want %q", l, levelString(l), l.String())
		}
	}
	t.Logf("%d records compared", n+1)
}

// TestRedactorJSONHandler: r.JSONHandler writes what
// r.Handler(slog.NewJSONHandler) writes, redacted, for clean and sensitive
// records alike.
func TestRedactorJSONHandler(t *testing.T) {
	for _, cfg := range []struct {
		name string
		opts []Option
	}{{"defaults", nil}, {"tokenizer", []Option{WithTokenizer(testTokenizer(t))}}, {"strict", []Option{WithStrict("method", "req.*")}}} {
		r := mustNew(t, cfg.opts...)
		cases := append(jsonCases(), [][]slog.Attr{
			{slog.String("email", "canary.alice@example.com"), slog.String("password", "hunter2-Canary!")},
			{slog.String("note", "login failed for canary.bob@example.com from 10.1.2.3")},
			{slog.Any("account", struct {
				ID       int
				Password string
			}{7, "hunter2-Canary!"})},
			{slog.Group("user", slog.String("email", "canary.alice@example.com"), slog.Any("card", "4111 1111 1111 1111"))},
			{slog.Any("err", errors.New("dial postgres://app:Canary-Pw9@db/x failed"))},
			{slog.Any("panics", valuer{}), slog.Any("pv", panicValuer{"canary.alice@example.com"}), slog.Any("self", selfValuer{}),
				slog.Any("nested", nestedValuer{"canary.bob@example.com"}), slog.Any("count", &countingValuer{})},
		}...)
		for i, as := range cases {
			for _, c := range jsonChains {
				var want, got bytes.Buffer
				rec := record("login failed for canary.carol@example.com", 0, as)
				if err := c.with(r.Handler(slog.NewJSONHandler(&want, nil))).Handle(context.Background(), rec); err != nil {
					t.Fatal(err)
				}
				if err := c.with(r.JSONHandler(&got, nil)).Handle(context.Background(), rec); err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(got.Bytes(), want.Bytes()) {
					t.Errorf("%s case %d, %s:\n got %s\nwant %s", cfg.name, i, c.name, got.Bytes(), want.Bytes())
				}
				for _, secret := range []string{"canary.alice", "canary.bob", "canary.carol", "hunter2-Canary", "4111 1111", "Canary-Pw9"} {
					if strings.Contains(got.String(), secret) {
						t.Errorf("%s case %d, %s: %q leaked: %s", cfg.name, i, c.name, secret, got.Bytes())
					}
				}
			}
		}
	}
}

// TestRedactorJSONHandlerOptions: Level is honoured, AddSource adds the
// caller, and ReplaceAttr sees redacted values.
func TestRedactorJSONHandlerOptions(t *testing.T) {
	r := mustNew(t)
	var buf bytes.Buffer
	l := slog.New(r.JSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelWarn, AddSource: true}))
	l.Info("dropped")
	if buf.Len() != 0 {
		t.Fatalf("Info passed a Warn level: %s", buf.Bytes())
	}
	l.Warn("kept", "email", "canary.alice@example.com")
	var m map[string]any
	if err := json.Unmarshal(buf.Bytes(), &m); err != nil {
		t.Fatalf("%v: %s", err, buf.Bytes())
	}
	src, _ := m["source"].(map[string]any)
	if f, _ := src["file"].(string); !strings.HasSuffix(f, "json_test.go") || m["email"] != "[EMAIL]" {
		t.Errorf("got %s", buf.Bytes())
	}
	buf.Reset()
	rep := func(_ []string, a slog.Attr) slog.Attr {
		if a.Key == slog.TimeKey {
			return slog.Attr{}
		}
		if strings.Contains(a.Value.String(), "canary") {
			t.Errorf("ReplaceAttr was given %v", a)
		}
		return a
	}
	slog.New(r.JSONHandler(&buf, &slog.HandlerOptions{ReplaceAttr: rep})).Info("m", "email", "canary.alice@example.com")
	if got := buf.String(); got != `{"level":"INFO","msg":"m","email":"[EMAIL]"}`+"\n" {
		t.Errorf("ReplaceAttr: got %s", got)
	}
}

type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestJSONHandlerWriteError(t *testing.T) {
	r := mustNew(t)
	err := r.JSONHandler(failingWriter{}, nil).Handle(context.Background(), record("m", 0, nil))
	if err == nil || err.Error() != "disk full" {
		t.Errorf("got %v, want the writer's error", err)
	}
}

// TestJSONHandlerNoAlloc: a clean record costs no allocation beyond the
// bare slog JSON handler's.
func TestJSONHandlerNoAlloc(t *testing.T) {
	r := mustNew(t)
	attrs := []slog.Attr{slog.String("method", "GET"), slog.String("path", "/api/v2/orders/48213377"), slog.Int("status", 200),
		slog.Duration("dur", 12*time.Millisecond), slog.Int("bytes", 5821), slog.String("request_id", "3f2b8c1e-9a4d-4e7b-b1c2-7d5e6f8a9b0c")}
	for _, o := range []*slog.HandlerOptions{nil, {ReplaceAttr: dropTime}} {
		veil := slog.New(r.JSONHandler(discard{}, o).WithGroup("g"))
		bare := slog.New(slog.NewJSONHandler(discard{}, o).WithGroup("g"))
		for range 3 { // the clean-text cache learns the strings
			veil.LogAttrs(ctx0, slog.LevelInfo, "request handled", attrs...)
		}
		v := testing.AllocsPerRun(200, func() { veil.LogAttrs(ctx0, slog.LevelInfo, "request handled", attrs...) })
		b := testing.AllocsPerRun(200, func() { bare.LogAttrs(ctx0, slog.LevelInfo, "request handled", attrs...) })
		if v > b {
			t.Errorf("clean record, %+v: %v allocations, bare slog JSON handler %v", o, v, b)
		}
	}
}

// TestJSONHandlerConcurrent: handlers derived from one another share its
// lock; every line is whole (run with -race).
func TestJSONHandlerConcurrent(t *testing.T) {
	r := mustNew(t)
	var buf bytes.Buffer
	base := slog.New(r.JSONHandler(&buf, nil))
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			l := base.With("g", g).WithGroup("req")
			for i := range 200 {
				l.Info("m", "i", i, "email", "canary.alice@example.com", "note", strings.Repeat("x", i))
			}
		}()
	}
	wg.Wait()
	lines := strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n")
	if len(lines) != 8*200 {
		t.Fatalf("%d lines, want %d", len(lines), 8*200)
	}
	for _, line := range lines {
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatalf("%v: %s", err, line)
		}
		if strings.Contains(line, "canary.alice") {
			t.Fatalf("leaked: %s", line)
		}
	}
}

// FuzzJSONHandler: for attributes built from the input (keys, strings of
// any bytes, every scalar kind, groups), the encoder writes what slog's
// JSON handler writes.
func FuzzJSONHandler(f *testing.F) {
	f.Add("method\x00GET\x01status\x02200\x03g\x04a\x05\xff\xfe", "msg")
	f.Add("\u2028\x06\"\\\x07<>&\x08", "")
	f.Fuzz(func(t *testing.T, spec, msg string) {
		as := fuzzAttrs(spec, 0)
		var want, got bytes.Buffer
		rec := record(msg, 0, as)
		var o *slog.HandlerOptions
		if i := len(msg) % (len(jsonReplacers) + 1); i > 0 {
			o = &slog.HandlerOptions{ReplaceAttr: jsonReplacers[i-1]}
		}
		_ = slog.NewJSONHandler(&want, o).WithGroup("w").Handle(context.Background(), rec)
		_ = newJSONHandler(&got, o).WithGroup("w").Handle(context.Background(), rec)
		if !bytes.Equal(got.Bytes(), want.Bytes()) {
			t.Fatalf("\n got %s\nwant %s", got.Bytes(), want.Bytes())
		}
	})
}

// fuzzAttrs reads spec as fields separated by bytes below 0x10: the byte
// before a field chooses its kind, the fields alternate key and value.
func fuzzAttrs(spec string, depth int) []slog.Attr {
	var as []slog.Attr
	fields := strings.FieldsFunc(spec, func(r rune) bool { return r < 0x10 })
	for i := 0; i+1 < len(fields); i += 2 {
		k, v := fields[i], fields[i+1]
		var kind byte
		if j := strings.Index(spec, v); j > 0 {
			kind = spec[j-1] % 8
		}
		switch kind {
		case 1:
			var n int64
			fmt.Sscan(v, &n)
			as = append(as, slog.Int64(k, n))
		case 2:
			var x float64
			fmt.Sscan(v, &x)
			as = append(as, slog.Float64(k, x))
		case 3:
			as = append(as, slog.Bool(k, len(v)%2 == 0))
		case 4:
			if depth < 3 {
				as = append(as, slog.Attr{Key: k, Value: slog.GroupValue(fuzzAttrs(v[len(v)/2:], depth+1)...)})
			}
		case 5:
			as = append(as, slog.Any(k, errors.New(v)))
		case 6:
			as = append(as, slog.Any(k, []string{v, k}))
		case 7:
			as = append(as, slog.Time(k, time.Unix(int64(len(v))*1e7, int64(len(k))).UTC()))
		default:
			as = append(as, slog.String(k, v))
		}
	}
	if len(spec)%3 == 0 {
		as = append(as, slog.Attr{}, slog.Group(""))
	}
	return as
}
