package redact

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"math"
	"reflect"
	"slices"
	"strconv"
	"sync"
	"time"
	"unicode/utf8"
)

// JSONHandler returns a handler that redacts every record as [Redactor.Handler]
// does and writes it to w as a line of JSON, in the format of
// slog.NewJSONHandler(w, opts): the bytes it writes are those
// r.Handler(slog.NewJSONHandler(w, opts)) writes, in less time, because veil
// encodes the record itself instead of handing it to a second handler.
//
// opts is read as slog reads it: Level sets the minimum level (Info when nil),
// AddSource adds the caller's source position, and ReplaceAttr is called
// with each attribute after redaction, the built-in ones included, as slog
// calls it. Each record is written with one call to w.Write, under a lock
// shared by the handlers derived from this one.
func (r *Redactor) JSONHandler(w io.Writer, opts *slog.HandlerOptions) slog.Handler {
	return r.Handler(newJSONHandler(w, opts))
}

// jsonHandler is slog.JSONHandler: the next handler of
// Redactor.JSONHandler. It formats a record completely inside Handle and
// keeps nothing of it (reusable).
type jsonHandler struct {
	w      io.Writer
	mu     *sync.Mutex // shared with the handlers derived from this one
	level  slog.Leveler
	source bool
	rep    func([]string, slog.Attr) slog.Attr
	pre    []byte   // the attributes given to WithAttrs, encoded, with the groups they opened
	groups []string // the groups given to WithGroup
	open   int      // groups[:open] are opened in pre
}

func newJSONHandler(w io.Writer, opts *slog.HandlerOptions) *jsonHandler {
	h := &jsonHandler{w: w, mu: new(sync.Mutex)}
	if opts != nil {
		h.level, h.source, h.rep = opts.Level, opts.AddSource, opts.ReplaceAttr
	}
	return h
}

// encoder returns an encoder appending to buf, with the group path
// ReplaceAttr is given (groups[:open]) if there is a ReplaceAttr; done
// gives the path back.
func (h *jsonHandler) encoder(buf []byte) jsonEncoder {
	e := jsonEncoder{buf: buf, rep: h.rep}
	if h.rep != nil {
		e.groups = groupPaths.Get().(*[]string)
		*e.groups = append((*e.groups)[:0], h.groups[:h.open]...)
	}
	return e
}

func (e *jsonEncoder) done() {
	if e.groups != nil {
		clear(*e.groups)
		groupPaths.Put(e.groups)
	}
}

// groupPaths holds the group paths given to ReplaceAttr: a slice handed to
// a function escapes, and a record should not allocate one.
var groupPaths = sync.Pool{New: func() any { s := make([]string, 0, 8); return &s }}

func (h *jsonHandler) Enabled(_ context.Context, l slog.Level) bool {
	min := slog.LevelInfo
	if h.level != nil {
		min = h.level.Level()
	}
	return l >= min
}

func (h *jsonHandler) WithAttrs(as []slog.Attr) slog.Handler {
	empty := 0
	for _, a := range as {
		if a.Value.Kind() == slog.KindGroup && len(a.Value.Group()) == 0 {
			empty++
		}
	}
	if empty == len(as) {
		return h
	}
	h2 := *h
	e := h.encoder(slices.Clip(h.pre)) // appending copies: h.pre is shared
	defer e.done()
	e.sep = len(e.buf) > 0 && e.buf[len(e.buf)-1] != '{'
	pos := len(e.buf)
	for _, g := range h.groups[h.open:] {
		e.openGroup(g)
	}
	if e.attrs(as) {
		h2.open = len(h.groups)
	} else {
		e.buf = e.buf[:pos]
	}
	h2.pre = e.buf
	return &h2
}

func (h *jsonHandler) WithGroup(name string) slog.Handler {
	h2 := *h
	h2.groups = append(slices.Clip(h.groups), name)
	return &h2
}

// maxPooledBuffer bounds the buffers kept for the next record, so that one
// huge record does not pin its memory.
const maxPooledBuffer = 16 << 10

var jsonBuffers = sync.Pool{New: func() any { b := make([]byte, 0, 1024); return &b }}

func (h *jsonHandler) Handle(_ context.Context, r slog.Record) error {
	bp := jsonBuffers.Get().(*[]byte)
	e := h.encoder((*bp)[:0])
	e.buf = append(e.buf, '{')
	if h.rep == nil {
		if !r.Time.IsZero() {
			e.buf = append(e.buf, `"time":`...)
			e.time(r.Time.Round(0))
			e.buf = append(e.buf, ',')
		}
		e.buf = append(e.buf, `"level":`...)
		e.string(levelString(r.Level))
		e.sep = true
		if h.source {
			if src := r.Source(); src != nil {
				e.attr(slog.Any(slog.SourceKey, src))
			}
		}
		e.key(slog.MessageKey)
		e.string(r.Message)
	} else {
		e.builtins(&r, h.source)
	}
	open := h.open
	if len(h.pre) > 0 {
		e.buf = append(e.buf, ',')
		e.buf = append(e.buf, h.pre...)
		e.sep = h.pre[len(h.pre)-1] != '{'
	}
	if r.NumAttrs() > 0 {
		// Groups with no attribute in them are left out.
		pos := len(e.buf)
		for _, g := range h.groups[h.open:] {
			e.openGroup(g)
		}
		empty := true
		r.Attrs(func(a slog.Attr) bool {
			if e.attr(a) {
				empty = false
			}
			return true
		})
		if empty {
			e.buf = e.buf[:pos]
		} else {
			open = len(h.groups)
		}
	}
	for range open {
		e.buf = append(e.buf, '}')
	}
	e.buf = append(e.buf, '}', '\n')
	e.done()
	err := h.write(e.buf)
	if cap(e.buf) <= maxPooledBuffer {
		*bp = e.buf
		jsonBuffers.Put(bp)
	}
	return err
}

func (h *jsonHandler) write(b []byte) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	_, err := h.w.Write(b)
	return err
}

// levelString is l.String() without its allocation for the four named levels.
func levelString(l slog.Level) string {
	switch l {
	case slog.LevelDebug:
		return "DEBUG"
	case slog.LevelInfo:
		return "INFO"
	case slog.LevelWarn:
		return "WARN"
	case slog.LevelError:
		return "ERROR"
	}
	return l.String()
}

// builtins appends the time, level, source and message of r as
// attributes, each given to ReplaceAttr with no group (the time only when
// set; the source, when asked for, even when unknown), as slog does.
func (e *jsonEncoder) builtins(r *slog.Record, source bool) {
	groups := e.groups
	e.groups = nil
	if !r.Time.IsZero() {
		e.attr(slog.Time(slog.TimeKey, r.Time.Round(0)))
	}
	e.attr(slog.Any(slog.LevelKey, r.Level))
	if source {
		src := r.Source()
		if src == nil {
			src = &slog.Source{}
		}
		e.attr(slog.Any(slog.SourceKey, src))
	}
	e.attr(slog.String(slog.MessageKey, r.Message))
	e.groups = groups
}

// jsonEncoder appends attributes to buf as slog's JSON handler writes them.
type jsonEncoder struct {
	buf    []byte
	sep    bool // a comma goes before the next key
	rep    func([]string, slog.Attr) slog.Attr
	groups *[]string // the open groups, for rep (nil for the built-in attributes)
}

func (e *jsonEncoder) key(k string) {
	if e.sep {
		e.buf = append(e.buf, ',')
	}
	e.string(k)
	e.buf = append(e.buf, ':')
	e.sep = true
}

func (e *jsonEncoder) openGroup(name string) {
	e.key(name)
	e.buf = append(e.buf, '{')
	e.sep = false
	if e.groups != nil {
		*e.groups = append(*e.groups, name)
	}
}

func (e *jsonEncoder) closeGroup() {
	e.buf = append(e.buf, '}')
	e.sep = true
	if e.groups != nil {
		*e.groups = (*e.groups)[:len(*e.groups)-1]
	}
}

// attrs appends as and reports whether any of them was written.
func (e *jsonEncoder) attrs(as []slog.Attr) bool {
	written := false
	for _, a := range as {
		if e.attr(a) {
			written = true
		}
	}
	return written
}

// attr appends a and reports whether it was written. Its rules are
// slog's: an empty attribute (no key, nil value) is left out, a group with
// no attributes writes nothing (and counts as written), a group with a key
// is an object, a group without one is inlined, and a *slog.Source is a
// group of its non-empty fields.
func (e *jsonEncoder) attr(a slog.Attr) bool {
	v := a.Value.Resolve()
	if e.rep != nil && v.Kind() != slog.KindGroup {
		var gs []string
		if e.groups != nil {
			gs = *e.groups
		}
		a = e.rep(gs, slog.Attr{Key: a.Key, Value: v})
		v = a.Value.Resolve()
	}
	k := v.Kind()
	if k == slog.KindAny {
		x := v.Any()
		if x == nil && a.Key == "" {
			return false
		}
		if src, ok := x.(*slog.Source); ok {
			if src == nil || *src == (slog.Source{}) {
				return false
			}
			var as [3]slog.Attr
			n := 0
			if src.Function != "" {
				as[n] = slog.String("function", src.Function)
				n++
			}
			if src.File != "" {
				as[n] = slog.String("file", src.File)
				n++
			}
			if src.Line != 0 {
				as[n] = slog.Int("line", src.Line)
				n++
			}
			return e.group(a.Key, as[:n])
		}
	}
	if k == slog.KindGroup {
		return e.group(a.Key, v.Group())
	}
	e.key(a.Key)
	e.value(v, k)
	return true
}

func (e *jsonEncoder) group(key string, as []slog.Attr) bool {
	if len(as) == 0 {
		return true
	}
	pos := len(e.buf)
	if key != "" {
		e.openGroup(key)
	}
	if !e.attrs(as) {
		// As slog does, the separator is not restored, nor the group path.
		e.buf = e.buf[:pos]
		return false
	}
	if key != "" {
		e.closeGroup()
	}
	return true
}

// value appends v, resolved, of kind k.
func (e *jsonEncoder) value(v slog.Value, k slog.Kind) {
	switch k {
	case slog.KindString:
		e.string(v.String())
	case slog.KindInt64:
		e.buf = strconv.AppendInt(e.buf, v.Int64(), 10)
	case slog.KindUint64:
		e.buf = strconv.AppendUint(e.buf, v.Uint64(), 10)
	case slog.KindFloat64:
		e.float(v.Float64())
	case slog.KindBool:
		e.buf = strconv.AppendBool(e.buf, v.Bool())
	case slog.KindDuration:
		e.buf = strconv.AppendInt(e.buf, int64(v.Duration()), 10)
	case slog.KindTime:
		e.time(v.Time())
	default:
		e.any(v.Any())
	}
}

// any appends x: an error as its text (unless it marshals itself), any
// other value as encoding/json marshals it without escaping HTML. A panic
// in x's methods is written as "<nil>" when x is a nil pointer, else as
// "!PANIC: " and the panic's value, as slog does.
func (e *jsonEncoder) any(x any) {
	defer func() {
		if p := recover(); p != nil {
			if v := reflect.ValueOf(x); v.Kind() == reflect.Pointer && v.IsNil() {
				e.string("<nil>")
				return
			}
			e.string(fmt.Sprintf("!PANIC: %v", p))
		}
	}()
	_, marshals := x.(json.Marshaler)
	if err, ok := x.(error); ok && !marshals {
		e.string(err.Error())
		return
	}
	m := jsonMarshalers.Get().(*jsonMarshaler)
	defer m.put()
	if err := m.enc.Encode(x); err != nil {
		e.error(err)
		return
	}
	b := m.buf.Bytes()
	e.buf = append(e.buf, b[:len(b)-1]...) // without Encode's newline
}

type jsonMarshaler struct {
	buf bytes.Buffer
	enc *json.Encoder
}

var jsonMarshalers = sync.Pool{New: func() any {
	m := new(jsonMarshaler)
	m.enc = json.NewEncoder(&m.buf)
	m.enc.SetEscapeHTML(false)
	return m
}}

func (m *jsonMarshaler) put() {
	if m.buf.Cap() > maxPooledBuffer {
		return
	}
	m.buf.Reset()
	jsonMarshalers.Put(m)
}

func (e *jsonEncoder) error(err error) {
	e.string(fmt.Sprintf("!ERROR:%v", err))
}

// float appends f as encoding/json does: the shortest decimal that reads
// back as f, in exponent form below 1e-6 and from 1e21 on (e-7, not e-07).
// NaN and the infinities are not JSON: an error is written instead.
func (e *jsonEncoder) float(f float64) {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		e.string("!ERROR:json: unsupported value: " + strconv.FormatFloat(f, 'g', -1, 64))
		return
	}
	format := byte('f')
	if a := math.Abs(f); a != 0 && (a < 1e-6 || a >= 1e21) {
		format = 'e'
	}
	e.buf = strconv.AppendFloat(e.buf, f, format, -1, 64)
	if n := len(e.buf); format == 'e' && e.buf[n-4] == 'e' && e.buf[n-3] == '-' && e.buf[n-2] == '0' {
		e.buf[n-2] = e.buf[n-1]
		e.buf = e.buf[:n-1]
	}
}

// time appends t in RFC 3339 with nanoseconds. A year outside 0–9999, which
// RFC 3339 cannot write, is preceded by an error string, as slog does.
func (e *jsonEncoder) time(t time.Time) {
	if y := t.Year(); y < 0 || y >= 10000 {
		e.string("!ERROR:time.Time year outside of range [0,9999]")
	}
	e.buf = append(e.buf, '"')
	e.buf = t.AppendFormat(e.buf, time.RFC3339Nano)
	e.buf = append(e.buf, '"')
}

// jsonSafe holds the bytes written in a JSON string as they are: printable
// ASCII but the quote and the backslash.
var jsonSafe = func() (t [256]bool) {
	for c := 0x20; c < utf8.RuneSelf; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

const hexDigits = "0123456789abcdef"

// string appends s quoted and escaped as slog's JSON handler escapes it:
// quote, backslash and control characters escaped (\n, \r and \t by name),
// invalid UTF-8 as \ufffd, U+2028 and U+2029 as \u escapes; HTML characters
// are not escaped.
func (e *jsonEncoder) string(s string) {
	b := append(e.buf, '"')
	start, i := 0, 0
	for i < len(s) {
		c := s[i]
		if jsonSafe[c] {
			i++
			continue
		}
		if c < utf8.RuneSelf {
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xf])
		default:
			i += size
			continue
		}
		i += size
		start = i
	}
	b = append(b, s[start:]...)
	e.buf = append(b, '"')
}
