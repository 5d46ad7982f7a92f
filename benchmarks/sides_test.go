package benchmarks

// These tests run every side of every comparison on the benchmarks' own
// inputs and check that each does the work it is credited with, so that a
// benchmark cannot silently measure a side that does nothing (or too much).

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base32"
	"encoding/json"
	"log/slog"
	"strings"
	"testing"

	"github.com/DataDog/go-sqllexer"
	"go.opentelemetry.io/otel/attribute"
	otellog "go.opentelemetry.io/otel/log"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"
	"go.uber.org/zap"

	"github.com/veilhq/veil/internal/oteltest"
	"github.com/veilhq/veil/redact"
	"github.com/veilhq/veil/token"
)

// decodeLines parses JSON lines and removes the time field.
func decodeLines(t *testing.T, b []byte) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, line := range bytes.Split(bytes.TrimSpace(b), []byte("\n")) {
		if len(line) == 0 {
			continue
		}
		var m map[string]any
		if err := json.Unmarshal(line, &m); err != nil {
			t.Fatalf("output is not JSON: %v: %s", err, line)
		}
		delete(m, "time")
		out = append(out, m)
	}
	return out
}

func TestRedactSidesAgree(t *testing.T) {
	// Each scenario logs what the benchmark of the same name logs.
	scenarios := []struct {
		name string
		log  func(l *slog.Logger)
	}{
		{"clean", func(l *slog.Logger) { l.LogAttrs(ctx, slog.LevelInfo, "request handled", cleanAttrs()...) }},
		{"pii", func(l *slog.Logger) { l.LogAttrs(ctx, slog.LevelInfo, "login failed", piiAttrs()...) }},
		{"with-once", func(l *slog.Logger) {
			l.With(attrsAny(piiAttrs())...).LogAttrs(ctx, slog.LevelInfo, "order listed", slog.Int("count", 3), slog.String("page", "2"))
		}},
	}
	canaries := []string{canaryEmail, canaryPassword}
	for _, sc := range scenarios {
		outs := map[string][]byte{}
		for _, s := range redactSides(t) {
			var buf bytes.Buffer
			sc.log(s.logger(&buf))
			outs[s.name] = buf.Bytes()
		}
		for name, out := range outs {
			for _, c := range canaries {
				has := bytes.Contains(out, []byte(c))
				switch {
				case sc.name == "clean" && has:
					t.Errorf("%s/%s: the clean record contains canary %q", sc.name, name, c)
				case sc.name != "clean" && name == "bare" && !has:
					t.Errorf("%s/bare: canary %q missing: the record does not carry what the redactors are credited with removing", sc.name, c)
				case sc.name != "clean" && name != "bare" && has:
					t.Errorf("%s/%s: canary %q leaked: %s", sc.name, name, c, out)
				}
			}
			// Nobody may win by dropping the record or everything in it.
			if name != "bare" && !bytes.Contains(out, []byte(`"status":`)) && sc.name != "with-once" {
				t.Errorf("%s/%s: clean fields are missing: %s", sc.name, name, out)
			}
		}
		if sc.name == "clean" {
			want := decodeLines(t, outs["bare"])
			for name, out := range outs {
				if got := decodeLines(t, out); !jsonEqual(got, want) {
					t.Errorf("clean/%s differs from the bare handler:\n got %s\nwant %s", name, out, outs["bare"])
				}
			}
		}
		if sc.name == "pii" {
			for _, name := range []string{"veil", "veil-tokenize", "masq"} {
				if !bytes.Contains(outs[name], []byte(`"plan":"pro"`)) {
					t.Errorf("pii/%s: the clean field account.plan was not kept: %s", name, outs[name])
				}
			}
			if !bytes.Contains(outs["veil-tokenize"], []byte("tok_k1_")) {
				t.Errorf("pii/veil-tokenize: no token in %s", outs["veil-tokenize"])
			}
		}
	}
}

func jsonEqual(a, b any) bool {
	ja, err1 := json.Marshal(a)
	jb, err2 := json.Marshal(b)
	return err1 == nil && err2 == nil && bytes.Equal(ja, jb)
}

func TestSamplersAgree(t *testing.T) {
	const n = 10
	for _, p := range paths {
		want := n
		if p.first == 1 {
			want = 1
		}
		for _, s := range slogSamplers {
			var buf bytes.Buffer
			l := slog.New(s.wrap(slog.NewJSONHandler(&buf, nil), p.first))
			for range n {
				l.LogAttrs(ctx, slog.LevelInfo, "cache miss", slog.Int("shard", 7))
			}
			if got := len(decodeLines(t, buf.Bytes())); got != want {
				t.Errorf("%s/%s: %d of %d records passed, want %d", p.name, s.name, got, n, want)
			}
		}
		var buf bytes.Buffer
		l := zap.New(zapSampler(zapJSONCore(&buf), int(p.first)))
		for range n {
			l.Info("cache miss", zap.Int("shard", 7))
		}
		if got := len(decodeLines(t, buf.Bytes())); got != want {
			t.Errorf("%s/zap: %d of %d records passed, want %d", p.name, got, n, want)
		}
	}
}

func TestDetectSidesAgree(t *testing.T) {
	r, err := redact.New()
	if err != nil {
		t.Fatal(err)
	}
	for _, in := range []string{cleanText, piiText} {
		if len(in) != 1024 {
			t.Fatalf("input is %d bytes, want 1024", len(in))
		}
	}
	if got := r.Redact(cleanText); got != cleanText {
		t.Errorf("veil changed the clean text:\n%s", got)
	}
	if got := detectRE.ReplaceAllString(cleanText, "[REDACTED]"); got != cleanText {
		t.Errorf("regexp changed the clean text (a false positive makes the comparison unfair):\n%s", got)
	}
	sides := map[string]string{
		"veil":   r.Redact(piiText),
		"regexp": detectRE.ReplaceAllString(piiText, "[REDACTED]"),
	}
	for _, c := range piiCanaries {
		if !strings.Contains(piiText, c) {
			t.Fatalf("canary %q is not in the input", c)
		}
		for name, out := range sides {
			if strings.Contains(out, c) {
				t.Errorf("%s: canary %q left in the output", name, c)
			}
		}
	}
}

func TestSQLSidesAgree(t *testing.T) {
	r, err := redact.New()
	if err != nil {
		t.Fatal(err)
	}
	obf := sqllexer.NewObfuscator()
	for _, c := range sqlCases {
		var buf bytes.Buffer
		slog.New(r.Handler(slog.NewJSONHandler(&buf, nil))).Info("query", "db.query.text", c.q)
		lines := decodeLines(t, buf.Bytes())
		if len(lines) != 1 {
			t.Fatalf("%s: %d records", c.name, len(lines))
		}
		veil, _ := lines[0]["db.query.text"].(string)
		for name, out := range map[string]string{"veil": veil, "sqllexer": obf.Obfuscate(c.q)} {
			if !strings.Contains(out, "SELECT") || !strings.Contains(out, "?") {
				t.Errorf("%s/%s: not an obfuscated statement: %q", c.name, name, out)
			}
			for _, lit := range []string{"alice.smith@example.com", "bob@example.org", "'paid'", "100.50"} {
				if strings.Contains(c.q, lit) && strings.Contains(out, lit) {
					t.Errorf("%s/%s: literal %s kept: %q", c.name, name, lit, out)
				}
			}
		}
	}
}

func TestTokenMatchesBareHMAC(t *testing.T) {
	tok := token.New(benchKeyring(t))
	enc := base32.NewEncoding("abcdefghijklmnopqrstuvwxyz234567").WithPadding(base32.NoPadding)
	for _, in := range tokenInputs {
		m := hmac.New(sha256.New, benchSecret)
		m.Write(macInput(in.value))
		want := "tok_k1_" + enc.EncodeToString(m.Sum(nil)[:16])
		if got := tok.Token(token.UserID, in.value); got != want {
			t.Errorf("%s: veil %q, bare HMAC %q: the two sides do not hash the same message", in.name, got, want)
		}
		cached := token.New(benchKeyring(t), token.WithCache(16))
		for range 2 {
			if got := cached.Token(token.UserID, in.value); got != want {
				t.Errorf("%s: cached %q, want %q", in.name, got, want)
			}
		}
	}
}

func TestSpanSidesAgree(t *testing.T) {
	for _, in := range []struct {
		name  string
		attrs []attribute.KeyValue
	}{{"clean", spanAttrs}, {"pii", spanPIIAttrs}} {
		out := map[string]string{}
		for side := range tracerSides(t, discardSpans{}) {
			exp := tracetest.NewInMemoryExporter()
			_, span := tracerSides(t, exp)[side].Start(ctx, "GET /api/v2/orders/{id}", trace.WithAttributes(in.attrs...))
			span.End()
			spans := exp.GetSpans()
			if len(spans) != 1 {
				t.Fatalf("%s/%s: %d spans exported, want 1", in.name, side, len(spans))
			}
			if len(spans[0].Attributes) != len(in.attrs) {
				t.Errorf("%s/%s: %d attributes exported, want %d", in.name, side, len(spans[0].Attributes), len(in.attrs))
			}
			b, err := json.Marshal(spans[0].Attributes)
			if err != nil {
				t.Fatal(err)
			}
			out[side] = string(b)
		}
		if in.name == "clean" && out["bare"] != out["veil"] {
			t.Errorf("clean span: veil changed attributes:\n got %s\nwant %s", out["veil"], out["bare"])
		}
		if in.name == "pii" {
			if !strings.Contains(out["bare"], canaryEmail) {
				t.Errorf("pii span: the bare side does not carry the canary: %s", out["bare"])
			}
			if strings.Contains(out["veil"], canaryEmail) {
				t.Errorf("pii span: canary leaked through veil: %s", out["veil"])
			}
		}
	}
}

func TestLogRecordSidesAgree(t *testing.T) {
	for _, in := range []struct {
		name string
		rec  otellog.Record
	}{{"clean", cleanLogRecord}, {"pii", piiLogRecord}} {
		out := map[string]string{}
		for side := range loggerSides(t, discardLogs{}) {
			exp := &oteltest.LogExporter{}
			loggerSides(t, exp)[side].Emit(ctx, in.rec)
			if len(exp.Records()) != 1 {
				t.Fatalf("%s/%s: %d records exported, want 1", in.name, side, len(exp.Records()))
			}
			r := exp.Records()[0]
			var sb strings.Builder
			sb.WriteString(r.Body().String())
			n := 0
			r.WalkAttributes(func(kv attribute.KeyValue) bool {
				n++
				sb.WriteString(" " + string(kv.Key) + "=" + kv.Value.String())
				return true
			})
			if n != in.rec.AttributesLen() {
				t.Errorf("%s/%s: %d attributes exported, want %d", in.name, side, n, in.rec.AttributesLen())
			}
			out[side] = sb.String()
		}
		if in.name == "clean" && out["bare"] != out["veil"] {
			t.Errorf("clean record: veil changed it:\n got %s\nwant %s", out["veil"], out["bare"])
		}
		if in.name == "pii" {
			for _, c := range []string{canaryEmail, canaryPassword} {
				if !strings.Contains(out["bare"], c) {
					t.Errorf("pii record: the bare side does not carry %q: %s", c, out["bare"])
				}
				if strings.Contains(out["veil"], c) {
					t.Errorf("pii record: %q leaked through veil: %s", c, out["veil"])
				}
			}
		}
	}
}

// TestFloorsAreBare: the floors of BenchmarkRedact and
// BenchmarkRedactInterleaved (rebuild, forward, iterate) write what the bare
// handler writes, so that each measures its own overhead alone.
func TestFloorsAreBare(t *testing.T) {
	for _, as := range [][]slog.Attr{cleanAttrs(), piiAttrs()} {
		var want bytes.Buffer
		slog.New(slog.NewJSONHandler(&want, nil)).With("a", 1).WithGroup("g").LogAttrs(ctx, slog.LevelInfo, "m", as...)
		for name, floor := range map[string]func(slog.Handler) slog.Handler{
			"rebuild": func(h slog.Handler) slog.Handler { return rebuildHandler{h} },
			"forward": func(h slog.Handler) slog.Handler { return &forwardHandler{h} },
			"iterate": func(h slog.Handler) slog.Handler { return &iterateHandler{h} },
		} {
			var got bytes.Buffer
			slog.New(floor(slog.NewJSONHandler(&got, nil))).With("a", 1).WithGroup("g").LogAttrs(ctx, slog.LevelInfo, "m", as...)
			if g, w := decodeLines(t, got.Bytes()), decodeLines(t, want.Bytes()); !jsonEqual(g, w) || want.Len() == 0 {
				t.Errorf("%s: %s\nwant %s", name, got.Bytes(), want.Bytes())
			}
		}
	}
}
