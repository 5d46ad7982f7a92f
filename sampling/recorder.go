package sampling

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"go.opentelemetry.io/otel/trace"
)

// FlightRecorder is a slog.Handler that holds the records of each trace
// below a trigger level and shows them only if something goes wrong.
//
// Records below the trigger level (default Error) that belong to a trace are
// cloned and held in a bounded ring per trace instead of being passed on.
// When a record at or above the trigger level arrives in the same trace, the
// held records are emitted first, in the order they were logged and each
// through the handler chain it was logged on (so attributes and groups added
// with WithAttrs and WithGroup are kept), then the trigger. Records that are
// never triggered expire unseen.
//
// The trace of a record is the OpenTelemetry trace ID of the span context in
// its context (see [WithKeyFunc] to change it). Records that belong to no
// trace pass through unchanged by default ([WithDropUntraced] drops those
// below the trigger level instead).
//
// Memory is bounded three ways: records per trace ([WithMaxRecords]; the
// oldest record of the trace is evicted), estimated bytes overall
// ([WithMaxBytes]; the least recently written trace is evicted whole) and age
// ([WithMaxAge]; older records expire). Expiry is lazy, on calls, unless
// [WithJanitor] is given. The size of a record is estimated from its message,
// keys and string values; LogValuer values are not resolved while held, they
// are resolved by the next handler when emitted.
//
// Held records are flushed with the context of the trigger record.
//
// Records of a request that a debug window selected ([Windows.Match]) at
// their level are not held: they pass through live, marked with
// [WindowAttrKey], since an investigator is watching that request.
type FlightRecorder struct {
	next slog.Handler
	s    *recorder
}

// RecorderStats are the counts of a [FlightRecorder]. Held, Bytes and
// Traces describe the present; the others count since creation.
type RecorderStats struct {
	Held   int // records held now
	Bytes  int // estimated bytes held now, per-trace overhead included
	Traces int // traces with held records now

	Flushed uint64 // held records emitted because a trigger arrived
	Expired uint64 // held records discarded because of age or Close
	Evicted uint64 // held records discarded to respect a memory bound

	Captures      uint64 // flushes handed to the sink without error
	CaptureErrors uint64 // sink captures that failed, panicked or were skipped
}

// Sink keeps the records of a flush as a capture, e.g. in an encrypted
// store. Records are those held for the trace, in order, followed by the
// trigger, as they were logged: they have not been through the handlers
// after the recorder (a redacting handler in particular), and attributes
// added with WithAttrs are not in them. A Sink that persists records must
// redact them itself, as [github.com/veilhq/veil/redact.Redactor.Record] does. Capture is called from one background goroutine with a
// context that carries the values of the trigger's context and a deadline
// ([WithSinkTimeout]); it must honour the deadline.
type Sink interface {
	Capture(ctx context.Context, traceKey string, records []slog.Record) error
}

// ErrSinkBusy is passed to the error handler when a capture is skipped
// because the sink has not kept up with earlier captures.
var ErrSinkBusy = errors.New("sampling: sink queue full, capture skipped; make the sink faster or flush less often")

// ErrClosed is passed to the error handler when a capture is skipped because
// the recorder was closed.
var ErrClosed = errors.New("sampling: flight recorder closed, capture skipped")

// Per-record and per-trace overheads in the memory estimate.
const (
	recordOverhead = 200
	attrOverhead   = 48
	traceOverhead  = 160
	maxSizeDepth   = 4
)

type held struct {
	r    slog.Record
	h    slog.Handler
	size int
	at   int64 // UnixNano when held
}

type traceBuf struct {
	key        string
	ring       []held
	head, n    int
	bytes      int
	last       int64 // UnixNano of the last record held
	prev, next *traceBuf
}

type capture struct {
	ctx     context.Context
	key     string
	records []slog.Record
}

type recorder struct {
	cfg     config
	keyFunc func(context.Context) (string, bool)
	maxAge  int64

	mu     sync.Mutex
	traces map[string]*traceBuf
	oldest *traceBuf // least recently written
	newest *traceBuf
	bytes  int
	held   int

	flushed, expired, evicted atomic.Uint64
	captures, captureErrs     atomic.Uint64

	qmu     sync.RWMutex
	queue   chan capture
	closed  bool
	stop    chan struct{}
	wg      sync.WaitGroup
	closeMu sync.Once
}

// NewFlightRecorder returns a flight recorder in front of next. Options
// read: [WithTrigger], [WithCaptureLevel], [WithKeyFunc], [WithMaxRecords],
// [WithMaxBytes], [WithMaxAge], [WithDropUntraced], [WithSink],
// [WithSinkTimeout], [WithErrorHandler], [WithJanitor], [WithClock].
//
// With [WithSink] or [WithJanitor] the recorder runs a goroutine: call
// [FlightRecorder.Close] when done. NewFlightRecorder panics if next is nil.
func NewFlightRecorder(next slog.Handler, opts ...Option) *FlightRecorder {
	if next == nil {
		panic("sampling: NewFlightRecorder needs a non-nil next handler")
	}
	c := newConfig(opts)
	s := &recorder{
		cfg:     c,
		keyFunc: c.keyFunc,
		maxAge:  int64(c.maxAge),
		traces:  make(map[string]*traceBuf),
		stop:    make(chan struct{}),
	}
	if s.keyFunc == nil {
		s.keyFunc = spanTraceKey
	}
	if c.sink != nil {
		s.queue = make(chan capture, c.sinkQueue)
		s.wg.Add(1)
		go s.sinkLoop()
	}
	if c.janitor > 0 {
		s.wg.Add(1)
		go s.janitorLoop(c.janitor)
	}
	return &FlightRecorder{next: next, s: s}
}

// spanTraceKey is the default trace key: the hex trace ID of the span
// context in ctx.
func spanTraceKey(ctx context.Context) (string, bool) {
	sc := trace.SpanContextFromContext(ctx)
	if !sc.HasTraceID() {
		return "", false
	}
	return sc.TraceID().String(), true
}

// Enabled reports whether the next handler is enabled for l or, with
// [WithCaptureLevel], whether a record at l would be held for the trace of
// ctx.
func (f *FlightRecorder) Enabled(ctx context.Context, l slog.Level) bool {
	if f.next.Enabled(ctx, l) {
		return true
	}
	c := &f.s.cfg
	if c.captureSet && l >= c.captureLevel && l < c.trigger {
		_, ok := f.s.keyFunc(ctx)
		return ok
	}
	return false
}

// WithAttrs returns a recorder whose next handler has the attributes added.
// It shares the held traces with f: a trigger logged on either flushes
// records logged on both, each through its own chain.
func (f *FlightRecorder) WithAttrs(attrs []slog.Attr) slog.Handler {
	if len(attrs) == 0 {
		return f
	}
	return &FlightRecorder{next: f.next.WithAttrs(attrs), s: f.s}
}

// WithGroup returns a recorder whose next handler has the group opened; it
// shares the held traces with f.
func (f *FlightRecorder) WithGroup(name string) slog.Handler {
	if name == "" {
		return f
	}
	return &FlightRecorder{next: f.next.WithGroup(name), s: f.s}
}

// Handle holds, flushes or passes r as described on [FlightRecorder].
// It returns the errors of the next handlers, joined.
func (f *FlightRecorder) Handle(ctx context.Context, r slog.Record) error {
	s := f.s
	key, ok := s.keyFunc(ctx)
	if !ok {
		if r.Level < s.cfg.trigger && s.cfg.dropUntraced {
			return nil
		}
		return f.next.Handle(ctx, r)
	}
	if r.Level < s.cfg.trigger {
		if w := windowFor(ctx, r.Level); w != nil {
			// A debug window selected this request: an investigator is
			// watching it live, so its records are not held.
			if !hasAttr(r, WindowAttrKey) { // Windows.Handler may have marked it
				r = r.Clone()
				r.AddAttrs(slog.String(WindowAttrKey, w.w.ID))
			}
			return f.next.Handle(ctx, r)
		}
	}
	now := s.cfg.now().UnixNano()
	if r.Level < s.cfg.trigger {
		s.hold(key, held{r: r.Clone(), h: f.next, size: recordSize(r), at: now}, now)
		return nil
	}
	recs := s.take(key, now)
	var errs []error
	for i := range recs {
		if err := recs[i].h.Handle(ctx, recs[i].r); err != nil {
			errs = append(errs, err)
		}
	}
	s.flushed.Add(uint64(len(recs)))
	if err := f.next.Handle(ctx, r); err != nil {
		errs = append(errs, err)
	}
	if s.cfg.sink != nil {
		out := make([]slog.Record, 0, len(recs)+1)
		for i := range recs {
			out = append(out, recs[i].r)
		}
		s.enqueue(capture{ctx: context.WithoutCancel(ctx), key: key, records: append(out, r.Clone())})
	}
	return errors.Join(errs...)
}

// Stats returns the recorder's counts.
func (f *FlightRecorder) Stats() RecorderStats {
	s := f.s
	s.mu.Lock()
	st := RecorderStats{Held: s.held, Bytes: s.bytes, Traces: len(s.traces)}
	s.mu.Unlock()
	st.Flushed = s.flushed.Load()
	st.Expired = s.expired.Load()
	st.Evicted = s.evicted.Load()
	st.Captures = s.captures.Load()
	st.CaptureErrors = s.captureErrs.Load()
	return st
}

// Expire discards the held records older than the maximum age now. It is
// called lazily by Handle and by the janitor; call it to release memory on
// demand.
func (f *FlightRecorder) Expire() {
	s := f.s
	now := s.cfg.now().UnixNano()
	s.mu.Lock()
	s.expireLocked(now)
	s.mu.Unlock()
}

// Close stops the recorder's goroutines, waiting for queued captures to
// reach the sink, and discards the held records (counted as expired). It is
// safe to call more than once. After Close the recorder keeps handling
// records, but captures are skipped with [ErrClosed].
func (f *FlightRecorder) Close() error {
	s := f.s
	s.closeMu.Do(func() {
		s.qmu.Lock()
		s.closed = true
		if s.queue != nil {
			close(s.queue)
		}
		s.qmu.Unlock()
		close(s.stop)
		s.wg.Wait()
		s.mu.Lock()
		for b := s.oldest; b != nil; b = s.oldest {
			s.expired.Add(uint64(b.n))
			s.removeLocked(b)
		}
		s.mu.Unlock()
	})
	return nil
}

func (s *recorder) hold(key string, h held, now int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.expireLocked(now)
	if h.size+traceOverhead+len(key) > s.cfg.maxBytes {
		s.evicted.Add(1)
		return
	}
	b := s.traces[key]
	if b == nil {
		b = &traceBuf{key: key, bytes: traceOverhead + len(key)}
		s.traces[key] = b
		s.bytes += b.bytes
		s.pushNewestLocked(b)
	} else {
		s.touchLocked(b)
		s.trimLocked(b, now)
	}
	b.last = now
	if b.n == s.cfg.maxRecords {
		old := b.popOldest()
		b.bytes -= old.size
		s.bytes -= old.size
		s.held--
		s.evicted.Add(1)
	}
	b.push(h, s.cfg.maxRecords)
	b.bytes += h.size
	s.bytes += h.size
	s.held++
	for s.bytes > s.cfg.maxBytes {
		o := s.oldest
		if o == b {
			// Only this trace is left: evict its oldest records. The new
			// record alone fits (checked above), so this ends.
			if b.n <= 1 {
				break
			}
			old := b.popOldest()
			b.bytes -= old.size
			s.bytes -= old.size
			s.held--
			s.evicted.Add(1)
			continue
		}
		s.evicted.Add(uint64(o.n))
		s.removeLocked(o)
	}
}

// take removes the buffer of key and returns its unexpired records in order.
func (s *recorder) take(key string, now int64) []held {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.expireLocked(now)
	b := s.traces[key]
	if b == nil {
		return nil
	}
	s.trimLocked(b, now)
	// The ring is handed over: it is not used again once removed.
	out := b.ring[:b.n]
	if b.head != 0 {
		out = make([]held, b.n)
		for i := range out {
			out[i] = b.ring[(b.head+i)%len(b.ring)]
		}
	}
	s.removeLocked(b)
	return out
}

// expireLocked removes the traces whose newest record is too old; they are
// at the front of the recency list.
func (s *recorder) expireLocked(now int64) {
	for b := s.oldest; b != nil && now-b.last >= s.maxAge; b = s.oldest {
		s.expired.Add(uint64(b.n))
		s.removeLocked(b)
	}
}

// trimLocked expires the old records at the front of b.
func (s *recorder) trimLocked(b *traceBuf, now int64) {
	for b.n > 0 && now-b.ring[b.head].at >= s.maxAge {
		old := b.popOldest()
		b.bytes -= old.size
		s.bytes -= old.size
		s.held--
		s.expired.Add(1)
	}
}

func (s *recorder) removeLocked(b *traceBuf) {
	delete(s.traces, b.key)
	s.bytes -= b.bytes
	s.held -= b.n
	if b.prev != nil {
		b.prev.next = b.next
	} else {
		s.oldest = b.next
	}
	if b.next != nil {
		b.next.prev = b.prev
	} else {
		s.newest = b.prev
	}
	b.prev, b.next, b.ring, b.n = nil, nil, nil, 0
}

func (s *recorder) pushNewestLocked(b *traceBuf) {
	b.prev, b.next = s.newest, nil
	if s.newest != nil {
		s.newest.next = b
	} else {
		s.oldest = b
	}
	s.newest = b
}

func (s *recorder) touchLocked(b *traceBuf) {
	if s.newest == b {
		return
	}
	if b.prev != nil {
		b.prev.next = b.next
	} else {
		s.oldest = b.next
	}
	b.next.prev = b.prev
	s.pushNewestLocked(b)
}

func (b *traceBuf) push(h held, limit int) {
	if b.n == len(b.ring) {
		grown := make([]held, min(max(8, 2*len(b.ring)), limit))
		for i := 0; i < b.n; i++ {
			grown[i] = b.ring[(b.head+i)%len(b.ring)]
		}
		b.ring, b.head = grown, 0
	}
	b.ring[(b.head+b.n)%len(b.ring)] = h
	b.n++
}

func (b *traceBuf) popOldest() held {
	h := b.ring[b.head]
	b.ring[b.head] = held{}
	b.head = (b.head + 1) % len(b.ring)
	b.n--
	return h
}

func (s *recorder) enqueue(c capture) {
	s.qmu.RLock()
	defer s.qmu.RUnlock()
	if s.closed {
		s.captureErrs.Add(1)
		s.cfg.onError(ErrClosed)
		return
	}
	select {
	case s.queue <- c:
	default:
		s.captureErrs.Add(1)
		s.cfg.onError(ErrSinkBusy)
	}
}

func (s *recorder) sinkLoop() {
	defer s.wg.Done()
	for c := range s.queue {
		if err := s.capture(c); err != nil {
			s.captureErrs.Add(1)
			s.cfg.onError(err)
		} else {
			s.captures.Add(1)
		}
	}
}

func (s *recorder) capture(c capture) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("sampling: sink panicked during capture of %d records", len(c.records))
		}
	}()
	ctx, cancel := context.WithTimeout(c.ctx, s.cfg.sinkTimeout)
	defer cancel()
	if err := s.cfg.sink.Capture(ctx, c.key, c.records); err != nil {
		return fmt.Errorf("sampling: sink capture of %d records failed: %w", len(c.records), err)
	}
	return nil
}

func (s *recorder) janitorLoop(every time.Duration) {
	defer s.wg.Done()
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-s.stop:
			return
		case <-t.C:
			now := s.cfg.now().UnixNano()
			s.mu.Lock()
			s.expireLocked(now)
			s.mu.Unlock()
		}
	}
}

// recordSize estimates the memory a cloned record retains. It reads only
// lengths, never calls LogValue or String.
func recordSize(r slog.Record) int {
	n := recordOverhead + len(r.Message)
	r.Attrs(func(a slog.Attr) bool {
		n += attrSize(a, 0)
		return true
	})
	return n
}

func attrSize(a slog.Attr, depth int) int {
	n := attrOverhead + len(a.Key)
	switch a.Value.Kind() {
	case slog.KindString:
		n += len(a.Value.String())
	case slog.KindGroup:
		g := a.Value.Group()
		if depth >= maxSizeDepth {
			return n + len(g)*attrOverhead
		}
		for _, ga := range g {
			n += attrSize(ga, depth+1)
		}
	case slog.KindAny, slog.KindLogValuer:
		n += 64
	}
	return n
}

// hasAttr reports whether r has a top-level attribute with key k.
func hasAttr(r slog.Record, k string) bool {
	found := false
	r.Attrs(func(a slog.Attr) bool {
		found = a.Key == k
		return !found
	})
	return found
}
