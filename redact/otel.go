package redact

import (
	"log/slog"
	"math"
	"slices"
	"strconv"
	"time"
	"unicode/utf8"

	"go.opentelemetry.io/otel/attribute"
	sdklog "go.opentelemetry.io/otel/sdk/log"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"

	"github.com/veilhq/veil/internal/otelredact"
	"github.com/veilhq/veil/internal/scan"
)

// SpanProcessor returns a span processor that applies r to every ended span
// and hands next a redacted, read-only view of it:
//
//	tp := sdktrace.NewTracerProvider(
//		sdktrace.WithSpanProcessor(r.SpanProcessor(sdktrace.NewBatchSpanProcessor(exp))))
//
// The span name, attributes (nested maps and slices included), event names
// and attributes (exception.message and exception.stacktrace among them), link
// attributes, status description, and the attributes of the resource and of
// the instrumentation scope are redacted; the span context, parent, kind and
// times are not touched. The span the SDK hands out is never modified, so
// processors registered beside this one see the original. A span that needs
// no redaction is passed on as is, without a copy. Resource and scope
// attributes are redacted once per resource and scope, not per span.
//
// Attribute keys are key paths as in slog: the key "email" inside the map
// attribute "user" has the path "user.email", and [Key] rules, the default
// sensitive keys and the semantic-convention sanitizers (db.query.text,
// url.full, http.request.header.*) apply as they do to slog attributes.
// In strict mode ([WithStrict]) resource and scope attributes are kept (and
// scanned): they describe the service, not a request.
func (r *Redactor) SpanProcessor(next sdktrace.SpanProcessor) sdktrace.SpanProcessor {
	return r.spans().Processor(next)
}

// SpanExporter returns a span exporter that exports the redacted views (see
// [Redactor.SpanProcessor]) of the spans it is given through next. Use it
// when the exporter, not the processor, is what can be wrapped; use one or
// the other, not both.
func (r *Redactor) SpanExporter(next sdktrace.SpanExporter) sdktrace.SpanExporter {
	return r.spans().Exporter(next)
}

// LogProcessor returns an OpenTelemetry log processor that redacts each
// record in place — event name, body (string, map or slice) and attributes,
// including the exception.* attributes derived from an error — and then hands
// it to next. Register it in front of the processor that exports:
//
//	lp := sdklog.NewLoggerProvider(
//		sdklog.WithProcessor(r.LogProcessor(sdklog.NewBatchProcessor(exp))))
//
// The log SDK offers no way to replace a record's resource, so no
// processor can redact it: give the LoggerProvider a resource redacted
// with [Redactor.Resource].
func (r *Redactor) LogProcessor(next sdklog.Processor) sdklog.Processor {
	return otelredact.NewLogProcessor(r.otelPolicy(), next)
}

// Resource returns res with its attributes redacted as the span processor
// and exporter redact a span's resource, for a LoggerProvider, whose
// records' resource no processor can replace. A resource detected from the
// process carries its command line (process.command_args), where a
// password given as an option would otherwise reach every record:
//
//	res, err := resource.New(ctx, resource.WithProcess())
//	…
//	lp := sdklog.NewLoggerProvider(
//		sdklog.WithResource(r.Resource(res)),
//		sdklog.WithProcessor(r.LogProcessor(sdklog.NewBatchProcessor(exp))))
//
// It returns res itself when nothing changes, and nil for nil. In strict
// mode ([WithStrict]) resource attributes are kept, as for spans, and their
// values still redacted.
func (r *Redactor) Resource(res *resource.Resource) *resource.Resource {
	return otelredact.RedactResource(r.otelPolicy(), res)
}

func (r *Redactor) spans() *otelredact.Spans {
	return otelredact.NewSpans(r.otelPolicy())
}

// otelPolicy returns the policy the processors and exporters apply: r with
// the clean-prefix loop for top-level attributes.
func (r *Redactor) otelPolicy() otelredact.Policy {
	return &prefixPolicy{otelPolicy{r}}
}

// otelPolicy applies a Redactor to OpenTelemetry values.
type otelPolicy struct{ r *Redactor }

var _ otelredact.Policy = otelPolicy{}

// prefixPolicy is otelPolicy with the clean-prefix loop for top-level
// attributes (owalker.cleanPrefix). otelPolicy itself takes attributes one
// by one (owalker.fast, else the full walk); tests compare the two. Both
// look texts up in the Redactor's clean-text cache (cache.go).
type prefixPolicy struct {
	otelPolicy
}

var _ otelredact.Policy = (*prefixPolicy)(nil)

func (p *prefixPolicy) Attrs(sig otelredact.Signal, kvs []attribute.KeyValue) ([]attribute.KeyValue, bool) {
	return p.attrs(true, sig, kvs)
}

func (p *prefixPolicy) Value(sig otelredact.Signal, v attribute.Value) (attribute.Value, bool) {
	return p.value(true, sig, v)
}

func (p otelPolicy) walker(sig otelredact.Signal, prefix bool) owalker {
	w := owalker{walker: p.r.newWalker(), prefix: prefix}
	w.st.sig = sig
	return w
}

// Attrs redacts attributes as the slog handler redacts record attributes.
func (p otelPolicy) Attrs(sig otelredact.Signal, kvs []attribute.KeyValue) ([]attribute.KeyValue, bool) {
	return p.attrs(false, sig, kvs)
}

func (p otelPolicy) attrs(prefix bool, sig otelredact.Signal, kvs []attribute.KeyValue) ([]attribute.KeyValue, bool) {
	if len(kvs) == 0 {
		return kvs, false
	}
	w := p.walker(sig, prefix)
	allowed := !p.r.strict || sig == otelredact.Resource || sig == otelredact.Scope
	return w.attrs(kvs, p.r.root, allowed, 0)
}

// Value redacts a log record body: a string like a message, a map like
// attributes.
func (p otelPolicy) Value(sig otelredact.Signal, v attribute.Value) (attribute.Value, bool) {
	return p.value(false, sig, v)
}

func (p otelPolicy) value(prefix bool, sig otelredact.Signal, v attribute.Value) (attribute.Value, bool) {
	w := p.walker(sig, prefix)
	if v.Type() == attribute.MAP {
		kvs, ch := w.attrs(v.AsMap(), p.r.root, !p.r.strict, 1)
		if !ch {
			return v, false
		}
		return attribute.MapValue(kvs...), true
	}
	if root := p.r.root; root.rule == nil && !root.sensitive && root.sanitize == nil {
		// A body has no key: a scalar body is what fast handles.
		switch t, res := w.fast(&v); res {
		case fastSame:
			return v, false
		case fastText:
			return attribute.StringValue(t), true
		}
	}
	out, keep, ch := w.value(v, p.r.root, true, 0)
	if !keep {
		return attribute.StringValue(Redacted), true
	}
	return out, ch
}

// Text redacts a span name, event name or status description as the slog
// handler redacts a message.
func (p otelPolicy) Text(sig otelredact.Signal, s string) (string, bool) {
	if s == "" {
		return s, false
	}
	st := p.r.newState()
	st.sig = sig
	cut := false
	if len(s) > p.r.lim.MaxString {
		s, cut = cutString(s, p.r.lim.MaxString), true
	}
	out, ch := p.r.redactText(&st, s)
	return out, ch || cut
}

// owalker walks attribute values with the decisions of the slog walker.
// prefix enables the clean-prefix loop for top-level attributes.
type owalker struct {
	walker
	prefix bool
}

// attrs redacts kvs under the key path parent; it returns kvs itself when
// nothing changed.
func (w *owalker) attrs(kvs []attribute.KeyValue, parent *node, allowed bool, depth int) ([]attribute.KeyValue, bool) {
	args := w.st.args
	w.st.args = false
	out, ch := w.attrList(kvs, parent, allowed, depth)
	if w.st.args {
		// An argument list: the statement beside it may say which
		// arguments are secrets (stmtargs.go).
		if i, set := w.r.boundArgsOTel(parent, kvs); set != 0 {
			kvs = slices.Clone(kvs)
			kvs[i] = w.r.maskArgsOTel(&w.st, kvs[i], set)
			redo := w.st.redo
			w.st.redo = true // counted by the first walk
			out, _ = w.attrList(kvs, parent, allowed, depth)
			w.st.redo = redo
			ch = true
		}
	}
	w.st.args = args
	return out, ch
}

// attrList is attrs without argument lists.
func (w *owalker) attrList(kvs []attribute.KeyValue, parent *node, allowed bool, depth int) ([]attribute.KeyValue, bool) {
	saved := w.entry
	w.entry = nil
	defer func() { w.entry = saved }()
	start := 0
	var out []attribute.KeyValue
	if parent == w.r.root && w.prefix {
		var ms []scan.Match
		if start, ms = w.cleanPrefix(kvs, allowed); start == len(kvs) {
			return kvs, false
		}
		if len(ms) > 0 {
			// kvs[start] is a plain string with matches: what fast does
			// after its scan.
			kv := &kvs[start]
			if t, res := w.r.finishString(&w.st, kv.Value.AsString(), ms); res == fastText {
				out = append(make([]attribute.KeyValue, 0, len(kvs)), kvs[:start]...)
				out = append(out, attribute.KeyValue{Key: kv.Key, Value: attribute.StringValue(t)})
			}
			start++
		}
	}
	for i := start; i < len(kvs); i++ {
		kv := &kvs[i]
		if i >= w.r.lim.MaxAttrs {
			if out == nil {
				out = append(make([]attribute.KeyValue, 0, i+1), kvs[:i]...)
			}
			out = append(out, attribute.Int(omittedKey, len(kvs)-i))
			break
		}
		n := w.r.child(parent, string(kv.Key))
		if n.entry != entryNone && w.noteEntry(n, parent, toSlog(kv.Value)) {
			n = w.r.entryTwin(n)
		}
		if n.stmt == stmtArgs {
			w.st.args = true
		}
		al := allowed || n.allowed || !w.r.strict
		if n.plain && al {
			switch t, res := w.fast(&kv.Value); res {
			case fastSame:
				if out != nil {
					out = append(out, *kv)
				}
				continue
			case fastText:
				if out == nil {
					out = append(make([]attribute.KeyValue, 0, len(kvs)), kvs[:i]...)
				}
				out = append(out, attribute.KeyValue{Key: kv.Key, Value: attribute.StringValue(t)})
				continue
			}
		}
		v, keep, ch := w.value(kv.Value, n, al, depth)
		ch = ch || n.keyChanged || !keep
		if ch && out == nil {
			out = append(make([]attribute.KeyValue, 0, len(kvs)), kvs[:i]...)
		}
		if out != nil && keep {
			out = append(out, attribute.KeyValue{Key: attribute.Key(n.outKey), Value: v})
		}
	}
	if out == nil {
		return kvs, false
	}
	return out, true
}

// cleanPrefix is the loop of attrs for top-level attributes while they
// take the fast path unchanged: it returns how many attributes at the start
// of kvs are emitted as is, having applied their effects (the byte budget),
// and stops, having done nothing for it, at the first attribute that needs
// more than that. When that one is a string that fast takes and the scan
// found matches, it returns them (they live in w.st until its next scan);
// attrs goes on from there.
func (w *owalker) cleanPrefix(kvs []attribute.KeyValue, allowed bool) (int, []scan.Match) {
	r := w.r
	sc, maxString := r.scanner, r.lim.MaxString
	allowed = allowed || !r.strict
	m := min(len(kvs), r.lim.MaxAttrs)
	for i := range m {
		kv := &kvs[i]
		n := r.child(r.root, string(kv.Key))
		if !n.plain || !(allowed || n.allowed) {
			return i, nil
		}
		switch kv.Value.Type() {
		case attribute.STRING:
			s := kv.Value.AsString()
			if len(s) > maxString || len(s) > w.st.budget {
				return i, nil
			}
			if sc != nil && s != "" {
				if ms := r.scan(&w.st, s); len(ms) > 0 {
					return i, ms
				}
			}
			w.st.budget -= len(s)
		case attribute.INT64:
			if x := kv.Value.AsInt64(); bigInt(x) {
				return i, nil
			}
		case attribute.FLOAT64:
			if bigFloat(kv.Value.AsFloat64()) {
				return i, nil
			}
		case attribute.BOOL:
		default:
			return i, nil
		}
	}
	return m, nil
}

// fast is walker.fast for attribute values: the value of a plain, allowed
// key path (see node.plain) that is a scalar needing at most its string
// scanned. It has the effects of value (byte budget, metrics) and reports
// fastSlow, having done nothing, for every other value.
func (w *owalker) fast(v *attribute.Value) (string, int) {
	switch v.Type() {
	case attribute.STRING:
		return w.r.fastString(&w.st, v.AsString())
	case attribute.INT64:
		if i := v.AsInt64(); bigInt(i) {
			return "", fastSlow // may be a card or phone number: see scalar
		}
		return "", fastSame
	case attribute.FLOAT64:
		if bigFloat(v.AsFloat64()) {
			return "", fastSlow
		}
		return "", fastSame
	case attribute.BOOL:
		return "", fastSame
	}
	return "", fastSlow
}

// value redacts v found at key path n.
func (w *owalker) value(v attribute.Value, n *node, allowed bool, depth int) (attribute.Value, bool, bool) {
	switch v.Type() {
	case attribute.MAP:
		if out, keep, done := w.enter(n, allowed, depth, nil); done {
			return fromSlog(out), keep, true
		}
		kvs, ch := w.attrs(v.AsMap(), n, allowed, depth+1)
		if !ch {
			return v, true, false
		}
		return attribute.MapValue(kvs...), true, true
	case attribute.SLICE, attribute.STRINGSLICE, attribute.INT64SLICE, attribute.FLOAT64SLICE, attribute.BOOLSLICE:
		return w.slice(v, n, allowed, depth)
	case attribute.BYTESLICE:
		if !allowed {
			return attribute.Value{}, false, true
		}
		b := v.AsByteSlice()
		if !utf8.Valid(b) {
			out, keep, _ := w.leaf(slog.StringValue(markerBinary(len(b))), n, allowed, nil)
			return fromSlog(out), keep, true
		}
		out, keep, ch := w.r.scalar(&w.st, n, slog.StringValue(string(b)), nil)
		if !keep {
			return attribute.Value{}, false, true
		}
		if !ch {
			return v, true, false
		}
		return fromSlog(out), true, true
	case attribute.EMPTY:
		if !allowed {
			return attribute.Value{}, false, true
		}
		return v, true, false
	}
	if !allowed {
		return attribute.Value{}, false, true
	}
	out, keep, ch := w.r.scalar(&w.st, n, toSlog(v), nil)
	if !keep {
		return attribute.Value{}, false, true
	}
	if !ch {
		return v, true, false
	}
	return fromSlog(out), true, true
}

// slice redacts the elements of a slice, which share its key path, as the
// slog walker does for Go slices.
func (w *owalker) slice(v attribute.Value, n *node, allowed bool, depth int) (attribute.Value, bool, bool) {
	if _, keep, descend := w.r.compositeDecision(n, nil); !descend && !keep {
		return attribute.Value{}, false, true
	}
	if depth >= w.r.lim.MaxDepth {
		out, keep, _ := w.leaf(slog.StringValue(markerDepth), n, allowed, nil)
		return fromSlog(out), keep, true
	}
	elems := elements(v)
	m := min(len(elems), w.r.lim.MaxAttrs)
	var out []attribute.Value // made at the first change
	var cmd, prev string      // the first and the previous string element, for argValue
	for i, e := range elems[:m] {
		var ev attribute.Value
		var keep, ch bool
		cur := "" // e, when argValue may look at it
		if e.Type() == attribute.STRING && n.bare {
			cur = e.AsString()
		}
		cmd = argCommand(i, cmd, cur)
		if t, ok := w.r.argValue(&w.st, cmd, prev, cur); ok {
			ev, keep, ch, cur = attribute.StringValue(t), true, true, ""
		} else {
			ev, keep, ch = w.value(e, n, allowed, depth+1)
		}
		prev = cur
		if ch && out == nil {
			out = append(make([]attribute.Value, 0, m+1), elems[:i]...)
		}
		if out != nil && keep {
			out = append(out, ev)
		}
	}
	if out == nil && m == len(elems) {
		return v, true, false
	}
	if out == nil {
		out = append(make([]attribute.Value, 0, m+1), elems[:m]...)
	}
	if len(elems) > m {
		out = append(out, attribute.StringValue("["+strconv.Itoa(len(elems)-m)+" more omitted]"))
	}
	return typedSlice(out), true, true
}

// elements returns the elements of any slice value as values.
func elements(v attribute.Value) []attribute.Value {
	switch v.Type() {
	case attribute.SLICE:
		return v.AsSlice()
	case attribute.STRINGSLICE:
		return convert(v.AsStringSlice(), attribute.StringValue)
	case attribute.INT64SLICE:
		return convert(v.AsInt64Slice(), attribute.Int64Value)
	case attribute.FLOAT64SLICE:
		return convert(v.AsFloat64Slice(), attribute.Float64Value)
	case attribute.BOOLSLICE:
		return convert(v.AsBoolSlice(), attribute.BoolValue)
	}
	return nil
}

func convert[T any](xs []T, f func(T) attribute.Value) []attribute.Value {
	out := make([]attribute.Value, len(xs))
	for i, x := range xs {
		out[i] = f(x)
	}
	return out
}

// typedSlice rebuilds a slice from vals: a []string, []int64, []float64 or
// []bool when every element has that type, a SLICE of values otherwise.
func typedSlice(vals []attribute.Value) attribute.Value {
	if len(vals) == 0 {
		return attribute.SliceValue()
	}
	elem := vals[0].Type()
	for _, e := range vals[1:] {
		if e.Type() != elem {
			return attribute.SliceValue(vals...)
		}
	}
	switch elem {
	case attribute.STRING:
		return attribute.StringSliceValue(unconvert(vals, attribute.Value.AsString))
	case attribute.INT64:
		return attribute.Int64SliceValue(unconvert(vals, attribute.Value.AsInt64))
	case attribute.FLOAT64:
		return attribute.Float64SliceValue(unconvert(vals, attribute.Value.AsFloat64))
	case attribute.BOOL:
		return attribute.BoolSliceValue(unconvert(vals, attribute.Value.AsBool))
	}
	return attribute.SliceValue(vals...)
}

func unconvert[T any](vals []attribute.Value, f func(attribute.Value) T) []T {
	out := make([]T, len(vals))
	for i, v := range vals {
		out[i] = f(v)
	}
	return out
}

// toSlog converts a scalar attribute value to the walker's currency.
func toSlog(v attribute.Value) slog.Value {
	switch v.Type() {
	case attribute.BOOL:
		return slog.BoolValue(v.AsBool())
	case attribute.INT64:
		return slog.Int64Value(v.AsInt64())
	case attribute.FLOAT64:
		return slog.Float64Value(v.AsFloat64())
	default:
		return slog.StringValue(v.AsString())
	}
}

// fromSlog converts what an action or the walker produced back to an
// attribute value.
func fromSlog(v slog.Value) attribute.Value {
	switch v.Kind() {
	case slog.KindString:
		return attribute.StringValue(v.String())
	case slog.KindInt64:
		return attribute.Int64Value(v.Int64())
	case slog.KindUint64:
		if u := v.Uint64(); u <= math.MaxInt64 {
			return attribute.Int64Value(int64(u))
		}
	case slog.KindFloat64:
		return attribute.Float64Value(v.Float64())
	case slog.KindBool:
		return attribute.BoolValue(v.Bool())
	case slog.KindTime:
		return attribute.StringValue(v.Time().Format(time.RFC3339Nano))
	case slog.KindGroup:
		as := v.Group()
		kvs := make([]attribute.KeyValue, len(as))
		for i, a := range as {
			kvs[i] = attribute.KeyValue{Key: attribute.Key(a.Key), Value: fromSlog(a.Value)}
		}
		return attribute.MapValue(kvs...)
	}
	return attribute.StringValue(v.String())
}
