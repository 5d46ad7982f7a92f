package redact

import (
	"context"
	"log/slog"
)

// Handler returns a slog.Handler that redacts every record, and every
// attribute given to WithAttrs, before passing it to next. Attributes given
// to WithAttrs are redacted once, when WithAttrs is called.
func (r *Redactor) Handler(next slog.Handler) slog.Handler {
	return &handler{r: r, next: next, group: r.root, allowed: !r.strict}
}

type handler struct {
	r       *Redactor
	next    slog.Handler
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
	w.st.release()
	h2 := *h
	h2.next = h.next.WithAttrs(out)
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
	h2.group = n
	h2.allowed = h.allowed || n.allowed
	h2.depth++
	return &h2
}

// Handle redacts the message and attributes of rec and passes the result to
// next. rec itself is never modified; when nothing needs redacting it is
// passed on as is, without allocating.
func (h *handler) Handle(ctx context.Context, rec slog.Record) error {
	w := h.r.newWalker()
	msg := rec.Message
	if len(msg) > h.r.lim.MaxString {
		msg = cutString(msg, h.r.lim.MaxString)
	}
	msg, changed := h.r.redactText(&w.st, msg)
	changed = changed || len(msg) != len(rec.Message)

	var buf [8]slog.Attr
	out := buf[:0]
	i, max := 0, h.r.lim.MaxAttrs
	rec.Attrs(func(a slog.Attr) bool {
		if i >= max {
			if !changed {
				out = collect(out, rec, i)
				changed = true
			}
			out = append(out, slog.Int(omittedKey, rec.NumAttrs()-i))
			return false
		}
		switch t, res := w.fast(a, h.group, h.allowed); res {
		case fastSame:
			if changed {
				out = append(out, a)
			}
		case fastText:
			if !changed {
				out = collect(out, rec, i)
				changed = true
			}
			out = append(out, slog.String(a.Key, t))
		default:
			na, keep, ch := w.attr(a, h.group, h.allowed, h.depth)
			if ch && !changed {
				out = collect(out, rec, i)
				changed = true
			}
			if changed && keep {
				out = append(out, na)
			}
		}
		i++
		return true
	})
	w.st.release()
	if !changed {
		return h.next.Handle(ctx, rec)
	}
	nr := slog.NewRecord(rec.Time, rec.Level, msg, rec.PC)
	nr.AddAttrs(out...)
	return h.next.Handle(ctx, nr)
}

// collect appends the first n attributes of rec, which were clean, to dst.
func collect(dst []slog.Attr, rec slog.Record, n int) []slog.Attr {
	j := 0
	rec.Attrs(func(a slog.Attr) bool {
		if j == n {
			return false
		}
		dst = append(dst, a)
		j++
		return true
	})
	return dst
}
