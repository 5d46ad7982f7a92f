package sampling

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"go.opentelemetry.io/otel/trace"
)

// fakeClock is an injectable clock.
type fakeClock struct{ ns atomic.Int64 }

func newFakeClock() *fakeClock {
	c := &fakeClock{}
	c.ns.Store(time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC).UnixNano())
	return c
}

func (c *fakeClock) Now() time.Time          { return time.Unix(0, c.ns.Load()) }
func (c *fakeClock) Advance(d time.Duration) { c.ns.Add(int64(d)) }

// syncBuffer is a goroutine-safe bytes.Buffer.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// jsonSink returns a JSON handler at level and its output.
func jsonSink(level slog.Level) (slog.Handler, *syncBuffer) {
	buf := &syncBuffer{}
	return slog.NewJSONHandler(buf, &slog.HandlerOptions{Level: level, ReplaceAttr: dropTime}), buf
}

func dropTime(groups []string, a slog.Attr) slog.Attr {
	if len(groups) == 0 && a.Key == slog.TimeKey {
		return slog.Attr{}
	}
	return a
}

// lines parses the JSON lines of buf.
func lines(t *testing.T, buf *syncBuffer) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, l := range strings.Split(strings.TrimSpace(buf.String()), "\n") {
		if l == "" {
			continue
		}
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatalf("bad JSON line %q: %v", l, err)
		}
		out = append(out, m)
	}
	return out
}

// msgs returns the "msg" of each line.
func msgs(t *testing.T, buf *syncBuffer) []string {
	t.Helper()
	var out []string
	for _, m := range lines(t, buf) {
		out = append(out, m["msg"].(string))
	}
	return out
}

// traced returns ctx carrying a sampled span context with a trace ID made
// from n.
func traced(ctx context.Context, n int) context.Context {
	var tid trace.TraceID
	var sid trace.SpanID
	for i := range tid {
		tid[i] = byte(n >> (8 * (i % 4)))
	}
	tid[15] ^= 0x5a
	sid[0], sid[7] = 1, byte(n)
	sc := trace.NewSpanContext(trace.SpanContextConfig{TraceID: tid, SpanID: sid, TraceFlags: trace.FlagsSampled})
	return trace.ContextWithSpanContext(ctx, sc)
}

// countHandler counts records, separating summaries of the rate limiter.
type countHandler struct {
	records   atomic.Int64
	summaries atomic.Int64
	dropped   atomic.Int64
}

func (c *countHandler) Enabled(context.Context, slog.Level) bool { return true }
func (c *countHandler) WithAttrs([]slog.Attr) slog.Handler       { return c }
func (c *countHandler) WithGroup(string) slog.Handler            { return c }
func (c *countHandler) Handle(_ context.Context, r slog.Record) error {
	var n int64 = -1
	r.Attrs(func(a slog.Attr) bool {
		if a.Key == "sampling.dropped" {
			n = int64(a.Value.Uint64())
		}
		return true
	})
	if n >= 0 {
		c.summaries.Add(1)
		c.dropped.Add(n)
	} else {
		c.records.Add(1)
	}
	return nil
}

// discardJSON is an enabled handler that writes nowhere.
var discardJSON = slog.NewJSONHandler(io.Discard, nil)
