package redact

import (
	"context"
	"crypto"
	"encoding"
	"encoding/json"
	"fmt"
	"log/slog"
	"net"
	"net/netip"
	"net/url"
	"reflect"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/veilhq/veil/token"
)

// maxResolve bounds the chain of LogValuers resolved for one value.
const maxResolve = 32

// walker applies a Redactor to slog attributes and values. It is a value
// on the caller's stack; one walker serves one record or one With call.
//
// Handle zeroes one per record: at 184 bytes the clean record measured
// 1.178× the bare handler, with one word more 1.215× (session 9, alternated
// passes of BenchmarkRedactInterleaved). A new field goes into padding
// (state.reuse sits beside state.sig) or pays for itself.
type walker struct {
	r     *Redactor
	st    state
	arena []slog.Attr // room left for the groups of struct values (structValue)
	slab  *slab       // the slab the arena was taken from, if any
	entry *node       // the parent of the last entry name read, if it named a secret (entry.go)
}

// maxTake bounds the room the outermost struct of a value allocates for
// the groups of its struct fields (Redactor.room).
const maxTake = 64

// newWalker sets the fields one by one: a composite literal is built in a
// temporary and copied with 16-byte loads that stall on the 8-byte stores
// just made.
func (r *Redactor) newWalker() (w walker) {
	w.r = r
	w.st.budget = r.lim.MaxRecord
	return w
}

// secretValuer is implemented by Secret[T].
type secretValuer interface{ veilSecret() }

// privateKey is implemented by every private key type of the standard
// library (*rsa.PrivateKey, *ecdsa.PrivateKey, ed25519.PrivateKey,
// *ecdh.PrivateKey), as the crypto package documents: such a value is a
// secret whatever its key, like a Secret.
type privateKey interface {
	Public() crypto.PublicKey
	Equal(crypto.PrivateKey) bool
}

// attr redacts one attribute whose parent key path is parent. allowed
// reports whether strict mode lets the parent path through (always true when
// not strict). It returns keep=false when the attribute must be dropped and
// changed=false when a is to be emitted as is.
func (w *walker) attr(a slog.Attr, parent *node, allowed bool, depth int) (out slog.Attr, keep, changed bool) {
	if a.Key == "" && a.Value.Kind() == slog.KindGroup {
		// An inline group: its attributes belong to the parent.
		if depth >= w.r.lim.MaxDepth {
			return slog.String(omittedKey, markerDepth), true, true
		}
		as, ch := w.group(a.Value.Group(), parent, allowed, depth+1)
		if !ch {
			return a, true, false
		}
		return slog.Attr{Value: slog.GroupValue(as...)}, true, true
	}
	n := parent.kids.Load().hit(a.Key) // child's common case, inlined
	if n == nil {
		n = w.r.child(parent, a.Key)
	}
	if n.entry != entryNone && w.noteEntry(n, parent, a.Value) {
		n = w.r.entryTwin(n)
	}
	if n.stmt == stmtArgs {
		w.st.args = true
	}
	al := allowed || n.allowed || !w.r.strict
	v, keep, ch := w.value(a.Value, n, al, depth, nil)
	if !keep {
		return slog.Attr{}, false, true
	}
	if !ch && !n.keyChanged {
		// An argument list is reported changed all the same, so that the
		// list holding it is searched for its statement (stmtargs.go).
		return a, true, n.stmt == stmtArgs
	}
	return slog.Attr{Key: n.outKey, Value: v}, true, true
}

// appendAttr appends the attribute (key, v) to as. It stores the fields
// one by one: append(as, slog.Attr{Key: key, Value: v}) builds the attribute
// in a temporary with 8-byte stores and copies it with 16-byte loads, which
// stall waiting for those stores.
// Nor does it zero the new element first (a call, while the GC runs).
func appendAttr(as []slog.Attr, key string, v slog.Value) []slog.Attr {
	if len(as) == cap(as) {
		as = slices.Grow(as, 1)
	}
	as = as[:len(as)+1]
	a := &as[len(as)-1]
	a.Key = key
	a.Value = v
	return as
}

// Results of walker.try (pending.res).
const (
	fastSlow = iota // attr's result: pending.attr, pending.keep
	fastSame        // the attribute is emitted as is (no pending result)
	fastText        // the attribute's string value is replaced by pending.text
)

// pending is what try found for an attribute that is not emitted as is.
type pending struct {
	res  int       // fastText or fastSlow
	text string    // fastText: the new string value
	attr slog.Attr // fastSlow: attr's result
	keep bool      // fastSlow: attr's result
}

// try is attr with a fast path for the common attribute: a scalar under a
// plain key path (no rule, not sensitive, no sanitizer, key unchanged,
// allowed), which needs at most its string looked up in the clean-text
// cache or scanned. It reports whether a is emitted as is; otherwise p holds
// the result. One call per attribute, so that loops over a record's
// attributes stay small enough to be inlined.
func (w *walker) try(a slog.Attr, sc *scope, p *pending) bool {
	k := a.Value.Kind()
	if k != slog.KindAny && k != slog.KindGroup && k != slog.KindLogValuer {
		s := sc.group.kids.Load().slot(a.Key) // child's common case, inlined
		open := s != nil && s.open
		if !open {
			var n *node
			if s != nil {
				n = s.n // a key with a rule, sensitive, or outside the allowlist
			} else {
				n = w.r.child(sc.group, a.Key)
			}
			open = n.open || (n.plain && sc.allowed) // an allowed group lets a plain key through
		}
		if open {
			// plainScalar, written out: a call less per attribute.
			switch k {
			case slog.KindString:
				// A text the clean-text cache knows is settled here; any
				// other goes to fastString, which probes again (cheap next
				// to the scan it then runs).
				s := a.Value.String()
				if n := len(s); n > 0 && n <= w.st.budget && n <= w.r.lim.MaxString && w.r.scanner != nil {
					if _, hit := w.r.clean.probe(s); hit {
						w.st.budget -= n
						return true
					}
				}
				t, res := w.r.fastString(&w.st, s)
				if res == fastSame {
					return true
				}
				if res == fastText {
					p.res, p.text = fastText, t
					return false
				}
			case slog.KindInt64:
				if !bigInt(a.Value.Int64()) {
					return true
				}
			case slog.KindUint64:
				if a.Value.Uint64() <= maxPlainInt {
					return true
				}
			case slog.KindFloat64:
				if !bigFloat(a.Value.Float64()) {
					return true
				}
			default:
				return true
			}
		}
	}
	var ch bool
	p.res = fastSlow
	p.attr, p.keep, ch = w.attr(a, sc.group, sc.allowed, sc.depth)
	return !ch
}

// plainScalar is the fast path of a scalar v (not a group, LogValuer or
// any) of kind k under a plain, allowed key path, as try takes it (for
// struct fields): it has the effects of scalar (the record's byte budget)
// and reports fastSame, or fastText and the new text, or fastSlow, having
// done nothing, when v needs scalar itself.
func (w *walker) plainScalar(v slog.Value, k slog.Kind) (string, int) {
	switch k {
	case slog.KindString:
		return w.r.fastString(&w.st, v.String())
	case slog.KindInt64:
		if bigInt(v.Int64()) {
			return "", fastSlow // may be a card or phone number: see scalar
		}
	case slog.KindUint64:
		if v.Uint64() > maxPlainInt {
			return "", fastSlow
		}
	case slog.KindFloat64:
		if bigFloat(v.Float64()) {
			return "", fastSlow
		}
	}
	return "", fastSame // bool, duration, time, small numbers
}

// put appends to as the attribute a, for which try reported false and p.
func (p *pending) put(as []slog.Attr, a slog.Attr) []slog.Attr {
	if p.res == fastText {
		return appendAttr(as, a.Key, slog.StringValue(p.text))
	}
	if p.keep {
		return appendAttr(as, p.attr.Key, p.attr.Value)
	}
	return as
}

// group redacts the attributes of a group whose key path is n. It returns
// as itself when nothing changed.
func (w *walker) group(as []slog.Attr, n *node, allowed bool, depth int) ([]slog.Attr, bool) {
	args := w.st.args
	w.st.args = false
	out, ch := w.groupAttrs(as, n, allowed, depth)
	if w.st.args {
		// An argument list: the statement beside it may say which
		// arguments are secrets (stmtargs.go).
		if i, set := w.r.boundArgsIn(n, as); set != 0 {
			as = slices.Clone(as)
			as[i] = w.r.maskArgs(&w.st, as[i], set)
			redo := w.st.redo
			w.st.redo = true // counted by the first walk
			out, _ = w.groupAttrs(as, n, allowed, depth)
			w.st.redo = redo
			ch = true
		}
	}
	w.st.args = args
	return out, ch
}

// groupAttrs is group without argument lists.
func (w *walker) groupAttrs(as []slog.Attr, n *node, allowed bool, depth int) ([]slog.Attr, bool) {
	var out []slog.Attr
	var p pending
	sc := scope{n, allowed, depth}
	saved := w.entry
	w.entry = nil
	defer func() { w.entry = saved }()
	for i, a := range as {
		if i >= w.r.lim.MaxAttrs {
			if out == nil {
				out = append(make([]slog.Attr, 0, i+1), as[:i]...)
			}
			out = append(out, slog.Int(omittedKey, len(as)-i))
			break
		}
		if w.try(a, &sc, &p) {
			if out != nil {
				out = appendAttr(out, a.Key, a.Value)
			}
			continue
		}
		if out == nil {
			out = append(make([]slog.Attr, 0, len(as)), as[:i]...)
		}
		out = p.put(out, a)
	}
	if out == nil {
		return as, false
	}
	return out, true
}

// value redacts v, the value at key path n. override is the action of a
// struct tag, if any.
func (w *walker) value(v slog.Value, n *node, allowed bool, depth int, override Action) (slog.Value, bool, bool) {
	switch v.Kind() {
	case slog.KindLogValuer:
		lv := v.LogValuer()
		if out, ok := w.marked(lv, n, allowed); ok {
			return out.v, out.keep, true
		}
		rv, ok := w.resolve(lv)
		if !ok {
			return w.leaf(rv, n, allowed, override)
		}
		out, keep, _ := w.value(rv, n, allowed, depth+1, override)
		return out, keep, true
	case slog.KindGroup:
		if out, keep, done := w.enter(n, allowed, depth, override); done {
			return out, keep, true
		}
		as, ch := w.group(v.Group(), n, allowed, depth+1)
		if !ch {
			return v, true, false
		}
		return slog.GroupValue(as...), true, true
	case slog.KindAny:
		return w.any(v.Any(), v, n, allowed, depth, override)
	}
	if !allowed {
		return slog.Value{}, false, true
	}
	return w.r.scalar(&w.st, n, v, override)
}

// leaf redacts a value that has been turned into a scalar; it is always
// reported as changed.
func (w *walker) leaf(v slog.Value, n *node, allowed bool, override Action) (slog.Value, bool, bool) {
	if !allowed {
		return slog.Value{}, false, true
	}
	out, keep, _ := w.r.scalar(&w.st, n, v, override)
	return out, keep, true
}

// enter decides what happens to a composite value before it is walked:
// done=true means out/keep is the result.
func (w *walker) enter(n *node, allowed bool, depth int, override Action) (out slog.Value, keep, done bool) {
	v, keep, descend := w.r.compositeDecision(n, override)
	if !descend {
		w.r.countComposite(&w.st, n, override)
		if !keep || !allowed {
			return slog.Value{}, false, true
		}
		return w.r.charge(&w.st, v), true, true
	}
	if depth >= w.r.lim.MaxDepth {
		if !allowed {
			return slog.Value{}, false, true
		}
		return slog.StringValue(markerDepth), true, true
	}
	return slog.Value{}, true, false
}

type markedResult struct {
	v    slog.Value
	keep bool
}

// marked handles values whose type says what they are: token.Of values and
// Secret[T]. Only strict mode and an explicit Drop rule remove them.
func (w *walker) marked(x any, n *node, allowed bool) (markedResult, bool) {
	var v slog.Value
	switch x := x.(type) {
	case token.Value:
		v = w.r.tokenValue(x)
	case *token.Value:
		if x == nil {
			return markedResult{slog.AnyValue(nil), allowed}, true
		}
		v = w.r.tokenValue(*x)
	case secretValuer, privateKey:
		v = slog.StringValue(Redacted)
	default:
		return markedResult{}, false
	}
	if !allowed {
		return markedResult{}, true
	}
	if n.rule != nil {
		if _, drop := n.rule.act.(dropAction); drop {
			return markedResult{}, true
		}
	}
	return markedResult{w.r.charge(&w.st, v), true}, true
}

// resolve calls LogValue itself, recovering from panics (whose text may hold
// anything) and bounding chains and cycles of LogValuers. ok=false means the
// result is a marker.
func (w *walker) resolve(lv slog.LogValuer) (slog.Value, bool) {
	for range maxResolve {
		v, ok := safeLogValue(lv)
		if !ok {
			return slog.StringValue(markerPanicLV), false
		}
		if v.Kind() != slog.KindLogValuer {
			return v, true
		}
		lv = v.LogValuer()
		switch lv.(type) {
		case token.Value, *token.Value, secretValuer:
			return v, true
		}
	}
	return slog.StringValue(markerLoop), false
}

func safeLogValue(lv slog.LogValuer) (v slog.Value, ok bool) {
	defer func() {
		if recover() != nil {
			ok = false
		}
	}()
	return lv.LogValue(), true
}

func safeText(f func() string) (s string, ok bool) {
	defer func() {
		if recover() != nil {
			ok = false
		}
	}()
	return f(), true
}

func safeBytes(f func() ([]byte, error)) (b []byte, ok bool) {
	defer func() {
		if recover() != nil {
			ok = false
		}
	}()
	b, err := f()
	return b, err == nil
}

// any redacts the content of a KindAny value; orig is the value itself.
func (w *walker) any(x any, orig slog.Value, n *node, allowed bool, depth int, override Action) (slog.Value, bool, bool) {
	if t := reflect.TypeOf(x); t != nil {
		// A type with no method or identity of those below (the plan's
		// methods) goes straight to its plan: a struct, map or slice is
		// not asked for six interfaces first. Only the plan n has cached
		// is consulted (the type of the values walked under n, which the
		// reflect call at the end caches): values of changing types, such
		// as errors, pay no lookup in the global plan cache here.
		if p := n.cachedPlan(t); p != nil && !p.methods {
			out, keep := w.reflectPlan(reflect.ValueOf(x), p, n, allowed, depth, override, true)
			return out, keep, true
		}
	}
	if m, ok := w.marked(x, n, allowed); ok {
		return m.v, m.keep, true
	}
	switch x := x.(type) {
	case nil:
		if !allowed {
			return slog.Value{}, false, true
		}
		return orig, true, false
	case string:
		return w.leaf(slog.StringValue(x), n, allowed, override)
	case slog.LogValuer:
		return w.value(slog.AnyValue(x), n, allowed, depth, override)
	case error:
		s, ok := safeText(x.Error)
		if !ok {
			s = markerPanicErr
		}
		return w.leaf(slog.StringValue(s), n, allowed, override)
	case *url.URL:
		if x == nil {
			return w.leaf(slog.AnyValue(nil), n, allowed, override)
		}
		return w.leaf(slog.StringValue(sanitizeURL(x.String())), n, allowed, override)
	case url.URL:
		return w.leaf(slog.StringValue(sanitizeURL(x.String())), n, allowed, override)
	case *url.Userinfo:
		// "bob:hunter2": a credential, as a URL's userinfo is.
		if x == nil {
			return w.leaf(slog.AnyValue(nil), n, allowed, override)
		}
		return w.leaf(slog.StringValue(Redacted), n, allowed, override)
	case context.Context:
		// Its String shows the values it carries (a user, a token) raw.
		return w.leaf(slog.StringValue(markerUnsupported("context.Context")), n, allowed, override)
	case net.IP:
		if len(x) == 0 {
			return w.leaf(slog.StringValue(""), n, allowed, override)
		}
		return w.ip(x.String(), n, allowed, override)
	case netip.Addr:
		return w.ip(x.String(), n, allowed, override)
	case netip.AddrPort:
		return w.ip(x.Addr().String(), n, allowed, override)
	case netip.Prefix:
		return w.ip(x.Addr().String(), n, allowed, override)
	case json.Number:
		return w.leaf(slog.StringValue(string(x)), n, allowed, override)
	case json.RawMessage:
		return w.rawJSON(x, n, allowed, override)
	case []byte:
		return w.bytes(x, n, allowed, override)
	case time.Time:
		return w.leaf(slog.TimeValue(x), n, allowed, override)
	case time.Duration:
		return w.leaf(slog.DurationValue(x), n, allowed, override)
	case json.Marshaler:
		b, ok := safeBytes(x.MarshalJSON)
		if !ok {
			return w.leaf(slog.StringValue(markerPanicMar), n, allowed, override)
		}
		return w.rawJSON(b, n, allowed, override)
	case encoding.TextMarshaler:
		b, ok := safeBytes(x.MarshalText)
		if !ok {
			return w.leaf(slog.StringValue(markerPanicMar), n, allowed, override)
		}
		return w.bytes(b, n, allowed, override)
	case fmt.Stringer:
		if _, ok := x.(interface{ Valid() error }); ok && isHTTPCookie(reflect.TypeOf(x)) {
			// A cookie is a credential, as a Cookie header's values are.
			return w.leaf(slog.StringValue(Redacted), n, allowed, override)
		}
		s, ok := safeText(x.String)
		if !ok {
			s = markerPanicStr
		}
		return w.leaf(slog.StringValue(s), n, allowed, override)
	case fmt.Formatter:
		// As fmt's %v shows it (a text handler's output). fmt recovers a
		// panic in Format and writes its value, which may be anything: a
		// marker instead.
		s, ok := safeText(func() string { return fmt.Sprint(x) })
		if !ok || strings.Contains(s, "(PANIC=") {
			s = markerPanicFmt
		}
		return w.leaf(slog.StringValue(s), n, allowed, override)
	}
	rv := reflect.ValueOf(x) // x is not nil: see the case above
	p := n.planFor(rv.Type())
	if p.ptrOnly {
		// The methods are the pointer's (http.Cookie's String, a LogValue
		// written on *T): a struct logged by value is formatted as they
		// format it, from a copy, rather than walked field by field.
		pv := reflect.New(rv.Type())
		pv.Elem().Set(rv)
		return w.any(pv.Interface(), orig, n, allowed, depth, override)
	}
	out, keep := w.reflectPlan(rv, p, n, allowed, depth, override, true)
	return out, keep, true
}

// isHTTPCookie reports whether t is *net/http.Cookie (named without importing
// net/http, which the package does not otherwise need).
func isHTTPCookie(t reflect.Type) bool {
	return t.Kind() == reflect.Pointer && t.Elem().Name() == "Cookie" && t.Elem().PkgPath() == "net/http"
}

// ip handles typed IP addresses: identifiers, tokenized or replaced by [IP]
// unless a key rule or tag says otherwise.
func (w *walker) ip(s string, n *node, allowed bool, override Action) (slog.Value, bool, bool) {
	if override != nil || n.rule != nil || n.sensitive {
		return w.leaf(slog.StringValue(s), n, allowed, override)
	}
	if !allowed {
		return slog.Value{}, false, true
	}
	var v slog.Value
	if w.r.tok != nil {
		v = slog.StringValue(w.r.tok.Token(token.IP, s))
	} else {
		v = slog.StringValue(token.Placeholder(token.IP))
	}
	return w.r.charge(&w.st, v), true, true
}

// bytes emits valid UTF-8 as (redacted) text and anything else as a marker.
func (w *walker) bytes(b []byte, n *node, allowed bool, override Action) (slog.Value, bool, bool) {
	if !utf8.Valid(b) {
		return w.leaf(slog.StringValue(markerBinary(len(b))), n, allowed, override)
	}
	return w.leaf(slog.StringValue(string(b)), n, allowed, override)
}

// rawJSON redacts JSON text and keeps it raw (embedded, not quoted, by a
// JSON handler) when the result is still valid JSON.
func (w *walker) rawJSON(b []byte, n *node, allowed bool, override Action) (slog.Value, bool, bool) {
	v, keep, ch := w.bytes(b, n, allowed, override)
	if keep && v.Kind() == slog.KindString {
		if s := v.String(); json.Valid([]byte(s)) {
			return slog.AnyValue(json.RawMessage(s)), true, ch
		}
	}
	return v, keep, ch
}
