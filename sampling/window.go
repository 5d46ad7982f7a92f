package sampling

import (
	"context"
	crand "crypto/rand"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode"
	"unicode/utf8"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/baggage"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"
)

// Limits on debug windows.
const (
	MaxOpenWindows = 64   // open windows at any time
	maxFieldLen    = 256  // bytes of a match field or actor
	maxReasonLen   = 1024 // bytes of a reason
)

// WindowAttrKey is the attribute that marks log records and spans captured
// only because a debug window was open; its value is the window ID.
const WindowAttrKey = "veil.debug_window"

// routeAttrKey is the span attribute compared with Match.Route.
const routeAttrKey = "http.route"

// Match selects the requests of a debug window. Every non-empty field must
// match exactly; at least one must be set.
type Match struct {
	Route     string // e.g. "/api/orders/{id}"
	Tenant    string // tenant token
	User      string // user token
	AttrKey   string // span attribute key, compared with AttrValue
	AttrValue string
}

// Spec describes a debug window to open.
type Spec struct {
	Match Match
	// Level is the lowest level of the log records kept for matching
	// requests, typically slog.LevelDebug.
	Level slog.Level
	// Rate is the fraction of matching requests that get the raised level
	// and are sampled, in (0, 1].
	Rate float64
	// Duration is how long the window stays open. It is required and at most
	// the configured maximum ([WithMaxWindowDuration]).
	Duration time.Duration
	// Reason says why the window is needed, for the audit log. Required.
	Reason string
	// Actor is who opens the window. Required.
	Actor string
}

// Window is an open (or formerly open) debug window.
type Window struct {
	ID      string
	Spec    Spec
	Opened  time.Time
	Expires time.Time
}

// EventKind tells what happened to a debug window.
type EventKind int

// Event kinds.
const (
	Opened EventKind = iota + 1
	Closed
	Expired
)

// String returns "opened", "closed" or "expired".
func (k EventKind) String() string {
	switch k {
	case Opened:
		return "opened"
	case Closed:
		return "closed"
	case Expired:
		return "expired"
	}
	return "EventKind(" + fmt.Sprint(int(k)) + ")"
}

// Event reports the opening, closing or expiry of a debug window to the hook
// given with [WithHook].
type Event struct {
	Kind   EventKind
	Window Window
	Actor  string // who opened or closed it; empty for Expired
	Reason string // the window's reason
	Time   time.Time
}

// Request describes a request for [Windows.Match].
type Request struct {
	Route  string
	Tenant string // tenant token
	User   string // user token
	Attrs  []attribute.KeyValue
}

const (
	stateOpen int32 = iota
	stateClosed
	stateExpired
)

type window struct {
	w       Window
	ws      *Windows // the registry the window belongs to
	expires int64
	bound   uint64
	state   atomic.Int32
	timer   *time.Timer
}

// Windows is a registry of debug windows: bounded periods of elevated
// capture (lower log level, higher trace sampling) for the requests that
// match a route, a tenant, a user or a span attribute. Everything else is
// untouched. A window always has an expiry, capped by configuration; it is
// checked against the clock on every use, and optionally by a timer
// ([WithExpiryTimers]).
//
// Use it in three places: [Windows.Match] marks a request's context,
// [Windows.Handler] wraps a slog.Handler so that records of marked contexts
// pass at the window's level, and [Windows.Sampler] wraps an
// sdktrace.Sampler so that matching spans are sampled at the window's rate.
// [Windows.AdminHandler] serves the registry over HTTP.
//
// A Windows is safe for concurrent use. Matching takes no lock.
type Windows struct {
	cfg  config
	mu   sync.Mutex
	open map[string]*window
	snap atomic.Pointer[[]*window] // open windows, copy on write
}

// NewWindows returns an empty registry. Options read:
// [WithMaxWindowDuration], [WithHook], [WithExpiryTimers], [WithClock],
// [WithBaggageKey], [WithTenantBaggageKey].
func NewWindows(opts ...Option) *Windows {
	ws := &Windows{cfg: newConfig(opts), open: make(map[string]*window)}
	ws.snap.Store(&[]*window{})
	return ws
}

// Open validates spec and opens a window. It returns an error, and opens
// nothing, when the spec has no match criterion, no or too long a
// duration, a rate outside (0, 1], no reason or actor, or invalid text.
func (ws *Windows) Open(spec Spec) (Window, error) {
	if err := ws.validate(&spec); err != nil {
		return Window{}, err
	}
	id, err := newWindowID()
	if err != nil {
		return Window{}, err
	}
	now := ws.cfg.now()
	ws.expireDue(now)
	win := &window{
		w:     Window{ID: id, Spec: spec, Opened: now, Expires: now.Add(spec.Duration)},
		ws:    ws,
		bound: ratioBound(spec.Rate),
	}
	win.expires = win.w.Expires.UnixNano()
	ws.mu.Lock()
	if len(ws.open) >= MaxOpenWindows {
		ws.mu.Unlock()
		return Window{}, fmt.Errorf("sampling: %d debug windows are open already; close one first", MaxOpenWindows)
	}
	ws.open[id] = win
	ws.publishLocked()
	if ws.cfg.timers {
		win.timer = time.AfterFunc(spec.Duration, func() { ws.end(win, stateExpired, "", ws.cfg.now()) })
	}
	ws.mu.Unlock()
	ws.emit(Event{Kind: Opened, Window: win.w, Actor: spec.Actor, Reason: spec.Reason, Time: now})
	return win.w, nil
}

// Close closes the open window id on behalf of actor.
func (ws *Windows) Close(id, actor string) error {
	if err := checkText("actor", actor, maxFieldLen, true); err != nil {
		return err
	}
	ws.mu.Lock()
	win := ws.open[id]
	ws.mu.Unlock()
	if win == nil {
		return errors.New("sampling: no open debug window has that id; list the open windows to find it")
	}
	if !ws.end(win, stateClosed, actor, ws.cfg.now()) {
		return errors.New("sampling: the debug window is no longer open")
	}
	return nil
}

// List returns the open windows, oldest first, after expiring those that
// are due.
func (ws *Windows) List() []Window {
	ws.expireDue(ws.cfg.now())
	snap := *ws.snap.Load()
	out := make([]Window, 0, len(snap))
	for _, w := range snap {
		if w.state.Load() == stateOpen {
			out = append(out, w.w)
		}
	}
	return out
}

// Match returns ctx marked with the open windows that req matches and that
// select this request at their rate. The selection uses the trace ID of the
// span context in ctx when there is one (so every service makes the same
// choice for a trace), a random draw otherwise. When no window matches, ctx
// is returned unchanged.
//
// Call Match before the request's server span starts (e.g. in a middleware
// outside otelhttp) so that [Windows.Sampler] sees the mark.
func (ws *Windows) Match(ctx context.Context, req Request) context.Context {
	snap := *ws.snap.Load()
	if len(snap) == 0 {
		return ctx
	}
	now := ws.cfg.now()
	sc := trace.SpanContextFromContext(ctx)
	var hit []*window
	for _, w := range snap {
		if !ws.active(w, now) || !w.w.Spec.Match.matches(&req) {
			continue
		}
		if sc.HasTraceID() {
			if !traceSelected(sc.TraceID(), w.bound) {
				continue
			}
		} else if w.w.Spec.Rate < 1 && rand.Float64() >= w.w.Spec.Rate {
			continue
		}
		hit = append(hit, w)
	}
	if len(hit) == 0 {
		return ctx
	}
	if prev, ok := ctx.Value(windowsKey{}).([]*window); ok {
		hit = append(slices.Clip(prev), hit...)
	}
	return context.WithValue(ctx, windowsKey{}, hit)
}

type windowsKey struct{}

// windowFor returns the first window marked on ctx that is still open (by
// the clock of its registry) and accepts level l, or nil. Windows.Handler and
// Windows.Sampler raise capture with it; a [FlightRecorder] lets the records
// of a watched request through live.
func windowFor(ctx context.Context, l slog.Level) *window {
	hit, _ := ctx.Value(windowsKey{}).([]*window)
	for _, w := range hit {
		if l >= w.w.Spec.Level && w.ws.active(w, w.ws.cfg.now()) {
			return w
		}
	}
	return nil
}

// active reports whether w is open at now, expiring it when it is due.
func (ws *Windows) active(w *window, now time.Time) bool {
	if w.state.Load() != stateOpen {
		return false
	}
	if now.UnixNano() < w.expires {
		return true
	}
	ws.end(w, stateExpired, "", now)
	return false
}

func (ws *Windows) expireDue(now time.Time) {
	for _, w := range *ws.snap.Load() {
		ws.active(w, now)
	}
}

// end moves w from open to state and reports whether it did.
func (ws *Windows) end(w *window, state int32, actor string, now time.Time) bool {
	if !w.state.CompareAndSwap(stateOpen, state) {
		return false
	}
	ws.mu.Lock()
	delete(ws.open, w.w.ID)
	ws.publishLocked()
	if w.timer != nil {
		w.timer.Stop()
	}
	ws.mu.Unlock()
	kind := Closed
	if state == stateExpired {
		kind = Expired
	}
	ws.emit(Event{Kind: kind, Window: w.w, Actor: actor, Reason: w.w.Spec.Reason, Time: now})
	return true
}

func (ws *Windows) publishLocked() {
	s := make([]*window, 0, len(ws.open))
	for _, w := range ws.open {
		s = append(s, w)
	}
	slices.SortFunc(s, func(a, b *window) int {
		if c := a.w.Opened.Compare(b.w.Opened); c != 0 {
			return c
		}
		return strings.Compare(a.w.ID, b.w.ID)
	})
	ws.snap.Store(&s)
}

func (ws *Windows) emit(e Event) {
	if ws.cfg.hook != nil {
		ws.cfg.hook(e)
	}
}

func (m *Match) matches(r *Request) bool {
	if m.Route != "" && m.Route != r.Route {
		return false
	}
	if m.Tenant != "" && m.Tenant != r.Tenant {
		return false
	}
	if m.User != "" && m.User != r.User {
		return false
	}
	if m.AttrKey != "" {
		for _, kv := range r.Attrs {
			if string(kv.Key) == m.AttrKey && kv.Value.String() == m.AttrValue {
				return true
			}
		}
		return false
	}
	return true
}

func (m *Match) empty() bool {
	return m.Route == "" && m.Tenant == "" && m.User == "" && m.AttrKey == ""
}

func (ws *Windows) validate(s *Spec) error {
	if s.Match.empty() {
		return errors.New("sampling: debug window needs a match: set a route, tenant, user or span attribute")
	}
	for _, f := range []struct{ name, v string }{
		{"match route", s.Match.Route}, {"match tenant", s.Match.Tenant}, {"match user", s.Match.User},
		{"match attribute key", s.Match.AttrKey}, {"match attribute value", s.Match.AttrValue},
	} {
		if err := checkText(f.name, f.v, maxFieldLen, false); err != nil {
			return err
		}
	}
	if s.Match.AttrKey == "" && s.Match.AttrValue != "" {
		return errors.New("sampling: debug window match has an attribute value but no attribute key")
	}
	if s.Duration <= 0 {
		return fmt.Errorf("sampling: debug window needs a positive duration of at most %v; windows are never indefinite", ws.cfg.maxWindow)
	}
	if s.Duration > ws.cfg.maxWindow {
		return fmt.Errorf("sampling: debug window duration %v exceeds the maximum %v; ask for a shorter window", s.Duration, ws.cfg.maxWindow)
	}
	if math.IsNaN(s.Rate) || s.Rate <= 0 || s.Rate > 1 {
		return fmt.Errorf("sampling: debug window rate %v is outside (0, 1]; use 1 to capture every matching request", s.Rate)
	}
	if err := checkText("reason", s.Reason, maxReasonLen, true); err != nil {
		return err
	}
	return checkText("actor", s.Actor, maxFieldLen, true)
}

// checkText rejects empty (when required), long, invalid UTF-8 and
// control-character text without echoing it.
func checkText(name, v string, limit int, required bool) error {
	switch {
	case v == "" && required:
		return fmt.Errorf("sampling: debug window %s is required", name)
	case len(v) > limit:
		return fmt.Errorf("sampling: debug window %s is %d bytes; the limit is %d", name, len(v), limit)
	case !utf8.ValidString(v):
		return fmt.Errorf("sampling: debug window %s is not valid UTF-8", name)
	case strings.ContainsFunc(v, unicode.IsControl):
		return fmt.Errorf("sampling: debug window %s contains control characters", name)
	}
	return nil
}

func newWindowID() (string, error) {
	var b [8]byte
	if _, err := crand.Read(b[:]); err != nil {
		return "", fmt.Errorf("sampling: no randomness for a window id: %w", err)
	}
	return "w_" + hex.EncodeToString(b[:]), nil
}

// traceSelected applies the rule of sdktrace.TraceIDRatioBased: the low 8
// bytes of the trace ID, shifted right by one, below bound.
func traceSelected(id trace.TraceID, bound uint64) bool {
	return binary.BigEndian.Uint64(id[8:16])>>1 < bound
}

// Handler wraps next so that, in contexts marked by [Windows.Match], records
// at or above the window's level are enabled even when next is not enabled
// for them. Such records carry the attribute [WindowAttrKey]. Other contexts
// are untouched.
func (ws *Windows) Handler(next slog.Handler) slog.Handler {
	if next == nil {
		panic("sampling: Windows.Handler needs a non-nil next handler")
	}
	return &windowHandler{next: next, ws: ws}
}

type windowHandler struct {
	next slog.Handler
	ws   *Windows
}

func (h *windowHandler) Enabled(ctx context.Context, l slog.Level) bool {
	return h.next.Enabled(ctx, l) || windowFor(ctx, l) != nil
}

func (h *windowHandler) Handle(ctx context.Context, r slog.Record) error {
	if !h.next.Enabled(ctx, r.Level) {
		if w := windowFor(ctx, r.Level); w != nil {
			r = r.Clone()
			r.AddAttrs(slog.String(WindowAttrKey, w.w.ID))
		}
	}
	return h.next.Handle(ctx, r)
}

func (h *windowHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	if len(attrs) == 0 {
		return h
	}
	return &windowHandler{next: h.next.WithAttrs(attrs), ws: h.ws}
}

func (h *windowHandler) WithGroup(name string) slog.Handler {
	if name == "" {
		return h
	}
	return &windowHandler{next: h.next.WithGroup(name), ws: h.ws}
}

// Sampler wraps delegate so that spans of matching requests are sampled at
// the window's rate, and everything else is left to delegate. A span
// matches when its parent context was marked by [Windows.Match], or when a
// window's criteria hold for the span: Route against the "http.route"
// attribute, Tenant and User against the baggage tokens, AttrKey/AttrValue
// against the span's attributes. Selection by rate uses the trace ID, like
// sdktrace.TraceIDRatioBased. Sampled spans carry [WindowAttrKey].
func (ws *Windows) Sampler(delegate sdktrace.Sampler) sdktrace.Sampler {
	if delegate == nil {
		delegate = sdktrace.ParentBased(sdktrace.AlwaysSample())
	}
	return &windowSampler{ws: ws, delegate: delegate}
}

type windowSampler struct {
	ws       *Windows
	delegate sdktrace.Sampler
}

func (s *windowSampler) ShouldSample(p sdktrace.SamplingParameters) sdktrace.SamplingResult {
	ws := s.ws
	// A marked context counts whatever the window's level: MaxInt passes it.
	if w := windowFor(p.ParentContext, slog.Level(math.MaxInt)); w != nil {
		return s.sampled(p, w)
	}
	snap := *ws.snap.Load()
	if len(snap) == 0 {
		return s.delegate.ShouldSample(p)
	}
	bag := baggage.FromContext(p.ParentContext)
	req := Request{
		Tenant: bag.Member(ws.cfg.tenantKey).Value(),
		User:   bag.Member(ws.cfg.baggageKey).Value(),
		Attrs:  p.Attributes,
	}
	for _, kv := range p.Attributes {
		if kv.Key == routeAttrKey {
			req.Route = kv.Value.String()
		}
	}
	now := ws.cfg.now()
	for _, w := range snap {
		if ws.active(w, now) && w.w.Spec.Match.matches(&req) && traceSelected(p.TraceID, w.bound) {
			return s.sampled(p, w)
		}
	}
	return s.delegate.ShouldSample(p)
}

func (s *windowSampler) sampled(p sdktrace.SamplingParameters, w *window) sdktrace.SamplingResult {
	return sdktrace.SamplingResult{
		Decision:   sdktrace.RecordAndSample,
		Attributes: []attribute.KeyValue{attribute.String(WindowAttrKey, w.w.ID)},
		Tracestate: trace.SpanContextFromContext(p.ParentContext).TraceState(),
	}
}

func (s *windowSampler) Description() string {
	return "DebugWindows{" + s.delegate.Description() + "}"
}
