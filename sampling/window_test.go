package sampling

import (
	"context"
	"fmt"
	"log/slog"
	"math"
	"strings"
	"sync"
	"testing"
	"testing/slogtest"
	"time"

	"go.opentelemetry.io/otel/attribute"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"
)

type eventLog struct {
	mu     sync.Mutex
	events []Event
}

func (l *eventLog) hook(e Event) { l.mu.Lock(); l.events = append(l.events, e); l.mu.Unlock() }
func (l *eventLog) kinds() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	var s []string
	for _, e := range l.events {
		s = append(s, e.Kind.String())
	}
	return strings.Join(s, ",")
}

func validSpec() Spec {
	return Spec{Match: Match{User: "tok_u1"}, Level: slog.LevelDebug, Rate: 1, Duration: 10 * time.Minute,
		Reason: "INC-1 checkout errors", Actor: "alice@ops"}
}

func TestWindowsOpenValidation(t *testing.T) {
	tests := []struct {
		name   string
		edit   func(*Spec)
		errHas string // "" means valid
	}{
		{"valid", func(*Spec) {}, ""},
		{"attribute only", func(s *Spec) { s.Match = Match{AttrKey: "feature", AttrValue: "x"} }, ""},
		{"at cap", func(s *Spec) { s.Duration = time.Hour }, ""},
		{"no match", func(s *Spec) { s.Match = Match{} }, "needs a match"},
		{"value without key", func(s *Spec) { s.Match.AttrValue = "x" }, "no attribute key"},
		{"no duration", func(s *Spec) { s.Duration = 0 }, "never indefinite"},
		{"negative duration", func(s *Spec) { s.Duration = -time.Minute }, "positive duration"},
		{"beyond cap", func(s *Spec) { s.Duration = time.Hour + time.Second }, "exceeds the maximum"},
		{"rate zero", func(s *Spec) { s.Rate = 0 }, "outside (0, 1]"},
		{"rate NaN", func(s *Spec) { s.Rate = math.NaN() }, "outside (0, 1]"},
		{"rate above one", func(s *Spec) { s.Rate = 1.5 }, "outside (0, 1]"},
		{"no reason", func(s *Spec) { s.Reason = "" }, "reason is required"},
		{"no actor", func(s *Spec) { s.Actor = "" }, "actor is required"},
		{"long route", func(s *Spec) { s.Match.Route = strings.Repeat("r", 300) }, "limit is 256"},
		{"invalid utf8", func(s *Spec) { s.Reason = "bad \xff" }, "not valid UTF-8"},
		{"control chars", func(s *Spec) { s.Match.Tenant = "t\n1" }, "control characters"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ws := NewWindows()
			s := validSpec()
			tc.edit(&s)
			w, err := ws.Open(s)
			if tc.errHas == "" {
				if err != nil || !strings.HasPrefix(w.ID, "w_") {
					t.Fatalf("Open = %v, %v", w, err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.errHas) {
				t.Fatalf("err = %v, want it to mention %q", err, tc.errHas)
			}
			if len(ws.List()) != 0 {
				t.Error("a rejected window was opened")
			}
		})
	}
}

func TestWindowsHandlerRaisesLevelOnlyForMatches(t *testing.T) {
	clk := newFakeClock()
	ev := &eventLog{}
	ws := NewWindows(WithClock(clk.Now), WithHook(ev.hook))
	next, buf := jsonSink(slog.LevelInfo)
	log := slog.New(ws.Handler(next))
	w, err := ws.Open(validSpec())
	if err != nil {
		t.Fatal(err)
	}
	in := ws.Match(context.Background(), Request{Route: "/pay", User: "tok_u1"})
	out := ws.Match(context.Background(), Request{Route: "/pay", User: "tok_u2"})
	log.DebugContext(in, "in window")
	log.DebugContext(out, "outside")
	log.InfoContext(out, "info outside")
	got := lines(t, buf)
	if len(got) != 2 || got[0]["msg"] != "in window" || got[1]["msg"] != "info outside" {
		t.Fatalf("got %v", got)
	}
	if got[0][WindowAttrKey] != w.ID {
		t.Errorf("window record not marked: %v", got[0])
	}
	if _, ok := got[1][WindowAttrKey]; ok {
		t.Errorf("ordinary record marked: %v", got[1])
	}

	// Expiry, checked on use against the clock.
	clk.Advance(10 * time.Minute)
	log.DebugContext(in, "after expiry")
	if strings.Contains(buf.String(), "after expiry") {
		t.Error("debug record passed after the window expired")
	}
	if k := ev.kinds(); k != "opened,expired" {
		t.Errorf("events = %s", k)
	}
	if len(ws.List()) != 0 {
		t.Error("expired window listed")
	}
	log.DebugContext(in, "again") // no second Expired event
	if k := ev.kinds(); k != "opened,expired" {
		t.Errorf("events = %s", k)
	}
}

func TestWindowsMatchCriteria(t *testing.T) {
	tests := []struct {
		name  string
		match Match
		req   Request
		want  bool
	}{
		{"route", Match{Route: "/a"}, Request{Route: "/a"}, true},
		{"route other", Match{Route: "/a"}, Request{Route: "/b"}, false},
		{"tenant and user both", Match{Tenant: "t1", User: "u1"}, Request{Tenant: "t1", User: "u1"}, true},
		{"tenant and user one", Match{Tenant: "t1", User: "u1"}, Request{Tenant: "t1", User: "u2"}, false},
		{"attr", Match{AttrKey: "flag", AttrValue: "on"}, Request{Attrs: []attribute.KeyValue{attribute.String("flag", "on")}}, true},
		{"attr int", Match{AttrKey: "shard", AttrValue: "7"}, Request{Attrs: []attribute.KeyValue{attribute.Int("shard", 7)}}, true},
		{"attr other", Match{AttrKey: "flag", AttrValue: "on"}, Request{Attrs: []attribute.KeyValue{attribute.String("flag", "off")}}, false},
		{"empty request", Match{User: "u1"}, Request{}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ws := NewWindows()
			s := validSpec()
			s.Match = tc.match
			if _, err := ws.Open(s); err != nil {
				t.Fatal(err)
			}
			h := ws.Handler(slog.NewJSONHandler(&syncBuffer{}, nil))
			ctx := ws.Match(context.Background(), tc.req)
			if got := h.Enabled(ctx, slog.LevelDebug); got != tc.want {
				t.Errorf("Enabled(Debug) = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestWindowsClose(t *testing.T) {
	ev := &eventLog{}
	ws := NewWindows(WithHook(ev.hook))
	w, err := ws.Open(validSpec())
	if err != nil {
		t.Fatal(err)
	}
	ctx := ws.Match(context.Background(), Request{User: "tok_u1"})
	h := ws.Handler(slog.NewJSONHandler(&syncBuffer{}, nil))
	if !h.Enabled(ctx, slog.LevelDebug) {
		t.Fatal("window not effective")
	}
	if err := ws.Close(w.ID, ""); err == nil {
		t.Error("Close without actor succeeded")
	}
	if err := ws.Close(w.ID, "bob@ops"); err != nil {
		t.Fatal(err)
	}
	if h.Enabled(ctx, slog.LevelDebug) {
		t.Error("closed window still effective on a marked context")
	}
	if err := ws.Close(w.ID, "bob@ops"); err == nil {
		t.Error("second Close succeeded")
	}
	if err := ws.Close("w_nope\xff", "bob@ops"); err == nil || strings.Contains(err.Error(), "nope") {
		t.Errorf("unknown id: err = %v (must not echo the id)", err)
	}
	ev.mu.Lock()
	defer ev.mu.Unlock()
	if len(ev.events) != 2 {
		t.Fatalf("events = %v", ev.events)
	}
	e := ev.events[1]
	if e.Kind != Closed || e.Actor != "bob@ops" || e.Reason != "INC-1 checkout errors" || e.Window.ID != w.ID || e.Time.IsZero() {
		t.Errorf("closed event = %+v", e)
	}
	if o := ev.events[0]; o.Kind != Opened || o.Actor != "alice@ops" {
		t.Errorf("opened event = %+v", o)
	}
}

func TestWindowsExpiryTimer(t *testing.T) {
	done := make(chan Event, 4)
	ws := NewWindows(WithExpiryTimers(), WithHook(func(e Event) {
		if e.Kind == Expired {
			done <- e
		}
	}))
	s := validSpec()
	s.Duration = 20 * time.Millisecond
	w, err := ws.Open(s)
	if err != nil {
		t.Fatal(err)
	}
	select {
	case e := <-done:
		if e.Window.ID != w.ID || e.Actor != "" {
			t.Errorf("event = %+v", e)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("timer did not expire the window")
	}
	if len(ws.List()) != 0 {
		t.Error("window still listed")
	}
}

func TestWindowsMaxOpen(t *testing.T) {
	ws := NewWindows()
	for i := 0; i < MaxOpenWindows; i++ {
		if _, err := ws.Open(validSpec()); err != nil {
			t.Fatal(i, err)
		}
	}
	if _, err := ws.Open(validSpec()); err == nil || !strings.Contains(err.Error(), "close one first") {
		t.Errorf("err = %v", err)
	}
	if n := len(ws.List()); n != MaxOpenWindows {
		t.Errorf("List = %d windows", n)
	}
}

func TestWindowsRateSelectsByTrace(t *testing.T) {
	ws := NewWindows()
	s := validSpec()
	s.Rate = 0.5
	if _, err := ws.Open(s); err != nil {
		t.Fatal(err)
	}
	h := ws.Handler(slog.NewJSONHandler(&syncBuffer{}, nil))
	selected := 0
	const n = 2000
	for i := 0; i < n; i++ {
		ctx := traced(context.Background(), i*7919)
		a := h.Enabled(ws.Match(ctx, Request{User: "tok_u1"}), slog.LevelDebug)
		b := h.Enabled(ws.Match(ctx, Request{User: "tok_u1"}), slog.LevelDebug)
		if a != b {
			t.Fatal("same trace, different selection")
		}
		if a {
			selected++
		}
	}
	if f := float64(selected) / n; f < 0.4 || f > 0.6 {
		t.Errorf("selected %.2f, want about 0.5", f)
	}
}

func TestWindowsSampler(t *testing.T) {
	ws := NewWindows()
	s := validSpec()
	s.Match = Match{Route: "/checkout"}
	w, err := ws.Open(s)
	if err != nil {
		t.Fatal(err)
	}
	s2 := validSpec() // by user token from baggage
	w2, err := ws.Open(s2)
	if err != nil {
		t.Fatal(err)
	}
	tp, exp := newTP(ws.Sampler(sdktrace.NeverSample()))
	tr := tp.Tracer("t")
	start := func(ctx context.Context, route string) {
		_, sp := tr.Start(ctx, "req", trace.WithAttributes(attribute.String("http.route", route)))
		sp.End()
	}
	start(context.Background(), "/checkout")
	start(context.Background(), "/home")
	start(withToken(t, context.Background(), DefaultBaggageKey, "tok_u1"), "/home")
	start(ws.Match(context.Background(), Request{User: "tok_u1"}), "/other")
	spans := exp.GetSpans()
	if len(spans) != 3 {
		t.Fatalf("sampled %d spans, want 3", len(spans))
	}
	wantIDs := []string{w.ID, w2.ID, w2.ID}
	for i, sp := range spans {
		var got string
		for _, kv := range sp.Attributes {
			if kv.Key == WindowAttrKey {
				got = kv.Value.AsString()
			}
		}
		if got != wantIDs[i] {
			t.Errorf("span %d window attr = %q, want %q", i, got, wantIDs[i])
		}
	}
	if d := ws.Sampler(sdktrace.NeverSample()).Description(); !strings.Contains(d, "AlwaysOffSampler") {
		t.Errorf("Description = %q", d)
	}
	// Once closed, only the delegate decides.
	_ = ws.Close(w.ID, "x")
	start(context.Background(), "/checkout")
	if n := len(exp.GetSpans()); n != 3 {
		t.Errorf("closed window still sampled: %d spans", n)
	}
}

func TestWindowsHandlerSlogtest(t *testing.T) {
	ws := NewWindows()
	if _, err := ws.Open(validSpec()); err != nil {
		t.Fatal(err)
	}
	var buf *syncBuffer
	slogtest.Run(t, func(t *testing.T) slog.Handler {
		buf = &syncBuffer{}
		return ws.Handler(slog.NewJSONHandler(buf, nil))
	}, func(t *testing.T) map[string]any {
		return lines(t, buf)[0]
	})
}

func TestEventKindString(t *testing.T) {
	for k, want := range map[EventKind]string{Opened: "opened", Closed: "closed", Expired: "expired", 9: "EventKind(9)"} {
		if got := fmt.Sprint(k); got != want {
			t.Errorf("%d: %q, want %q", int(k), got, want)
		}
	}
}

// A debug window in front of a flight recorder that holds Debug records:
// the records of the watched request pass through live, marked with the
// window, and the records of every other trace are still held.
func TestWindowsWithFlightRecorder(t *testing.T) {
	clk := newFakeClock()
	ws := NewWindows(WithClock(clk.Now))
	next, buf := jsonSink(slog.LevelInfo)
	rec := NewFlightRecorder(next, WithCaptureLevel(slog.LevelDebug), WithClock(clk.Now))
	log := slog.New(ws.Handler(rec))
	w, err := ws.Open(validSpec())
	if err != nil {
		t.Fatal(err)
	}
	in := ws.Match(traced(context.Background(), 1), Request{User: "tok_u1"})
	out := ws.Match(traced(context.Background(), 2), Request{User: "tok_u2"})
	log.DebugContext(in, "watched debug")
	log.InfoContext(in, "watched info")
	log.DebugContext(out, "held debug")
	log.InfoContext(out, "held info")
	got := lines(t, buf)
	if len(got) != 2 || got[0]["msg"] != "watched debug" || got[1]["msg"] != "watched info" {
		t.Fatalf("got %v", got)
	}
	for _, l := range got {
		if l[WindowAttrKey] != w.ID {
			t.Errorf("watched record not marked with the window: %v", l)
		}
	}
	if s := rec.Stats(); s.Held != 2 {
		t.Errorf("held = %d, want the 2 records of the other trace", s.Held)
	}

	// After expiry the watched trace is held like any other.
	clk.Advance(10 * time.Minute)
	log.DebugContext(in, "after expiry")
	if strings.Contains(buf.String(), "after expiry") {
		t.Error("record passed live after the window expired")
	}
	if s := rec.Stats(); uint64(s.Held)+s.Expired != 3 {
		t.Errorf("held %d + expired %d, want 3 (the first 2 may have aged out)", s.Held, s.Expired)
	}

	// A window at Info does not let Debug records through.
	spec := validSpec()
	spec.Level = slog.LevelInfo
	if _, err := ws.Open(spec); err != nil {
		t.Fatal(err)
	}
	in = ws.Match(traced(context.Background(), 3), Request{User: "tok_u1"})
	log.DebugContext(in, "debug under an info window")
	log.InfoContext(in, "info under an info window")
	if s := buf.String(); strings.Contains(s, "debug under an info window") || !strings.Contains(s, "info under an info window") {
		t.Errorf("output = %s", s)
	}
	if n := strings.Count(buf.String(), WindowAttrKey); n != 3 {
		t.Errorf("%d records marked, want 3", n)
	}
}
