package otelredact

import "go.opentelemetry.io/otel/attribute"

// Walker, a helper of the tests, visits the keys and values of attribute trees and rebuilds only the
// parts its functions change. Both functions are optional.
//
// Paths are dotted: the value of key "name" inside the map attribute "user"
// is visited with path "user.name". Elements of slices keep the path of their
// slice. depth is 0 for top-level attributes (or a log body) and grows by one
// for every map or slice entered.
type Walker struct {
	// Key returns the replacement for a key (an attribute key or a map
	// key). Paths are built from the original keys.
	Key func(key string, depth int) (string, bool)
	// Value returns the replacement for v found at path. When it reports
	// true, the replacement is used as is and not walked into; otherwise
	// maps and slices are entered.
	Value func(path string, depth int, v attribute.Value) (attribute.Value, bool)
}

// Attrs walks kvs, whose keys extend prefix ("" at the top level). It
// returns kvs itself and false when nothing changed, and never modifies kvs.
func (w Walker) Attrs(prefix string, depth int, kvs []attribute.KeyValue) ([]attribute.KeyValue, bool) {
	var out []attribute.KeyValue
	for i, kv := range kvs {
		nkv, changed := w.attr(prefix, depth, kv)
		if changed && out == nil {
			out = make([]attribute.KeyValue, len(kvs))
			copy(out, kvs[:i])
		}
		if out != nil {
			out[i] = nkv
		}
	}
	if out == nil {
		return kvs, false
	}
	return out, true
}

func (w Walker) attr(prefix string, depth int, kv attribute.KeyValue) (attribute.KeyValue, bool) {
	key := string(kv.Key)
	path := key
	if prefix != "" {
		path = prefix + "." + key
	}
	var changed bool
	if w.Key != nil {
		if k, ok := w.Key(key, depth); ok {
			kv.Key, changed = attribute.Key(k), true
		}
	}
	if v, ok := w.Walk(path, depth, kv.Value); ok {
		kv.Value, changed = v, true
	}
	return kv, changed
}

// Walk walks v found at path. It returns v itself and false when nothing
// changed.
func (w Walker) Walk(path string, depth int, v attribute.Value) (attribute.Value, bool) {
	if w.Value != nil {
		if nv, ok := w.Value(path, depth, v); ok {
			return nv, true
		}
	}
	switch v.Type() {
	case attribute.MAP:
		kvs, ok := w.Attrs(path, depth+1, v.AsMap())
		if ok {
			return attribute.MapValue(kvs...), true
		}
	case attribute.SLICE:
		if vals, ok := w.slice(path, depth, v.AsSlice()); ok {
			return attribute.SliceValue(vals...), true
		}
	case attribute.STRINGSLICE, attribute.INT64SLICE, attribute.FLOAT64SLICE:
		// A []bool carries no text and no quantity: it is not entered.
		if w.Value != nil {
			return w.typedSlice(path, depth, v)
		}
	}
	return v, false
}

func (w Walker) slice(path string, depth int, vals []attribute.Value) ([]attribute.Value, bool) {
	var changed bool
	for i, e := range vals {
		// vals is a copy made by AsSlice: it may be written to.
		if ne, ok := w.Walk(path, depth+1, e); ok {
			vals[i], changed = ne, true
		}
	}
	return vals, changed
}

// typedSlice walks the elements of a []string, []int64 or []float64 value. The result keeps its type when every replacement has the element
// type, and becomes a SLICE of values otherwise.
func (w Walker) typedSlice(path string, depth int, v attribute.Value) (attribute.Value, bool) {
	vals := elements(v)
	vals, changed := w.slice(path, depth, vals)
	if !changed {
		return v, false
	}
	elem := elementType(v.Type())
	for _, e := range vals {
		if e.Type() != elem {
			return attribute.SliceValue(vals...), true
		}
	}
	switch elem {
	case attribute.STRING:
		s := make([]string, len(vals))
		for i, e := range vals {
			s[i] = e.AsString()
		}
		return attribute.StringSliceValue(s), true
	case attribute.INT64:
		s := make([]int64, len(vals))
		for i, e := range vals {
			s[i] = e.AsInt64()
		}
		return attribute.Int64SliceValue(s), true
	default:
		s := make([]float64, len(vals))
		for i, e := range vals {
			s[i] = e.AsFloat64()
		}
		return attribute.Float64SliceValue(s), true
	}
}

func elementType(t attribute.Type) attribute.Type {
	switch t {
	case attribute.STRINGSLICE:
		return attribute.STRING
	case attribute.INT64SLICE:
		return attribute.INT64
	default:
		return attribute.FLOAT64
	}
}

func elements(v attribute.Value) []attribute.Value {
	switch v.Type() {
	case attribute.STRINGSLICE:
		s := v.AsStringSlice()
		out := make([]attribute.Value, len(s))
		for i, e := range s {
			out[i] = attribute.StringValue(e)
		}
		return out
	case attribute.INT64SLICE:
		s := v.AsInt64Slice()
		out := make([]attribute.Value, len(s))
		for i, e := range s {
			out[i] = attribute.Int64Value(e)
		}
		return out
	default:
		s := v.AsFloat64Slice()
		out := make([]attribute.Value, len(s))
		for i, e := range s {
			out[i] = attribute.Float64Value(e)
		}
		return out
	}
}
