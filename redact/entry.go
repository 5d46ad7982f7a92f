package redact

import (
	"log/slog"
	"reflect"
)

// An entry is a group that names a setting in one member and holds its
// value in another, as Kubernetes' environment variables (corev1.EnvVar),
// HAR headers, AWS parameters and tags, and many configuration APIs are
// shaped:
//
//	{name: "DB_PASSWORD", value: "x"}   {Key: "api_key", Value: "x"}
//
// When the name member (name, key, field, ParameterKey, ParameterName) is a
// string that is a sensitive key name, the value member (value,
// ParameterValue) that follows it in the same group, struct or map is
// redacted as a value under a sensitive key is. Members take the slow path
// (their nodes are not plain), where walker.attr, structValue, mapValue and
// owalker.attrs ask noteEntry. The scanner applies the same rule to entries
// written as text (internal/scan, keyValue).
const (
	entryNone  = iota
	entryName  // the member that names the entry
	entryValue // the member that holds its value
)

// entryKind classifies a key (one path segment) as an entry member.
func entryKind(key string) uint8 {
	switch normalizeKey(key) {
	case "name", "key", "field", "parameterkey", "parametername":
		return entryName
	case "value", "parametervalue":
		return entryValue
	}
	return entryNone
}

// noteEntry is told the member n under parent, whose value is v (scalar,
// if a string is to be read). For a name member it records whether v names
// a sensitive key; for a value member it reports whether the entry's name
// did, in which case the value is to be walked under entryTwin(n).
//
// The walker remembers, in w.entry, the parent whose last name member
// named a sensitive key (nil when none did). Each group, struct and map
// walked saves it, starts afresh and restores it, so that only the members
// of one group see it.
func (w *walker) noteEntry(n, parent *node, v slog.Value) bool {
	switch n.entry {
	case entryName:
		w.entry = nil
		if v.Kind() == slog.KindString && isSensitiveKey(v.String()) {
			w.entry = parent
		}
	case entryValue:
		// Not forgotten once read: a second value member of the entry
		// is its value too.
		return w.entry == parent
	}
	return false
}

// noteEntryReflect is noteEntry for a struct field or map element.
func (w *walker) noteEntryReflect(n, parent *node, rv reflect.Value) bool {
	if n.entry == entryName {
		for rv.Kind() == reflect.Pointer || rv.Kind() == reflect.Interface {
			if rv.IsNil() {
				break
			}
			rv = rv.Elem()
		}
		v := slog.Value{}
		if rv.Kind() == reflect.String {
			v = slog.StringValue(rv.String())
		}
		return w.noteEntry(n, parent, v)
	}
	return w.noteEntry(n, parent, slog.Value{})
}

// entryTwin returns the node that stands for the value member n of an
// entry whose name is a sensitive key: n, sensitive. Its rules (a rule on
// the key "value") still come first, as they do over a sensitive key.
func (r *Redactor) entryTwin(n *node) *node {
	if t := n.twin.Load(); t != nil {
		return t
	}
	t := &node{
		key: n.key, path: n.path, segs: n.segs, outKey: n.outKey, keyChanged: n.keyChanged,
		rule: n.rule, sensitive: true, allowed: n.allowed, sanitize: n.sanitize,
	}
	n.twin.CompareAndSwap(nil, t)
	return n.twin.Load()
}
