package benchmarks

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	slogmulti "github.com/samber/slog-multi"
	slogsampling "github.com/samber/slog-sampling"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"

	"github.com/veilhq/veil/sampling"
)

// Every sampler is configured the same way: the same level and message
// share one counter, a tick of an hour (no reset during a run), and either
// "accept everything" (first = huge) or "accept the first record, drop the
// rest" (first = 1, thereafter = none). slog-sampling's threshold strategy
// draws a random number per record past the threshold instead of counting
// every M-th (Rate 0 drops them all).
const (
	sampleTick = time.Hour
	acceptAll  = 1 << 40
)

// nopHandler is an enabled slog.Handler that discards records without
// encoding them, so a sampler's own cost is what is measured.
type nopHandler struct{}

func (nopHandler) Enabled(context.Context, slog.Level) bool  { return true }
func (nopHandler) Handle(context.Context, slog.Record) error { return nil }
func (h nopHandler) WithAttrs([]slog.Attr) slog.Handler      { return h }
func (h nopHandler) WithGroup(string) slog.Handler           { return h }

// nopCore is the zapcore.Core counterpart of nopHandler.
type nopCore struct{}

func (nopCore) Enabled(zapcore.Level) bool          { return true }
func (c nopCore) With([]zapcore.Field) zapcore.Core { return c }
func (c nopCore) Check(e zapcore.Entry, ce *zapcore.CheckedEntry) *zapcore.CheckedEntry {
	return ce.AddCore(e, c)
}
func (nopCore) Write(zapcore.Entry, []zapcore.Field) error { return nil }
func (nopCore) Sync() error                                { return nil }

// slogSampler is one slog-based sampler under test.
type slogSampler struct {
	name string
	wrap func(next slog.Handler, first uint64) slog.Handler
}

var slogSamplers = []slogSampler{
	{"veil", func(next slog.Handler, first uint64) slog.Handler {
		return sampling.NewHandler(next, sampling.WithTick(sampleTick), sampling.WithFirst(int(first)), sampling.WithThereafter(0))
	}},
	{"slog-sampling", func(next slog.Handler, first uint64) slog.Handler {
		mw := slogsampling.ThresholdSamplingOption{Tick: sampleTick, Threshold: first, Rate: 0}.NewMiddleware()
		return slogmulti.Pipe(mw).Handler(next)
	}},
}

func zapSampler(next zapcore.Core, first int) zapcore.Core {
	return zapcore.NewSamplerWithOptions(next, sampleTick, first, 0)
}

var paths = []struct {
	name  string
	first uint64
}{{"accept", acceptAll}, {"drop", 1}}

// BenchmarkSamplingDecision measures the sampling decision alone: a record
// built once is handed to the sampler, whose next handler (or core)
// discards it without encoding. The drop path is the cost of a suppressed
// record; the accept path adds forwarding.
func BenchmarkSamplingDecision(b *testing.B) {
	for _, p := range paths {
		for _, s := range slogSamplers {
			b.Run("path="+p.name+"/side="+s.name, func(b *testing.B) {
				h := s.wrap(nopHandler{}, p.first)
				rec := slog.NewRecord(time.Now(), slog.LevelInfo, "cache miss", 0)
				rec.AddAttrs(slog.String("key", "orders:48213377"), slog.Int("shard", 7))
				_ = h.Handle(ctx, rec) // the first record of the tick is always accepted
				b.ReportAllocs()
				for b.Loop() {
					_ = h.Handle(ctx, rec)
				}
			})
		}
		b.Run("path="+p.name+"/side=zap", func(b *testing.B) {
			c := zapSampler(nopCore{}, int(p.first))
			ent := zapcore.Entry{Level: zapcore.InfoLevel, Time: time.Now(), Message: "cache miss"}
			fields := []zapcore.Field{zap.String("key", "orders:48213377"), zap.Int("shard", 7)}
			if ce := c.Check(ent, nil); ce != nil {
				ce.Write(fields...)
			}
			b.ReportAllocs()
			for b.Loop() {
				if ce := c.Check(ent, nil); ce != nil {
					ce.Write(fields...)
				}
			}
		})
	}
}

// BenchmarkSamplingLogger measures the same samplers through their loggers
// (slog.Logger.LogAttrs, zap.Logger.Info), writing JSON to io.Discard, next
// to the same logger without a sampler ("bare").
func BenchmarkSamplingLogger(b *testing.B) {
	for _, p := range paths {
		b.Run("path="+p.name+"/side=bare-slog", func(b *testing.B) {
			l := slog.New(slog.NewJSONHandler(io.Discard, nil))
			b.ReportAllocs()
			for b.Loop() {
				l.LogAttrs(ctx, slog.LevelInfo, "cache miss", slog.String("key", "orders:48213377"), slog.Int("shard", 7))
			}
		})
		for _, s := range slogSamplers {
			b.Run("path="+p.name+"/side="+s.name, func(b *testing.B) {
				l := slog.New(s.wrap(slog.NewJSONHandler(io.Discard, nil), p.first))
				b.ReportAllocs()
				for b.Loop() {
					l.LogAttrs(ctx, slog.LevelInfo, "cache miss", slog.String("key", "orders:48213377"), slog.Int("shard", 7))
				}
			})
		}
		b.Run("path="+p.name+"/side=bare-zap", func(b *testing.B) {
			l := zap.New(zapJSONCore(io.Discard))
			b.ReportAllocs()
			for b.Loop() {
				l.Info("cache miss", zap.String("key", "orders:48213377"), zap.Int("shard", 7))
			}
		})
		b.Run("path="+p.name+"/side=zap", func(b *testing.B) {
			l := zap.New(zapSampler(zapJSONCore(io.Discard), int(p.first)))
			b.ReportAllocs()
			for b.Loop() {
				l.Info("cache miss", zap.String("key", "orders:48213377"), zap.Int("shard", 7))
			}
		})
	}
}

func zapJSONCore(w io.Writer) zapcore.Core {
	return zapcore.NewCore(zapcore.NewJSONEncoder(zap.NewProductionEncoderConfig()), zapcore.AddSync(w), zapcore.DebugLevel)
}
