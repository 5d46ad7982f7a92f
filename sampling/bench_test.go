package sampling

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"
)

// benchRecord is a typical record: a short message and three attributes.
func benchRecord(l slog.Level) slog.Record {
	r := slog.NewRecord(time.Now(), l, "request handled", 0)
	r.AddAttrs(slog.String("route", "/api/orders/{id}"), slog.Int("status", 200), slog.Duration("elapsed", 3*time.Millisecond))
	return r
}

// BenchmarkHandler compares the rate limiter's drop and accept paths with a
// bare JSON handler in the same run.
func BenchmarkHandler(b *testing.B) {
	ctx := context.Background()
	r := benchRecord(slog.LevelInfo)
	b.Run("bare-json", func(b *testing.B) {
		h := slog.NewJSONHandler(io.Discard, nil)
		b.ReportAllocs()
		for b.Loop() {
			_ = h.Handle(ctx, r)
		}
	})
	b.Run("drop", func(b *testing.B) {
		h := NewHandler(slog.NewJSONHandler(io.Discard, nil), WithFirst(1), WithThereafter(0), WithTick(time.Hour))
		_ = h.Handle(ctx, r)
		b.ReportAllocs()
		for b.Loop() {
			_ = h.Handle(ctx, r)
		}
	})
	b.Run("accept", func(b *testing.B) {
		h := NewHandler(slog.NewJSONHandler(io.Discard, nil), WithFirst(1<<62), WithTick(time.Hour))
		b.ReportAllocs()
		for b.Loop() {
			_ = h.Handle(ctx, r)
		}
	})
	b.Run("drop-parallel", func(b *testing.B) {
		h := NewHandler(slog.NewJSONHandler(io.Discard, nil), WithFirst(1), WithThereafter(0), WithTick(time.Hour))
		_ = h.Handle(ctx, r)
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				_ = h.Handle(ctx, r)
			}
		})
	})
}

// BenchmarkFlightRecorder compares holding, flushing and passing through
// with a bare JSON handler in the same run.
func BenchmarkFlightRecorder(b *testing.B) {
	ctx := traced(context.Background(), 1)
	r := benchRecord(slog.LevelInfo)
	e := benchRecord(slog.LevelError)
	b.Run("bare-json", func(b *testing.B) {
		h := slog.NewJSONHandler(io.Discard, nil)
		b.ReportAllocs()
		for b.Loop() {
			_ = h.Handle(ctx, r)
		}
	})
	b.Run("untraced", func(b *testing.B) {
		f := NewFlightRecorder(slog.NewJSONHandler(io.Discard, nil))
		b.ReportAllocs()
		for b.Loop() {
			_ = f.Handle(context.Background(), r)
		}
	})
	b.Run("buffer", func(b *testing.B) {
		f := NewFlightRecorder(slog.NewJSONHandler(io.Discard, nil))
		b.ReportAllocs()
		for b.Loop() {
			_ = f.Handle(ctx, r) // the ring is full after 64: steady state evicts the oldest
		}
	})
	b.Run("flush-10", func(b *testing.B) {
		f := NewFlightRecorder(slog.NewJSONHandler(io.Discard, nil))
		b.ReportAllocs()
		for b.Loop() {
			for range 10 {
				_ = f.Handle(ctx, r)
			}
			_ = f.Handle(ctx, e)
		}
	})
	b.Run("bare-json-11", func(b *testing.B) {
		h := slog.NewJSONHandler(io.Discard, nil)
		b.ReportAllocs()
		for b.Loop() {
			for range 11 {
				_ = h.Handle(ctx, r)
			}
		}
	})
}

// BenchmarkUserSampler compares the user sampler with TraceIDRatioBased.
func BenchmarkUserSampler(b *testing.B) {
	p := sdktrace.SamplingParameters{
		ParentContext: withToken(b, context.Background(), DefaultBaggageKey, "tok_k2_AAAAAAAAAAAAAAAAAAAAAAAAAA"),
		TraceID:       trace.SpanContextFromContext(traced(context.Background(), 3)).TraceID(),
		Name:          "GET /api",
	}
	for _, bc := range []struct {
		name string
		s    sdktrace.Sampler
	}{
		{"traceid-ratio", sdktrace.TraceIDRatioBased(0.5)},
		{"user-token", NewUserSampler(0.5)},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				_ = bc.s.ShouldSample(p)
			}
		})
	}
}

// BenchmarkWindows measures the cost of the window handler and sampler with
// no window open (the steady state) and inside a window.
func BenchmarkWindows(b *testing.B) {
	next := slog.NewJSONHandler(io.Discard, nil)
	ws := NewWindows()
	h := ws.Handler(next)
	ctx := context.Background()
	b.Run("enabled-bare", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			_ = next.Enabled(ctx, slog.LevelDebug)
		}
	})
	b.Run("enabled-no-window", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			_ = h.Enabled(ctx, slog.LevelDebug)
		}
	})
	b.Run("match-no-window", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			_ = ws.Match(ctx, Request{Route: "/a", User: "tok_u1"})
		}
	})
	open := NewWindows()
	s := validSpec()
	if _, err := open.Open(s); err != nil {
		b.Fatal(err)
	}
	hw := open.Handler(next)
	in := open.Match(ctx, Request{User: "tok_u1"})
	b.Run("match-window", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			_ = open.Match(ctx, Request{User: "tok_u1"})
		}
	})
	b.Run("enabled-in-window", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			_ = hw.Enabled(in, slog.LevelDebug)
		}
	})
	p := sdktrace.SamplingParameters{ParentContext: ctx, TraceID: trace.TraceID{1}, Name: "x"}
	b.Run("sampler-delegate", func(b *testing.B) {
		d := sdktrace.ParentBased(sdktrace.AlwaysSample())
		b.ReportAllocs()
		for b.Loop() {
			_ = d.ShouldSample(p)
		}
	})
	b.Run("sampler-no-window", func(b *testing.B) {
		ss := ws.Sampler(sdktrace.ParentBased(sdktrace.AlwaysSample()))
		b.ReportAllocs()
		for b.Loop() {
			_ = ss.ShouldSample(p)
		}
	})
}
