package sampling

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"testing/slogtest"
	"time"
)

func TestHandlerFirstThereafter(t *testing.T) {
	tests := []struct {
		first, thereafter, n int
	}{
		{first: 3, thereafter: 5, n: 2},
		{first: 3, thereafter: 5, n: 3},
		{first: 3, thereafter: 5, n: 40},
		{first: 0, thereafter: 4, n: 17},
		{first: 10, thereafter: 0, n: 50},
		{first: 1, thereafter: 1, n: 20},
		{first: -5, thereafter: -1, n: 9}, // negative options act as 0
	}
	for _, tc := range tests {
		t.Run(fmt.Sprintf("first=%d,thereafter=%d,n=%d", tc.first, tc.thereafter, tc.n), func(t *testing.T) {
			clk := newFakeClock()
			next, buf := jsonSink(slog.LevelDebug)
			h := NewHandler(next, WithFirst(tc.first), WithThereafter(tc.thereafter), WithClock(clk.Now))
			log := slog.New(h)
			for i := 0; i < tc.n; i++ {
				log.Info("same message", "i", i)
			}
			// Reference: record k (1-based) passes when k <= first, or
			// when thereafter > 0 and (k-first) is a multiple of it.
			first, after := max(tc.first, 0), max(tc.thereafter, 0)
			var want []string
			for k := 1; k <= tc.n; k++ {
				if k <= first || (after > 0 && (k-first)%after == 0) {
					want = append(want, fmt.Sprint(k-1))
				}
			}
			var got []string
			for _, m := range lines(t, buf) {
				got = append(got, fmt.Sprint(m["i"]))
			}
			if strings.Join(got, ",") != strings.Join(want, ",") {
				t.Errorf("accepted records %v, want %v", got, want)
			}
			st := h.Stats()
			if st.Seen != uint64(tc.n) || st.Accepted != uint64(len(want)) || st.Dropped != uint64(tc.n-len(want)) {
				t.Errorf("Stats = %+v, want seen %d accepted %d", st, tc.n, len(want))
			}
		})
	}
}

func TestHandlerTickSummary(t *testing.T) {
	const secret = "canary-4f1c-secret"
	clk := newFakeClock()
	next, buf := jsonSink(slog.LevelDebug)
	h := NewHandler(next, WithTick(time.Second), WithFirst(2), WithThereafter(0), WithClock(clk.Now))
	log := slog.New(h)
	for i := 0; i < 7; i++ {
		log.Info("hot path", "password", secret)
	}
	log.Warn("hot path", "i", 1) // other level: own counter
	if got := msgs(t, buf); len(got) != 3 {
		t.Fatalf("before the tick: %d records %v, want 3", len(got), got)
	}
	clk.Advance(time.Second)
	log.Info("hot path", "i", 2) // new tick: accepted, and the summary is due
	out := lines(t, buf)
	if len(out) != 5 {
		t.Fatalf("after the tick: %d records, want 5: %v", len(out), out)
	}
	var summary map[string]any
	for _, m := range out {
		if _, ok := m["sampling.dropped"]; ok {
			summary = m
		}
	}
	if summary == nil {
		t.Fatalf("no summary in %v", out)
	}
	if summary["sampling.dropped"] != float64(5) || summary["sampling.message"] != "hot path" ||
		summary["msg"] != `dropped 5 records like "hot path"` || summary["level"] != "INFO" {
		t.Errorf("summary = %v", summary)
	}
	if n := strings.Count(buf.String(), secret); n != 2 {
		t.Errorf("secret of dropped records leaked: %d occurrences, want the 2 accepted", n)
	}
	// Nothing dropped since: Flush emits nothing.
	before := len(lines(t, buf))
	if err := h.Flush(context.Background()); err != nil {
		t.Fatal(err)
	}
	if after := len(lines(t, buf)); after != before {
		t.Errorf("Flush without drops emitted %d records", after-before)
	}
}

func TestHandlerNeverDrop(t *testing.T) {
	tests := []struct {
		name      string
		opts      []Option
		level     slog.Level
		wantEvery bool
	}{
		{"error default", nil, slog.LevelError, true},
		{"warn default", nil, slog.LevelWarn, false},
		{"warn lowered", []Option{WithNeverDrop(slog.LevelWarn)}, slog.LevelWarn, true},
		{"error raised", []Option{WithNeverDrop(slog.LevelError + 4)}, slog.LevelError, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			next, buf := jsonSink(slog.LevelDebug)
			h := NewHandler(next, append(tc.opts, WithFirst(1), WithThereafter(0))...)
			for i := 0; i < 10; i++ {
				slog.New(h).Log(context.Background(), tc.level, "boom")
			}
			got := len(lines(t, buf))
			if (got == 10) != tc.wantEvery || (!tc.wantEvery && got != 1) {
				t.Errorf("got %d records, want every=%v", got, tc.wantEvery)
			}
		})
	}
}

func TestHandlerSharedAcrossDerived(t *testing.T) {
	next, buf := jsonSink(slog.LevelDebug)
	h := NewHandler(next, WithFirst(2), WithThereafter(0))
	a := slog.New(h).With("svc", "a")
	b := slog.New(h).WithGroup("g").With("svc", "b")
	a.Info("shared")
	b.Info("shared")
	a.Info("shared") // third of the same message across loggers: dropped
	b.Info("other")  // other message: own budget
	out := lines(t, buf)
	if len(out) != 3 {
		t.Fatalf("got %d records, want 3: %v", len(out), out)
	}
	if out[1]["g"].(map[string]any)["svc"] != "b" {
		t.Errorf("derived handler lost its group/attrs: %v", out[1])
	}
	if st := h.Stats(); st.Dropped != 1 || st.Seen != 4 {
		t.Errorf("Stats = %+v", st)
	}
}

func TestHandlerAccountingConcurrent(t *testing.T) {
	clk := newFakeClock()
	ch := &countHandler{}
	h := NewHandler(ch, WithFirst(5), WithThereafter(7), WithTick(time.Millisecond), WithClock(clk.Now))
	const goroutines, per = 16, 3000
	var wg sync.WaitGroup
	for g := 0; g < goroutines; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			log := slog.New(h).With("g", g)
			for i := 0; i < per; i++ {
				if i%500 == 0 {
					clk.Advance(time.Millisecond / 2)
				}
				switch i % 3 {
				case 0:
					log.Info("a")
				case 1:
					log.Debug("b")
				default:
					log.Error("c") // never dropped
				}
			}
		}()
	}
	wg.Wait()
	if err := h.Flush(context.Background()); err != nil {
		t.Fatal(err)
	}
	st := h.Stats()
	if st.Seen != goroutines*per {
		t.Errorf("Seen = %d, want %d", st.Seen, goroutines*per)
	}
	if st.Accepted+st.Dropped != st.Seen {
		t.Errorf("Accepted %d + Dropped %d != Seen %d", st.Accepted, st.Dropped, st.Seen)
	}
	if got := uint64(ch.records.Load()); got != st.Accepted {
		t.Errorf("next handler got %d records, Stats.Accepted = %d", got, st.Accepted)
	}
	if got := uint64(ch.dropped.Load()); got != st.Dropped {
		t.Errorf("summaries report %d dropped, Stats.Dropped = %d", got, st.Dropped)
	}
	if st.Dropped == 0 {
		t.Error("nothing was dropped; the test does not exercise the limit")
	}
}

func TestHandlerOddMessages(t *testing.T) {
	tests := []struct{ name, msg string }{
		{"empty", ""},
		{"invalid utf8", "bad \xff\xfe bytes"},
		{"huge", strings.Repeat("x", 1<<20)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			next, buf := jsonSink(slog.LevelDebug)
			h := NewHandler(next, WithFirst(1), WithThereafter(0))
			for i := 0; i < 3; i++ {
				slog.New(h).Info(tc.msg)
			}
			if err := h.Close(); err != nil {
				t.Fatal(err)
			}
			out := lines(t, buf)
			if len(out) != 2 {
				t.Fatalf("got %d lines, want record + summary", len(out))
			}
			if out[1]["sampling.dropped"] != float64(2) {
				t.Errorf("summary = %v", out[1]["sampling.dropped"])
			}
		})
	}
}

type errHandler struct{ slog.Handler }

var errNext = errors.New("next failed")

func (errHandler) Handle(context.Context, slog.Record) error { return errNext }

func TestHandlerErrors(t *testing.T) {
	h := NewHandler(errHandler{slog.DiscardHandler}, WithFirst(1), WithThereafter(0))
	r := slog.NewRecord(time.Now(), slog.LevelInfo, "m", 0)
	if err := h.Handle(context.Background(), r); !errors.Is(err, errNext) {
		t.Errorf("accepted record: err = %v, want the next handler's", err)
	}
	if err := h.Handle(context.Background(), r); err != nil {
		t.Errorf("dropped record: err = %v, want nil", err)
	}
	if err := h.Flush(context.Background()); !errors.Is(err, errNext) {
		t.Errorf("Flush: err = %v, want the next handler's", err)
	}
}

func TestHandlerSlogtest(t *testing.T) {
	var buf *syncBuffer
	slogtest.Run(t, func(t *testing.T) slog.Handler {
		var next slog.Handler
		buf = &syncBuffer{}
		next = slog.NewJSONHandler(buf, nil)
		return NewHandler(next)
	}, func(t *testing.T) map[string]any {
		out := lines(t, buf)
		if len(out) != 1 {
			t.Fatalf("got %d lines", len(out))
		}
		return out[0]
	})
}
