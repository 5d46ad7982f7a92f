package redact

import (
	"context"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"
)

var benchTime = time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)

func cleanRecord() slog.Record {
	rec := slog.NewRecord(benchTime, slog.LevelInfo, "request handled", 0)
	rec.AddAttrs(
		slog.String("method", "GET"),
		slog.String("path", "/api/v1/items/42"),
		slog.Int("status", 200),
		slog.Duration("latency", 1500*time.Microsecond),
		slog.String("request_id", "3f2a9c1e-7b4d-4e8a-9f0c-2d6b8a1e5c7f"),
		slog.Bool("cache_hit", true),
	)
	return rec
}

type benchAuth struct {
	Scheme string `json:"scheme"`
	Token  string `json:"token"`
}

type benchReq struct {
	Method string    `json:"method"`
	Path   string    `json:"path"`
	Auth   benchAuth `json:"auth"`
}

func dirtyRecord() slog.Record {
	rec := slog.NewRecord(benchTime, slog.LevelInfo, "login failed", 0)
	rec.AddAttrs(
		slog.String("user", "alice@example.com"),
		slog.Any("req", benchReq{"POST", "/login", benchAuth{"Bearer", "s3cr3t-t0ken"}}),
		slog.Int("status", 401),
		slog.Duration("latency", 1500*time.Microsecond),
		slog.String("request_id", "3f2a9c1e-7b4d-4e8a-9f0c-2d6b8a1e5c7f"),
		slog.Bool("cache_hit", false),
	)
	return rec
}

func benchHandle(b *testing.B, h slog.Handler, rec slog.Record) {
	b.ReportAllocs()
	ctx := context.Background()
	for b.Loop() {
		if err := h.Handle(ctx, rec); err != nil {
			b.Fatal(err)
		}
	}
}

func benchHandlers(b *testing.B) (bare, veil slog.Handler) {
	r, err := New()
	if err != nil {
		b.Fatal(err)
	}
	bare = slog.NewJSONHandler(io.Discard, nil)
	return bare, r.Handler(bare)
}

// BenchmarkClean: a record with nothing to redact. Target: veil ≤ 1.15× bare,
// no extra allocation (met by veil-json; see benchmarks/README.md).
func BenchmarkClean(b *testing.B) {
	benchSides(b, cleanRecord())
}

// BenchmarkDirty: an email and a nested struct holding a secret. Target:
// veil ≤ 1.6× bare.
func BenchmarkDirty(b *testing.B) {
	benchSides(b, dirtyRecord())
}

// benchSides runs rec through the bare slog JSON handler, veil in front of
// it, veil's own JSON encoder alone (jsonHandler, no redaction) and
// Redactor.JSONHandler (redaction and veil's encoder): veil-json less
// encoder is the redaction's cost in front of veil's encoder.
func benchSides(b *testing.B, rec slog.Record) {
	bare, veil := benchHandlers(b)
	r, err := New()
	if err != nil {
		b.Fatal(err)
	}
	b.Run("bare", func(b *testing.B) { benchHandle(b, bare, rec) })
	b.Run("veil", func(b *testing.B) { benchHandle(b, veil, rec) })
	b.Run("encoder", func(b *testing.B) { benchHandle(b, newJSONHandler(io.Discard, nil), rec) })
	b.Run("veil-json", func(b *testing.B) { benchHandle(b, r.JSONHandler(io.Discard, nil), rec) })
	// With a ReplaceAttr, as many services set one (here: no time).
	rep := &slog.HandlerOptions{ReplaceAttr: dropTime}
	b.Run("bare-replace", func(b *testing.B) { benchHandle(b, slog.NewJSONHandler(io.Discard, rep), rec) })
	b.Run("veil-json-replace", func(b *testing.B) { benchHandle(b, r.JSONHandler(io.Discard, rep), rec) })
}

// BenchmarkLogger: the records of BenchmarkClean and BenchmarkDirty logged
// through a *slog.Logger with LogAttrs, as an application does. Both sides
// pay for the logger's own work (time.Now, the caller's PC, building the
// record), so the ratio is smaller than that of the handler alone.
func BenchmarkLogger(b *testing.B) {
	bare, veil := benchHandlers(b)
	for _, rc := range []struct {
		name string
		rec  slog.Record
	}{{"Clean", cleanRecord()}, {"Dirty", dirtyRecord()}} {
		var attrs []slog.Attr
		rc.rec.Attrs(func(a slog.Attr) bool { attrs = append(attrs, a); return true })
		for _, hc := range []struct {
			name string
			h    slog.Handler
		}{{"bare", bare}, {"veil", veil}} {
			logger := slog.New(hc.h)
			b.Run(rc.name+"/"+hc.name, func(b *testing.B) {
				b.ReportAllocs()
				ctx := context.Background()
				for b.Loop() {
					logger.LogAttrs(ctx, slog.LevelInfo, rc.rec.Message, attrs...)
				}
			})
		}
	}
}

// BenchmarkWith: attributes given through With are redacted once; each
// record then carries two attributes.
func BenchmarkWith(b *testing.B) {
	bare, veil := benchHandlers(b)
	attrs := []slog.Attr{
		slog.String("service", "checkout"), slog.String("password", "hunter2"),
		slog.String("user", "alice@example.com"), slog.Int("pid", 4242),
	}
	rec := slog.NewRecord(benchTime, slog.LevelInfo, "request handled", 0)
	rec.AddAttrs(slog.Int("status", 200), slog.String("path", "/api/v1/items/42"))
	b.Run("bare", func(b *testing.B) { benchHandle(b, bare.WithAttrs(attrs).WithGroup("g"), rec) })
	b.Run("veil", func(b *testing.B) { benchHandle(b, veil.WithAttrs(attrs).WithGroup("g"), rec) })
}

func BenchmarkRedactText(b *testing.B) {
	r, err := New()
	if err != nil {
		b.Fatal(err)
	}
	clean := strings.Repeat("the quick brown fox jumps over the lazy dog ", 8)
	dirty := "login failed for alice@example.com from 10.0.0.1 with card 4111 1111 1111 1111"
	for _, c := range []struct{ name, s string }{{"clean", clean}, {"dirty", dirty}} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(c.s)))
			st := r.newState()
			for b.Loop() {
				r.redactText(&st, c.s)
			}
		})
	}
}

// BenchmarkStruct measures the cached per-type plan on a nested struct.
func BenchmarkStruct(b *testing.B) {
	r, err := New()
	if err != nil {
		b.Fatal(err)
	}
	v := slog.AnyValue(benchReq{"POST", "/login", benchAuth{"Bearer", "s3cr3t-t0ken"}})
	b.ReportAllocs()
	for b.Loop() {
		w := r.newWalker()
		w.value(v, r.child(r.root, "req"), true, 0, nil)
	}
}
