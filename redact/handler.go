package redact

import (
	"context"
	"log/slog"
)

// Handler returns a slog.Handler that redacts every record, and every
// attribute given to WithAttrs, before passing it to next. Attributes given
// to WithAttrs are redacted once, when WithAttrs is called.
func (r *Redactor) Handler(next slog.Handler) slog.Handler {
	return &handler{r: r, next: next, scope: scope{group: r.root, allowed: !r.strict}, reuse: reusable(next)}
}

// reusable reports whether next is a handler of the standard library, or
// veil's own JSON encoder (json.go), that formats a record completely
// inside Handle and keeps nothing of it: no reference to the record or its
// values survives Handle (ReplaceAttr is never called with a group, whose
// attributes are all that refers to the walker's arena). The memory of the
// groups made for such a handler is reused for the next record; any other
// handler may retain a record, so its groups are allocated.
func reusable(next slog.Handler) bool {
	switch next.(type) {
	case *slog.JSONHandler, *slog.TextHandler, *jsonHandler:
		return true
	}
	return false
}

type handler struct {
	r    *Redactor
	next slog.Handler
	scope
	reuse bool   // next is reusable
	stmt  uint64 // the sensitive parameters of a statement given to WithAttrs at this scope (stmtargs.go)
}

// scope is where attributes are redacted: the key path of the open groups,
// whether strict mode lets it through, and how many groups are open. try
// takes it by pointer: its arguments then fit in registers.
type scope struct {
	group   *node // key path of the open groups
	allowed bool  // strict mode lets the open groups through
	depth   int   // number of open groups
}

// Enabled reports whether next is enabled at level.
func (h *handler) Enabled(ctx context.Context, level slog.Level) bool {
	return h.next.Enabled(ctx, level)
}

// WithAttrs redacts as and passes the result to next.WithAttrs.
func (h *handler) WithAttrs(as []slog.Attr) slog.Handler {
	if len(as) == 0 {
		return h
	}
	w := h.r.newWalker()
	out, _ := w.group(as, h.group, h.allowed, h.depth)
	h2 := *h
	h2.next = h.next.WithAttrs(out)
	h2.reuse = reusable(h2.next)
	if set, ok := h.r.withStatement(h.group, as); ok {
		h2.stmt = set // the records' argument lists are its
	}
	return &h2
}

// WithGroup opens a group; its name is part of the key path seen by rules.
func (h *handler) WithGroup(name string) slog.Handler {
	if name == "" {
		return h
	}
	n := h.r.child(h.group, name)
	h2 := *h
	h2.next = h.next.WithGroup(n.outKey)
	h2.reuse = reusable(h2.next)
	h2.group = n
	h2.allowed = h.allowed || n.allowed
	h2.depth++
	h2.stmt = 0 // a statement is beside the arguments of its own group only
	return &h2
}

// Handle redacts the message and attributes of rec and passes the result to
// next. rec itself is never modified; when nothing needs redacting it is
// passed on as is, without allocating.
//
// A first pass looks for the first attribute that changes, building
// nothing; only then does rebuild make a new record.
func (h *handler) Handle(ctx context.Context, rec slog.Record) error {
	var w walker // field by field: a composite literal is built in a temporary and copied
	w.r = h.r
	w.st.budget = h.r.lim.MaxRecord
	w.st.reuse = h.reuse
	msg := rec.Message
	if len(msg) > h.r.lim.MaxString {
		msg = cutString(msg, h.r.lim.MaxString)
	}
	changed := len(msg) != len(rec.Message)
	// A message the clean-text cache knows needs no call to redactText.
	if h.r.scanner != nil && msg != "" {
		if _, hit := h.r.clean.probe(msg); !hit {
			var ch bool
			msg, ch = h.r.redactText(&w.st, msg)
			changed = changed || ch
		}
	}

	// The first n attributes are emitted as is; attribute n, if p.res is
	// not fastSame, is not, and p is what try found for it.
	n := 0
	var p pending
	p.res = fastSame
	if !changed {
		max := h.r.lim.MaxAttrs
		rec.Attrs(func(a slog.Attr) bool { // small enough to be inlined
			if n < max && w.try(a, &h.scope, &p) {
				n++
				return true
			}
			changed = true
			return false
		})
		if !changed {
			if w.slab != nil { // not expected (a struct value always changes the record); kept safe
				w.putArena()
			}
			return h.next.Handle(ctx, rec)
		}
	}
	return h.rebuild(ctx, &rec, msg, &w, n, &p)
}

// rebuild passes to next a copy of rec with message msg, in which the first
// n attributes are those of rec, then the result p of the first pass, and
// the rest redacted by w.
func (h *handler) rebuild(ctx context.Context, rec *slog.Record, msg string, w *walker, n int, p *pending) error {
	var buf [8]slog.Attr
	out := buf[:0]
	i, max := 0, h.r.lim.MaxAttrs
	rec.Attrs(func(a slog.Attr) bool {
		switch {
		case i < n:
			out = appendAttr(out, a.Key, a.Value)
		case i == n && p.res != fastSame:
			out = p.put(out, a)
		case i >= max:
			out = append(out, slog.Int(omittedKey, rec.NumAttrs()-i))
			return false
		default:
			if w.try(a, &h.scope, p) {
				out = appendAttr(out, a.Key, a.Value)
			} else {
				out = p.put(out, a)
			}
		}
		i++
		return true
	})
	if w.st.args && !w.st.argsDone {
		// An argument list, which always changes a record (walker.attr):
		// the statement beside it may say which arguments are secrets.
		if at, set := h.r.boundArgs(h.group, rec, h.stmt); set != 0 {
			return h.rebuildArgs(ctx, rec, msg, w, at, set)
		}
	}
	nr := slog.NewRecord(rec.Time, rec.Level, msg, rec.PC)
	nr.AddAttrs(out...)
	err := h.next.Handle(ctx, nr)
	if w.slab != nil {
		w.putArena()
	}
	return err
}

// rebuildArgs is rebuild, from the first attribute, of rec with the
// elements in set of the argument list at attribute at redacted
// (stmtargs.go); w is done with.
func (h *handler) rebuildArgs(ctx context.Context, rec *slog.Record, msg string, w *walker, at int, set uint64) error {
	if w.slab != nil {
		w.putArena()
	}
	nw := h.r.newWalker()
	// The first walk counted the record's redactions: nw counts none
	// but the arguments masked here.
	nw.st.reuse, nw.st.argsDone, nw.st.redo = h.reuse, true, true
	masked := slog.NewRecord(rec.Time, rec.Level, rec.Message, rec.PC)
	i := 0
	rec.Attrs(func(a slog.Attr) bool {
		if i == at {
			a = h.r.maskArgs(&w.st, a, set)
		}
		masked.AddAttrs(a)
		i++
		return true
	})
	return h.rebuild(ctx, &masked, msg, &nw, 0, &pending{res: fastSame})
}

// Record returns rec redacted as [Redactor.Handler] passes it on: message
// and attributes, under no group. It is for records held outside a handler
// chain, such as those a sampling flight recorder hands to its Sink before
// any redaction. rec is never modified; the result may share memory with it,
// so Clone it before adding attributes.
func (r *Redactor) Record(rec slog.Record) slog.Record {
	var c recordCatcher
	_ = r.Handler(&c).Handle(context.Background(), rec) // recordCatcher returns no error
	return c.rec
}

// recordCatcher is the next handler of Redactor.Record: it keeps the record.
type recordCatcher struct{ rec slog.Record }

func (c *recordCatcher) Enabled(context.Context, slog.Level) bool      { return true }
func (c *recordCatcher) Handle(_ context.Context, r slog.Record) error { c.rec = r; return nil }
func (c *recordCatcher) WithAttrs([]slog.Attr) slog.Handler            { return c }
func (c *recordCatcher) WithGroup(string) slog.Handler                 { return c }
