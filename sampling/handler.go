package sampling

import (
	"context"
	"errors"
	"fmt"
	"hash/maphash"
	"log/slog"
	"math/bits"
	"sync/atomic"
	"time"
)

// numBuckets is the number of counters of a rate limiter. Records whose
// level and message hash to the same bucket share a budget; with 4096
// buckets collisions are rare for the few hundred distinct messages of a
// typical service.
const (
	bucketBits = 12
	numBuckets = 1 << bucketBits
)

// Handler is a rate-limiting slog.Handler. Within each tick it accepts the
// first N records of a given level and message, then every M-th, and drops
// the rest; records at or above the never-drop level are always accepted.
//
// The decision costs one hash of the message and a few atomic operations,
// allocates nothing and takes no lock; it happens before any attribute of
// the record is looked at. Memory is fixed: 4096 hashed counters per
// Handler, shared by every handler derived with WithAttrs or WithGroup, so
// the limit applies per message across loggers.
//
// Loss is visible: once per tick, on the first record after the tick
// boundary (or on [Handler.Flush]), one summary record per dropped message is
// sent to the next handler, at the level of the dropped records, with the
// message `dropped N records like "<message>"` and the attributes
// sampling.dropped and sampling.message. Summaries never carry the
// attributes of dropped records. [Handler.Stats] reports exact counts.
type Handler struct {
	next slog.Handler
	s    *limiter
}

// Stats are the counts of a rate-limiting [Handler] since it was created.
// Seen == Accepted + Dropped at every instant.
type Stats struct {
	Seen     uint64 // records handed to Handle
	Accepted uint64 // records passed to the next handler
	Dropped  uint64 // records discarded
}

type bucket struct {
	resetAt atomic.Int64  // UnixNano at which the count restarts
	n       atomic.Uint64 // records seen in the current tick
	dropped atomic.Uint64 // records dropped since the last summary
	level   atomic.Int64  // level of the last message stored
	msg     atomic.Pointer[string]
}

type limiter struct {
	next       slog.Handler // root handler: summaries go here
	seed       maphash.Seed
	clock      func() time.Time
	tick       int64
	first      uint64
	thereafter uint64
	neverDrop  slog.Level

	accepted  atomic.Uint64
	dropped   atomic.Uint64
	nextSweep atomic.Int64
	dirty     [numBuckets / 64]atomic.Uint64
	buckets   [numBuckets]bucket
}

// NewHandler returns a rate-limiting handler that passes accepted records to
// next. Options read: [WithTick], [WithFirst], [WithThereafter],
// [WithNeverDrop], [WithClock]. Without a clock option the record's own time
// is used (time.Now when it is zero).
//
// NewHandler panics if next is nil.
func NewHandler(next slog.Handler, opts ...Option) *Handler {
	if next == nil {
		panic("sampling: NewHandler needs a non-nil next handler")
	}
	c := newConfig(opts)
	l := &limiter{
		next:       next,
		seed:       maphash.MakeSeed(),
		clock:      c.clock,
		tick:       int64(c.tick),
		first:      c.first,
		thereafter: c.thereafter,
		neverDrop:  c.neverDrop,
	}
	return &Handler{next: next, s: l}
}

// Enabled reports whether the next handler is enabled for level l.
func (h *Handler) Enabled(ctx context.Context, l slog.Level) bool {
	return h.next.Enabled(ctx, l)
}

// WithAttrs returns a handler whose next handler has the attributes added;
// it shares counters with h.
func (h *Handler) WithAttrs(attrs []slog.Attr) slog.Handler {
	if len(attrs) == 0 {
		return h
	}
	return &Handler{next: h.next.WithAttrs(attrs), s: h.s}
}

// WithGroup returns a handler whose next handler has the group opened; it
// shares counters with h.
func (h *Handler) WithGroup(name string) slog.Handler {
	if name == "" {
		return h
	}
	return &Handler{next: h.next.WithGroup(name), s: h.s}
}

// Handle passes r to the next handler unless the rate limit drops it.
// A dropped record is not an error: Handle returns nil.
func (h *Handler) Handle(ctx context.Context, r slog.Record) error {
	s := h.s
	now := s.now(r.Time)
	if r.Level >= s.neverDrop {
		s.accepted.Add(1)
		err := h.next.Handle(ctx, r)
		s.maybeSweep(now)
		return err
	}
	i := s.index(r.Level, r.Message)
	b := &s.buckets[i]
	n := b.count(now, s.tick)
	if n == 1 {
		b.remember(r.Level, r.Message)
	}
	if n > s.first && (s.thereafter == 0 || (n-s.first)%s.thereafter != 0) {
		if b.dropped.Add(1) == 1 {
			s.dirty[i>>6].Or(1 << (i & 63))
		}
		s.dropped.Add(1)
		s.maybeSweep(now)
		return nil
	}
	s.accepted.Add(1)
	err := h.next.Handle(ctx, r)
	s.maybeSweep(now)
	return err
}

// Stats returns the handler's counts. Handlers derived with WithAttrs and
// WithGroup share them.
func (h *Handler) Stats() Stats {
	// Load dropped first: a record counted between the two loads makes Seen
	// one larger, never makes Accepted+Dropped disagree with Seen.
	d := h.s.dropped.Load()
	a := h.s.accepted.Load()
	return Stats{Seen: a + d, Accepted: a, Dropped: d}
}

// Flush sends the pending "dropped N records" summaries to the next handler
// now, instead of waiting for the next tick boundary. It returns the errors
// of the next handler, joined.
func (h *Handler) Flush(ctx context.Context) error {
	return h.s.sweep(ctx, h.s.now(time.Time{}))
}

// Close flushes the pending summaries. The handler starts no goroutine, so
// Close is only needed to make the final loss visible; the handler stays
// usable.
func (h *Handler) Close() error {
	return h.Flush(context.Background())
}

func (s *limiter) now(t time.Time) int64 {
	if s.clock != nil {
		return s.clock().UnixNano()
	}
	if t.IsZero() {
		return time.Now().UnixNano()
	}
	return t.UnixNano()
}

// index hashes level and message to a bucket. maphash is seeded per handler:
// buckets are process-local, so the hash need not be stable.
func (s *limiter) index(l slog.Level, msg string) uint64 {
	h := maphash.String(s.seed, msg)
	h ^= uint64(int64(l)) * 0x9e3779b97f4a7c15
	h *= 0xff51afd7ed558ccd
	return h >> (64 - bucketBits)
}

// count increments the bucket for the tick containing now and returns the
// number of records seen in that tick, this one included.
func (b *bucket) count(now, tick int64) uint64 {
	reset := b.resetAt.Load()
	if now < reset {
		return b.n.Add(1)
	}
	b.n.Store(1)
	if !b.resetAt.CompareAndSwap(reset, now+tick) {
		// Another goroutine restarted the tick at the same time and also
		// stored 1: count this record on top of it.
		return b.n.Add(1)
	}
	return 1
}

// remember keeps the message for the summaries; it allocates only when the
// message of the bucket changes (a hash collision or a new handler).
func (b *bucket) remember(l slog.Level, msg string) {
	if p := b.msg.Load(); p == nil || *p != msg {
		m := msg
		b.msg.Store(&m)
		b.level.Store(int64(l))
	}
}

func (s *limiter) maybeSweep(now int64) {
	next := s.nextSweep.Load()
	if now < next || !s.nextSweep.CompareAndSwap(next, now+s.tick) {
		return
	}
	if next == 0 {
		return // first call: start the period
	}
	// A summary that fails cannot be reported to the caller of an
	// unrelated record; the counts stay exact in Stats.
	_ = s.sweep(context.Background(), now)
}

// sweep emits one summary per bucket that dropped records since the last
// sweep.
func (s *limiter) sweep(ctx context.Context, now int64) error {
	var errs []error
	for w := range s.dirty {
		set := s.dirty[w].Swap(0)
		for set != 0 {
			i := w*64 + bits.TrailingZeros64(set)
			set &= set - 1
			b := &s.buckets[i]
			n := b.dropped.Swap(0)
			if n == 0 {
				continue
			}
			msg := ""
			if p := b.msg.Load(); p != nil {
				msg = *p
			}
			lvl := slog.Level(b.level.Load())
			r := slog.NewRecord(time.Unix(0, now), lvl, fmt.Sprintf("dropped %d records like %q", n, msg), 0)
			r.AddAttrs(slog.Uint64("sampling.dropped", n), slog.String("sampling.message", msg))
			if err := s.next.Handle(ctx, r); err != nil {
				errs = append(errs, err)
			}
		}
	}
	return errors.Join(errs...)
}
