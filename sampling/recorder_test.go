package sampling

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime"
	"strings"
	"sync"
	"testing"
	"testing/slogtest"
	"time"

	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
)

func TestRecorderFlushOrder(t *testing.T) {
	next, buf := jsonSink(slog.LevelDebug)
	f := NewFlightRecorder(next)
	log := slog.New(f)
	a, b := traced(context.Background(), 1), traced(context.Background(), 2)
	for i := 0; i < 10; i++ {
		log.InfoContext(a, "step a", "i", i)
		log.WarnContext(b, "step b", "i", i)
	}
	if out := buf.String(); out != "" {
		t.Fatalf("records below the trigger were emitted early: %s", out)
	}
	log.ErrorContext(a, "failed a")
	out := lines(t, buf)
	if len(out) != 11 {
		t.Fatalf("got %d records, want 10 held + trigger", len(out))
	}
	for i, m := range out[:10] {
		if m["msg"] != "step a" || m["i"] != float64(i) {
			t.Errorf("record %d = %v, want step a #%d", i, m, i)
		}
	}
	if out[10]["msg"] != "failed a" {
		t.Errorf("last record = %v, want the trigger", out[10])
	}
	st := f.Stats()
	if st.Flushed != 10 || st.Held != 10 || st.Traces != 1 {
		t.Errorf("Stats = %+v, want 10 flushed and trace b still held", st)
	}
	// The trace starts over after a flush.
	log.ErrorContext(a, "failed again")
	if got := len(lines(t, buf)); got != 12 {
		t.Errorf("second trigger: %d lines, want 12", got)
	}
}

func TestRecorderRealSpans(t *testing.T) {
	tp := sdktrace.NewTracerProvider(sdktrace.WithSyncer(tracetest.NewInMemoryExporter()))
	defer func() { _ = tp.Shutdown(context.Background()) }()
	next, buf := jsonSink(slog.LevelDebug)
	log := slog.New(NewFlightRecorder(next, WithCaptureLevel(slog.LevelDebug)))
	ctx, span := tp.Tracer("t").Start(context.Background(), "req")
	log.DebugContext(ctx, "detail")
	child, cspan := tp.Tracer("t").Start(ctx, "db")
	log.ErrorContext(child, "query failed") // same trace, other span
	cspan.End()
	span.End()
	if got := msgs(t, buf); strings.Join(got, "|") != "detail|query failed" {
		t.Errorf("got %v", got)
	}
}

func TestRecorderExpiryByAge(t *testing.T) {
	const secret = "canary-expired-7d2e"
	clk := newFakeClock()
	next, buf := jsonSink(slog.LevelDebug)
	f := NewFlightRecorder(next, WithMaxAge(10*time.Second), WithClock(clk.Now))
	log := slog.New(f)
	ctx := traced(context.Background(), 7)
	log.InfoContext(ctx, "old", "token", secret)
	clk.Advance(6 * time.Second)
	log.InfoContext(ctx, "recent")
	clk.Advance(5 * time.Second) // "old" is 11s old, "recent" 5s
	log.ErrorContext(ctx, "boom")
	if got := msgs(t, buf); strings.Join(got, "|") != "recent|boom" {
		t.Errorf("got %v, want the old record expired", got)
	}
	if strings.Contains(buf.String(), secret) {
		t.Error("expired record leaked")
	}
	if st := f.Stats(); st.Expired != 1 || st.Flushed != 1 {
		t.Errorf("Stats = %+v", st)
	}

	// Whole idle traces expire lazily on any call.
	other := traced(context.Background(), 8)
	log.InfoContext(other, "idle", "token", secret)
	clk.Advance(11 * time.Second)
	log.InfoContext(traced(context.Background(), 9), "unrelated")
	if st := f.Stats(); st.Expired != 2 || st.Traces != 1 {
		t.Errorf("after idle expiry: Stats = %+v", st)
	}
	clk.Advance(11 * time.Second)
	f.Expire()
	if st := f.Stats(); st.Held != 0 || st.Bytes != 0 || st.Traces != 0 {
		t.Errorf("after Expire: Stats = %+v", st)
	}
	log.ErrorContext(other, "late error")
	if strings.Contains(buf.String(), secret) {
		t.Error("expired record leaked")
	}
}

func TestRecorderMaxRecords(t *testing.T) {
	next, buf := jsonSink(slog.LevelDebug)
	f := NewFlightRecorder(next, WithMaxRecords(5))
	log := slog.New(f)
	ctx := traced(context.Background(), 1)
	for i := 0; i < 8; i++ {
		log.InfoContext(ctx, fmt.Sprint("r", i))
	}
	log.ErrorContext(ctx, "boom")
	if got := strings.Join(msgs(t, buf), ","); got != "r3,r4,r5,r6,r7,boom" {
		t.Errorf("got %s, want the newest 5 then the trigger", got)
	}
	if st := f.Stats(); st.Evicted != 3 || st.Flushed != 5 {
		t.Errorf("Stats = %+v", st)
	}
}

func TestRecorderMemoryBoundFlood(t *testing.T) {
	const maxBytes = 64 << 10
	next, buf := jsonSink(slog.LevelDebug)
	f := NewFlightRecorder(next, WithMaxBytes(maxBytes))
	log := slog.New(f)
	const traces, per = 5000, 3
	for i := 0; i < traces; i++ {
		ctx := traced(context.Background(), i)
		for j := 0; j < per; j++ {
			log.InfoContext(ctx, "flood", "payload", strings.Repeat("p", 100), "j", j)
		}
		if i%97 == 0 {
			if st := f.Stats(); st.Bytes > maxBytes {
				t.Fatalf("after %d traces: %d bytes held, bound %d", i, st.Bytes, maxBytes)
			}
		}
	}
	st := f.Stats()
	if st.Bytes > maxBytes || st.Evicted == 0 {
		t.Fatalf("Stats = %+v", st)
	}
	if total := uint64(st.Held) + st.Evicted + st.Expired + st.Flushed; total != traces*per {
		t.Errorf("held+evicted+expired+flushed = %d, want %d", total, traces*per)
	}
	// Oldest traces went first: the newest still flushes, the first does not.
	log.ErrorContext(traced(context.Background(), 0), "first")
	log.ErrorContext(traced(context.Background(), traces-1), "last")
	if got := strings.Join(msgs(t, buf), ","); got != "first,flood,flood,flood,last" {
		t.Errorf("got %s", got)
	}
}

func TestRecorderOversizedRecord(t *testing.T) {
	const secret = "canary-huge-0a9b"
	next, buf := jsonSink(slog.LevelDebug)
	f := NewFlightRecorder(next, WithMaxBytes(4096))
	log := slog.New(f)
	ctx := traced(context.Background(), 1)
	log.InfoContext(ctx, "huge", "v", strings.Repeat("x", 1<<20)+secret)
	log.InfoContext(ctx, "bad utf8 \xff", "v", "\xfe\xff")
	log.InfoContext(ctx, "")
	if st := f.Stats(); st.Evicted != 1 || st.Held != 2 {
		t.Errorf("Stats = %+v, want the huge record evicted, the others held", st)
	}
	log.ErrorContext(ctx, "boom")
	if strings.Contains(buf.String(), secret) {
		t.Error("evicted record leaked")
	}
	if got := len(lines(t, buf)); got != 3 {
		t.Errorf("got %d lines, want 3", got)
	}
}

func TestRecorderDerivedChains(t *testing.T) {
	next, buf := jsonSink(slog.LevelDebug)
	f := NewFlightRecorder(next)
	base := slog.New(f)
	ctx := traced(context.Background(), 3)
	base.With("svc", "a").InfoContext(ctx, "one")
	base.WithGroup("req").With("id", 7).InfoContext(ctx, "two", "k", "v")
	base.ErrorContext(ctx, "three")
	out := lines(t, buf)
	if len(out) != 3 {
		t.Fatalf("got %d lines", len(out))
	}
	if out[0]["svc"] != "a" {
		t.Errorf("first record lost its attrs: %v", out[0])
	}
	g, _ := out[1]["req"].(map[string]any)
	if g["id"] != float64(7) || g["k"] != "v" {
		t.Errorf("second record lost its group: %v", out[1])
	}
	if _, ok := out[2]["svc"]; ok {
		t.Errorf("trigger got attrs of another logger: %v", out[2])
	}
}

func TestRecorderUntraced(t *testing.T) {
	tests := []struct {
		name string
		opts []Option
		want string
	}{
		{"pass through by default", nil, "info,error"},
		{"drop", []Option{WithDropUntraced(true)}, "error"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			next, buf := jsonSink(slog.LevelDebug)
			log := slog.New(NewFlightRecorder(next, tc.opts...))
			log.Info("info")
			log.Error("error")
			if got := strings.Join(msgs(t, buf), ","); got != tc.want {
				t.Errorf("got %s, want %s", got, tc.want)
			}
		})
	}
}

func TestRecorderKeyFuncAndTrigger(t *testing.T) {
	type k struct{}
	key := func(ctx context.Context) (string, bool) {
		v, ok := ctx.Value(k{}).(string)
		return v, ok
	}
	next, buf := jsonSink(slog.LevelDebug)
	log := slog.New(NewFlightRecorder(next, WithKeyFunc(key), WithTrigger(slog.LevelWarn)))
	ctx := context.WithValue(context.Background(), k{}, "req-1")
	log.InfoContext(ctx, "held")
	log.WarnContext(ctx, "warned")
	if got := strings.Join(msgs(t, buf), ","); got != "held,warned" {
		t.Errorf("got %s", got)
	}
}

func TestRecorderEnabled(t *testing.T) {
	next, _ := jsonSink(slog.LevelInfo)
	plain := NewFlightRecorder(next)
	deep := NewFlightRecorder(next, WithCaptureLevel(slog.LevelDebug))
	ctx := traced(context.Background(), 1)
	tests := []struct {
		name string
		f    *FlightRecorder
		ctx  context.Context
		l    slog.Level
		want bool
	}{
		{"plain debug traced", plain, ctx, slog.LevelDebug, false},
		{"plain info", plain, context.Background(), slog.LevelInfo, true},
		{"deep debug traced", deep, ctx, slog.LevelDebug, true},
		{"deep debug untraced", deep, context.Background(), slog.LevelDebug, false},
		{"deep below capture", deep, ctx, slog.LevelDebug - 1, false},
	}
	for _, tc := range tests {
		if got := tc.f.Enabled(tc.ctx, tc.l); got != tc.want {
			t.Errorf("%s: Enabled = %v, want %v", tc.name, got, tc.want)
		}
	}
}

type recSink struct {
	mu    sync.Mutex
	keys  []string
	got   [][]string
	block chan struct{}
	err   error
	panic bool
}

func (s *recSink) Capture(ctx context.Context, key string, recs []slog.Record) error {
	if s.block != nil {
		<-s.block
	}
	if s.panic {
		panic("sink exploded")
	}
	var m []string
	for _, r := range recs {
		m = append(m, r.Message)
	}
	s.mu.Lock()
	s.keys = append(s.keys, key)
	s.got = append(s.got, m)
	s.mu.Unlock()
	if _, ok := ctx.Deadline(); !ok {
		return errors.New("no deadline")
	}
	return s.err
}

func TestRecorderSink(t *testing.T) {
	var mu sync.Mutex
	var errs []error
	onErr := func(err error) { mu.Lock(); errs = append(errs, err); mu.Unlock() }
	errOf := func() []error { mu.Lock(); defer mu.Unlock(); return append([]error(nil), errs...) }

	t.Run("capture", func(t *testing.T) {
		s := &recSink{}
		f := NewFlightRecorder(discardJSON, WithSink(s), WithErrorHandler(onErr))
		log := slog.New(f)
		ctx := traced(context.Background(), 5)
		log.InfoContext(ctx, "a")
		log.InfoContext(ctx, "b")
		log.ErrorContext(ctx, "c")
		if err := f.Close(); err != nil {
			t.Fatal(err)
		}
		if len(s.got) != 1 || strings.Join(s.got[0], ",") != "a,b,c" {
			t.Errorf("captures = %v", s.got)
		}
		if len(s.keys) != 1 || len(s.keys[0]) != 32 {
			t.Errorf("trace key = %v, want the hex trace ID", s.keys)
		}
		if st := f.Stats(); st.Captures != 1 || st.CaptureErrors != 0 {
			t.Errorf("Stats = %+v", st)
		}
	})
	t.Run("errors and panics", func(t *testing.T) {
		for _, s := range []*recSink{{err: errors.New("disk full")}, {panic: true}} {
			f := NewFlightRecorder(discardJSON, WithSink(s), WithErrorHandler(onErr))
			slog.New(f).ErrorContext(traced(context.Background(), 1), "x")
			_ = f.Close()
			if st := f.Stats(); st.CaptureErrors != 1 {
				t.Errorf("Stats = %+v", st)
			}
		}
		if e := errOf(); len(e) != 2 || !strings.Contains(e[0].Error(), "disk full") || !strings.Contains(e[1].Error(), "panicked") {
			t.Errorf("errors = %v", e)
		}
	})
	t.Run("slow sink never blocks", func(t *testing.T) {
		mu.Lock()
		errs = nil
		mu.Unlock()
		s := &recSink{block: make(chan struct{})}
		f := NewFlightRecorder(discardJSON, WithSink(s), WithErrorHandler(onErr))
		log := slog.New(f)
		// The sink blocks on its first capture; the queue holds 64 more;
		// the rest are skipped. Every log call returns.
		const n = 100
		for i := 0; i < n; i++ {
			log.ErrorContext(traced(context.Background(), i), "x")
		}
		close(s.block)
		_ = f.Close()
		st := f.Stats()
		if st.Captures+st.CaptureErrors != n || st.CaptureErrors == 0 {
			t.Errorf("Stats = %+v", st)
		}
		for _, e := range errOf() {
			if !errors.Is(e, ErrSinkBusy) {
				t.Errorf("error %v, want ErrSinkBusy", e)
			}
		}
		// After Close, captures are skipped, not panicking on a closed queue.
		log.ErrorContext(traced(context.Background(), 1), "late")
		if e := errOf(); !errors.Is(e[len(e)-1], ErrClosed) {
			t.Errorf("after Close: %v", e[len(e)-1])
		}
	})
}

func TestRecorderNoGoroutineLeak(t *testing.T) {
	before := runtime.NumGoroutine()
	for i := 0; i < 20; i++ {
		f := NewFlightRecorder(discardJSON, WithSink(&recSink{}), WithJanitor(time.Millisecond))
		slog.New(f).ErrorContext(traced(context.Background(), i), "x")
		if err := f.Close(); err != nil {
			t.Fatal(err)
		}
		_ = f.Close() // idempotent
	}
	deadline := time.Now().Add(2 * time.Second)
	for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if after := runtime.NumGoroutine(); after > before {
		t.Errorf("goroutines: %d before, %d after Close", before, after)
	}
}

func TestRecorderJanitor(t *testing.T) {
	clk := newFakeClock()
	f := NewFlightRecorder(discardJSON, WithMaxAge(time.Second), WithClock(clk.Now), WithJanitor(time.Millisecond))
	defer f.Close()
	slog.New(f).InfoContext(traced(context.Background(), 1), "x")
	clk.Advance(2 * time.Second)
	deadline := time.Now().Add(5 * time.Second)
	for f.Stats().Expired == 0 && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	if st := f.Stats(); st.Expired != 1 || st.Held != 0 {
		t.Errorf("Stats = %+v", st)
	}
}

func TestRecorderConcurrent(t *testing.T) {
	ch := &countHandler{}
	f := NewFlightRecorder(ch, WithMaxBytes(32<<10), WithMaxRecords(8))
	var wg sync.WaitGroup
	const goroutines, per = 8, 2000
	for g := 0; g < goroutines; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			log := slog.New(f).With("g", g)
			for i := 0; i < per; i++ {
				ctx := traced(context.Background(), g*100+i%50)
				if i%10 == 9 {
					log.ErrorContext(ctx, "e")
				} else {
					log.InfoContext(ctx, "i")
				}
			}
		}()
	}
	wg.Wait()
	st := f.Stats()
	triggers := uint64(goroutines * per / 10)
	if got := uint64(ch.records.Load()); got != st.Flushed+triggers {
		t.Errorf("next got %d, want flushed %d + triggers %d", got, st.Flushed, triggers)
	}
	if total := uint64(st.Held) + st.Evicted + st.Expired + st.Flushed; total != goroutines*per-triggers {
		t.Errorf("accounting: %+v", st)
	}
}

func TestRecorderSlogtest(t *testing.T) {
	t.Run("pass through", func(t *testing.T) {
		var buf *syncBuffer
		slogtest.Run(t, func(t *testing.T) slog.Handler {
			buf = &syncBuffer{}
			return NewFlightRecorder(slog.NewJSONHandler(buf, nil))
		}, func(t *testing.T) map[string]any {
			return lines(t, buf)[0]
		})
	})
	t.Run("held then flushed", func(t *testing.T) {
		var buf *syncBuffer
		var f *FlightRecorder
		always := func(context.Context) (string, bool) { return "k", true }
		slogtest.Run(t, func(t *testing.T) slog.Handler {
			buf = &syncBuffer{}
			f = NewFlightRecorder(slog.NewJSONHandler(buf, nil), WithKeyFunc(always), WithTrigger(slog.LevelError+100))
			return f
		}, func(t *testing.T) map[string]any {
			if buf.String() != "" {
				t.Fatal("record emitted before the trigger")
			}
			trig := slog.NewRecord(time.Now(), slog.LevelError+100, "trigger", 0)
			if err := f.Handle(context.Background(), trig); err != nil {
				t.Fatal(err)
			}
			out := lines(t, buf)
			if len(out) != 2 {
				t.Fatalf("got %d lines, want held + trigger", len(out))
			}
			return out[0]
		})
	})
}

// FuzzRecorderOps drives a recorder with a random sequence of records,
// triggers and clock steps, and checks its invariants after each step.
func FuzzRecorderOps(f *testing.F) {
	f.Add([]byte{0, 1, 2, 3, 0x40, 0x81, 0xc2, 0x13, 0x55})
	f.Add([]byte("flight recorder"))
	f.Fuzz(func(t *testing.T, ops []byte) {
		clk := newFakeClock()
		ch := &countHandler{}
		const maxBytes = 4096
		rec := NewFlightRecorder(ch, WithMaxBytes(maxBytes), WithMaxRecords(4), WithMaxAge(time.Second), WithClock(clk.Now))
		log := slog.New(rec)
		var logged, triggers uint64
		for _, op := range ops {
			ctx := traced(context.Background(), int(op&7))
			switch op >> 6 {
			case 0, 1:
				log.InfoContext(ctx, "m", "v", strings.Repeat("x", int(op)*4))
				logged++
			case 2:
				log.ErrorContext(ctx, "e")
				triggers++
			case 3:
				clk.Advance(time.Duration(op&63) * 50 * time.Millisecond)
			}
			st := rec.Stats()
			if st.Bytes > maxBytes || st.Bytes < 0 || st.Held < 0 || st.Traces > 8 {
				t.Fatalf("bounds broken: %+v", st)
			}
			if total := uint64(st.Held) + st.Evicted + st.Expired + st.Flushed; total != logged {
				t.Fatalf("accounting: %+v, logged %d", st, logged)
			}
			if got := uint64(ch.records.Load()); got != st.Flushed+triggers {
				t.Fatalf("next got %d, want %d", got, st.Flushed+triggers)
			}
		}
	})
}
