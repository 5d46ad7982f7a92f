package redact

import (
	"hash/maphash"
	"log/slog"
	"reflect"
	"strings"
	"sync/atomic"

	"go.opentelemetry.io/otel/attribute"

	"github.com/veilhq/veil/internal/sanitize"
)

// A query logger writes a statement's bind arguments beside it, in the same
// record or group, as pgx's tracer does and as most hand-written ones do:
//
//	logger.Info("query", "sql", "INSERT INTO users (name, password) VALUES ($1, $2)", "args", []any{"bob", "hunter2"})
//
// Each argument alone shows nothing; the statement says which are secrets.
// An argument bound in the place of a sensitive column (an INSERT's value,
// or compared with or assigned to the column: "password = $2") is redacted
// as a value under a sensitive key is (see [sanitize.SQLParams]). The
// statement is a string under sql, query, statement, stmt, db.statement or
// db.query.text (any case and separators); its arguments a list under args,
// arguments, params, parameters, binds, bindvars or bindargs, in the same
// record, group, struct, map or list of OpenTelemetry attributes; a
// statement given to a handler's WithAttrs serves the argument lists of the
// records logged at its scope that have none beside them. Argument
// lists take the slow path (their nodes are not plain): walking one sets
// state.args, and the list that holds it is then searched for a statement.
const (
	stmtNone = iota
	stmtText // a statement
	stmtArgs // its arguments
)

// stmtKind classifies a key (one path segment).
func stmtKind(key string) uint8 {
	switch normalizeKey(key) {
	case "sql", "query", "statement", "stmt", "sqlquery", "querytext", "sqlstatement", "dbstatement", "dbquerytext":
		return stmtText
	case "args", "arguments", "params", "parameters", "binds", "bindvars", "bindargs", "sqlargs", "queryargs":
		return stmtArgs
	}
	return stmtNone
}

// argsFinder reads the attributes of a record, group or list of
// OpenTelemetry attributes for an argument list and its statement.
type argsFinder struct {
	r      *Redactor
	parent *node
	stmt   string // the first statement
	at     int    // the position of the first argument list, -1 for none
	i      int    // the position of the next attribute
}

func (r *Redactor) argsFinder(parent *node) argsFinder {
	return argsFinder{r: r, parent: parent, at: -1}
}

// add reads the next attribute.
func (f *argsFinder) add(key string, v slog.Value) {
	switch f.r.child(f.parent, key).stmt {
	case stmtText:
		if f.stmt == "" && v.Kind() == slog.KindString {
			f.stmt = v.String()
		}
	case stmtArgs:
		if f.at < 0 {
			f.at = f.i
		}
	}
	f.i++
}

// bound returns the position of the argument list among the attributes
// read, and the set of its elements bound in the place of a sensitive
// column by the statement beside it (bit i for element i); the set is 0
// when there is no statement or no list.
func (f *argsFinder) bound() (at int, set uint64) {
	return f.boundWith(0)
}

// boundWith is bound, with the set of a statement given to WithAttrs
// (withSet) for a list that has no statement beside it.
func (f *argsFinder) boundWith(withSet uint64) (at int, set uint64) {
	switch {
	case f.at < 0:
		return -1, 0
	case f.stmt == "":
		return f.at, withSet
	}
	return f.at, f.r.stmts.params(f.stmt)
}

// withStatement reports whether as, given to WithAttrs under parent, holds
// a statement, and the set of its sensitive parameters: a logger made for
// one query (logger.With("sql", q)) logs its arguments record by record.
func (r *Redactor) withStatement(parent *node, as []slog.Attr) (set uint64, ok bool) {
	f := r.argsFinder(parent)
	for _, a := range as {
		f.add(a.Key, a.Value)
	}
	if f.stmt == "" {
		return 0, false
	}
	return r.stmts.params(f.stmt), true
}

// stmtCache remembers the sensitive arguments of the last statements seen:
// a query logger logs the same few statements over and over. It is a
// direct-mapped table of stmtSlots entries, safe for concurrent use.
type stmtCache struct {
	seed  maphash.Seed
	slots [stmtSlots]atomic.Pointer[stmtEntry]
}

const (
	stmtSlots   = 64
	stmtMaxText = 4096 // longer statements are not cached
)

type stmtEntry struct {
	stmt string
	set  uint64
}

// params is sanitize.SQLParams(stmt, isSensitiveKey), from the cache when it
// knows stmt.
func (c *stmtCache) params(stmt string) uint64 {
	if !sanitize.HasParams(stmt) {
		return 0 // nothing to look up or to store
	}
	if len(stmt) > stmtMaxText {
		return sanitize.SQLParams(stmt, isSensitiveKey)
	}
	sl := &c.slots[maphash.String(c.seed, stmt)%stmtSlots]
	if e := sl.Load(); e != nil && e.stmt == stmt {
		return e.set
	}
	set := sanitize.SQLParams(stmt, isSensitiveKey)
	sl.Store(&stmtEntry{stmt: strings.Clone(stmt), set: set}) // a copy: it pins no larger buffer and cannot change
	return set
}

// boundArgs is argsFinder over a record's attributes; withSet is the set of
// a statement given to WithAttrs, for arguments with none beside them.
func (r *Redactor) boundArgs(parent *node, rec *slog.Record, withSet uint64) (at int, set uint64) {
	f := r.argsFinder(parent)
	rec.Attrs(func(a slog.Attr) bool {
		f.add(a.Key, a.Value)
		return true
	})
	return f.boundWith(withSet)
}

// boundArgsIn is argsFinder over a group's attributes.
func (r *Redactor) boundArgsIn(parent *node, as []slog.Attr) (at int, set uint64) {
	f := r.argsFinder(parent)
	for _, a := range as {
		f.add(a.Key, a.Value)
	}
	return f.bound()
}

// boundArgsOTel is argsFinder over OpenTelemetry attributes.
func (r *Redactor) boundArgsOTel(parent *node, kvs []attribute.KeyValue) (at int, set uint64) {
	f := r.argsFinder(parent)
	for _, kv := range kvs {
		v := slog.Value{}
		if kv.Value.Type() == attribute.STRING {
			v = slog.StringValue(kv.Value.AsString())
		}
		f.add(string(kv.Key), v)
	}
	return f.bound()
}

// maskBound redacts, in as (the walked fields of a struct or elements of a
// map, which the walker owns), the arguments their statement binds to
// sensitive columns.
func (w *walker) maskBound(n *node, as []slog.Attr) {
	if at, set := w.r.boundArgsIn(n, as); set != 0 {
		as[at] = w.r.maskArgs(&w.st, as[at], set)
	}
}

// masked reports whether element i is in set.
func masked(set uint64, i int) bool { return i < sanitize.MaxParams && set&(1<<i) != 0 }

// maskArgs returns a, a list of arguments (any slice or array but bytes),
// with the elements in set replaced by Redacted, and counts them.
func (r *Redactor) maskArgs(st *state, a slog.Attr, set uint64) slog.Attr {
	if a.Value.Kind() != slog.KindAny {
		return a
	}
	rv := reflect.ValueOf(a.Value.Any())
	if (rv.Kind() != reflect.Slice && rv.Kind() != reflect.Array) || rv.Type().Elem().Kind() == reflect.Uint8 {
		return a
	}
	out := make([]any, rv.Len())
	for i := range out {
		if masked(set, i) {
			out[i] = Redacted
			r.countSensitive(st)
			continue
		}
		out[i] = rv.Index(i).Interface()
	}
	return slog.Any(a.Key, out)
}

// maskArgsOTel is maskArgs for an OpenTelemetry attribute.
func (r *Redactor) maskArgsOTel(st *state, kv attribute.KeyValue, set uint64) attribute.KeyValue {
	elems := elements(kv.Value)
	if elems == nil {
		return kv
	}
	out := make([]attribute.Value, len(elems))
	for i, e := range elems {
		if masked(set, i) {
			e = attribute.StringValue(Redacted)
			r.countSensitive(st)
		}
		out[i] = e
	}
	return attribute.KeyValue{Key: kv.Key, Value: typedSlice(out)}
}
