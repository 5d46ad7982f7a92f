package redact

import (
	"cmp"
	"context"
	"encoding"
	"encoding/json"
	"fmt"
	"log/slog"
	"net"
	"net/netip"
	"net/url"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/veilhq/veil/internal/sanitize"
	"github.com/veilhq/veil/token"
)

// A plan says how to walk values of one type. Plans are built once per type
// and cached, as encoding/json caches its encoders; walking a value never
// copies it.
type plan struct {
	kind    planKind
	methods bool              // handled by walker.any (formats itself, or a known type)
	ptrOnly bool              // a struct whose pointer has methods walker.any uses (http.Cookie's String)
	denied  func(string) bool // for http.Header and url.Values: see deniedNames
	fields  []fieldPlan       // for structs
	args    bool              // for structs: a field's name is an argument list's (stmtargs.go)
	scalar  slog.Kind         // for bools, numbers and strings without methods: the kind of their slog.Value; else 0
	name    string            // the reflect.Kind, for markers
}

type planKind uint8

const (
	pkUnsupported planKind = iota
	pkBool
	pkInt
	pkUint
	pkFloat
	pkString
	pkBytes
	pkIface
	pkPtr
	pkStruct
	pkMap
	pkSlice
)

type fieldPlan struct {
	index []int
	name  string
	act   Action // from the veil tag; nil for none
	plan  *plan  // of the field's type
}

var plans sync.Map // reflect.Type -> *plan

// typesForAny are the interfaces and types that walker.any handles itself.
var (
	ifacesForAny = []reflect.Type{
		reflect.TypeFor[secretValuer](), reflect.TypeFor[privateKey](), reflect.TypeFor[slog.LogValuer](), reflect.TypeFor[error](),
		reflect.TypeFor[json.Marshaler](), reflect.TypeFor[encoding.TextMarshaler](), reflect.TypeFor[fmt.Stringer](),
		reflect.TypeFor[fmt.Formatter](), reflect.TypeFor[context.Context](),
	}
	typesForAny = map[reflect.Type]bool{
		reflect.TypeFor[token.Value](): true, reflect.TypeFor[*token.Value](): true,
		reflect.TypeFor[time.Time](): true, reflect.TypeFor[time.Duration](): true,
		reflect.TypeFor[net.IP](): true, reflect.TypeFor[netip.Addr](): true,
		reflect.TypeFor[netip.AddrPort](): true, reflect.TypeFor[netip.Prefix](): true,
		reflect.TypeFor[url.URL](): true, reflect.TypeFor[*url.URL](): true, reflect.TypeFor[*url.Userinfo](): true,
		reflect.TypeFor[json.Number](): true, reflect.TypeFor[json.RawMessage](): true,
	}
)

func planFor(t reflect.Type) *plan {
	if p, ok := plans.Load(t); ok {
		return p.(*plan)
	}
	p := buildPlan(t)
	actual, _ := plans.LoadOrStore(t, p)
	return actual.(*plan)
}

func buildPlan(t reflect.Type) *plan {
	p := &plan{name: t.Kind().String()}
	if typesForAny[t] {
		p.methods = true
	}
	for _, it := range ifacesForAny {
		if t.Implements(it) {
			p.methods = true
		}
	}
	if t.Kind() == reflect.Struct && !p.methods {
		for _, it := range ifacesForAny {
			if reflect.PointerTo(t).Implements(it) {
				p.methods, p.ptrOnly = true, true
			}
		}
	}
	switch t.Kind() {
	case reflect.Bool:
		p.kind = pkBool
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		p.kind = pkInt
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		p.kind = pkUint
	case reflect.Float32, reflect.Float64:
		p.kind = pkFloat
	case reflect.String:
		p.kind = pkString
	case reflect.Interface:
		p.kind = pkIface
	case reflect.Pointer:
		p.kind = pkPtr
	case reflect.Struct:
		p.kind = pkStruct
		p.fields = structFields(t, nil, 0, nil)
		for _, f := range p.fields {
			p.args = p.args || stmtKind(f.name) == stmtArgs
		}
	case reflect.Map:
		p.kind = pkMap
		p.denied = deniedNames(t)
	case reflect.Slice, reflect.Array:
		p.kind = pkSlice
		if t.Elem().Kind() == reflect.Uint8 {
			p.kind = pkBytes
		}
	default: // chan, func, unsafe pointer, complex, uintptr
		p.kind = pkUnsupported
	}
	if !p.methods {
		p.scalar = scalarKinds[p.kind]
	}
	return p
}

// scalarKinds are the slog kinds of the values of bool, number and string
// plans (scalarOf); 0 for the other plan kinds.
var scalarKinds = [pkSlice + 1]slog.Kind{pkBool: slog.KindBool, pkInt: slog.KindInt64, pkUint: slog.KindUint64,
	pkFloat: slog.KindFloat64, pkString: slog.KindString}

// scalarOf is the slog value of rv, a bool, number or string whose slog
// kind is k (scalarKinds).
func scalarOf(rv reflect.Value, k slog.Kind) slog.Value {
	switch k {
	case slog.KindBool:
		return slog.BoolValue(rv.Bool())
	case slog.KindInt64:
		return slog.Int64Value(rv.Int())
	case slog.KindUint64:
		return slog.Uint64Value(rv.Uint())
	case slog.KindFloat64:
		return slog.Float64Value(rv.Float())
	}
	return slog.StringValue(rv.String())
}

// structFields lists the exported fields of t, named as encoding/json names
// them; embedded structs without a json name are inlined.
func structFields(t reflect.Type, prefix []int, depth int, out []fieldPlan) []fieldPlan {
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		jt := f.Tag.Get("json")
		if jt == "-" {
			continue
		}
		jname, _, _ := strings.Cut(jt, ",")
		idx := append(slices.Clone(prefix), i)
		vt := f.Tag.Get("veil")
		if f.Anonymous && jname == "" && vt == "" && f.Type.Kind() == reflect.Struct && depth < 4 && !planFor(f.Type).methods {
			out = structFields(f.Type, idx, depth+1, out)
			continue
		}
		act, skip := tagAction(vt)
		if skip {
			continue
		}
		name := f.Name
		if jname != "" {
			name = jname
			if act == nil && isSensitiveKey(f.Name) && !isSensitiveKey(jname) {
				// A field named as a secret stays one under a json name
				// that does not say so (Password string `json:"pw"`).
				act = replaceAction{Redacted}
			}
		}
		// Plans of field types are built with the struct's: a type cannot
		// contain itself but through a pointer, slice or map, whose plans do
		// not look at their element type.
		out = append(out, fieldPlan{index: idx, name: name, act: act, plan: planFor(f.Type)})
	}
	return out
}

// tagAction parses a veil struct tag: drop (or -), mask, mask=N, keep,
// token=<kind>, redact. Anything else is treated as redact: fail closed.
func tagAction(tag string) (act Action, skip bool) {
	switch tag {
	case "":
		return nil, false
	case "drop", "-":
		return nil, true
	case "mask":
		return maskAction{0}, false
	case "keep":
		return keepAction{}, false
	case "redact":
		return replaceAction{Redacted}, false
	}
	if v, ok := strings.CutPrefix(tag, "mask="); ok {
		if n, err := strconv.Atoi(v); err == nil && n >= 0 {
			return maskAction{n}, false
		}
	}
	if kind, ok := strings.CutPrefix(tag, "token="); ok && kindRE.MatchString(kind) {
		return tokenizeAction{kind}, false
	}
	return replaceAction{Redacted}, false
}

// reflect walks rv. fromAny is set when rv comes from walker.any, which has
// already handled the types that format themselves.
func (w *walker) reflect(rv reflect.Value, n *node, allowed bool, depth int, override Action, fromAny bool) (slog.Value, bool) {
	if !rv.IsValid() {
		v, keep, _ := w.leaf(slog.AnyValue(nil), n, allowed, override)
		return v, keep
	}
	return w.reflectPlan(rv, n.planFor(rv.Type()), n, allowed, depth, override, fromAny)
}

// planFor is planFor(t), from the cache of n when t is the first type
// walked under n: a key path mostly holds values of one type, and this is
// cheaper than the global cache.
func (n *node) planFor(t reflect.Type) *plan {
	if p := n.cachedPlan(t); p != nil {
		return p
	}
	p := planFor(t)
	if n.cached && n.plan.Load() == nil { // an uncached node is made anew for each value
		n.plan.CompareAndSwap(nil, &typePlan{t: t, p: p})
	}
	return p
}

// cachedPlan is the plan n has cached, if it is t's; else nil.
func (n *node) cachedPlan(t reflect.Type) *plan {
	if e := n.plan.Load(); e != nil && e.t == t {
		return e.p
	}
	return nil
}

// reflectPlan is reflect for a valid rv whose plan p is known.
func (w *walker) reflectPlan(rv reflect.Value, p *plan, n *node, allowed bool, depth int, override Action, fromAny bool) (slog.Value, bool) {
	if p.methods && !fromAny {
		if !rv.CanInterface() {
			v, keep, _ := w.leaf(slog.StringValue(markerUnsupported(p.name)), n, allowed, override)
			return v, keep
		}
		if depth >= w.r.lim.MaxDepth {
			v, keep, _ := w.leaf(slog.StringValue(markerDepth), n, allowed, override)
			return v, keep
		}
		v, keep, _ := w.any(rv.Interface(), slog.Value{}, n, allowed, depth+1, override)
		return v, keep
	}
	var v slog.Value
	var keep bool
	switch p.kind {
	case pkBool, pkInt, pkUint, pkFloat, pkString:
		v, keep, _ = w.leaf(scalarOf(rv, scalarKinds[p.kind]), n, allowed, override)
	case pkBytes:
		var b []byte
		if rv.Kind() == reflect.Slice {
			b = rv.Bytes()
		} else {
			b = make([]byte, rv.Len())
			reflect.Copy(reflect.ValueOf(b), rv)
		}
		v, keep, _ = w.bytes(b, n, allowed, override)
	case pkIface, pkPtr:
		if rv.IsNil() {
			v, keep, _ = w.leaf(slog.AnyValue(nil), n, allowed, override)
			break
		}
		if depth >= w.r.lim.MaxDepth {
			v, keep, _ = w.leaf(slog.StringValue(markerDepth), n, allowed, override)
			break
		}
		return w.reflect(rv.Elem(), n, allowed, depth+1, override, false)
	case pkStruct:
		return w.structValue(rv, p, n, allowed, depth, override)
	case pkMap:
		return w.mapValue(rv, p, n, allowed, depth, override)
	case pkSlice:
		return w.sliceValue(rv, n, allowed, depth, override)
	default:
		v, keep, _ = w.leaf(slog.StringValue(markerUnsupported(p.name)), n, allowed, override)
	}
	return v, keep
}

// room is how many attributes the groups of a struct value of plan p under
// n make, at most maxTake: its fields and, for each struct field that is
// walked into (not replaced by a key rule or a sensitive key), that field's
// room. It is cached with n's plan.
func (r *Redactor) room(n *node, p *plan) int {
	e := n.plan.Load()
	if e != nil && e.p == p {
		if k := e.room.Load(); k > 0 {
			return int(k)
		}
	}
	k := len(p.fields)
	for _, f := range p.fields {
		if f.plan.kind != pkStruct || f.plan.methods || k >= maxTake {
			continue
		}
		c := r.child(n, f.name)
		if _, _, descend := r.compositeDecision(c, f.act); descend {
			k += r.room(c, f.plan)
		}
	}
	k = min(k, maxTake)
	if e != nil && e.p == p {
		e.room.Store(int32(k))
	}
	return k
}

func (w *walker) structValue(rv reflect.Value, p *plan, n *node, allowed bool, depth int, override Action) (slog.Value, bool) {
	if out, keep, done := w.enter(n, allowed, depth, override); done {
		return out, keep
	}
	// The group's attributes are written in place, into room taken before
	// its struct fields take theirs; the outermost struct allocates room
	// for all.
	own := min(len(p.fields), w.r.lim.MaxAttrs+1)
	if len(w.arena) < own {
		w.takeArena(max(own, w.r.room(n, p)))
	}
	as := w.arena[:0:own]
	w.arena = w.arena[own:]
	saved := w.entry
	w.entry = nil
	defer func() { w.entry = saved }()
	for i := range p.fields {
		f := &p.fields[i]
		if i >= w.r.lim.MaxAttrs {
			as = append(as, slog.Int(omittedKey, len(p.fields)-i))
			break
		}
		c := n.kids.Load().hit(f.name) // child's common case, inlined
		if c == nil {
			c = w.r.child(n, f.name)
		}
		var fv reflect.Value
		if len(f.index) == 1 {
			fv = rv.Field(f.index[0])
		} else {
			fv = rv.FieldByIndex(f.index)
		}
		if c.entry != entryNone && w.noteEntryReflect(c, n, fv) {
			c = w.r.entryTwin(c)
		}
		al := allowed || c.allowed || !w.r.strict
		if f.act == nil && c.plain && al && f.plan.scalar != 0 {
			// A scalar field under a plain key: try's fast path.
			v := scalarOf(fv, f.plan.scalar)
			switch t, res := w.plainScalar(v, f.plan.scalar); res {
			case fastSame:
				as = appendAttr(as, c.outKey, v)
				continue
			case fastText:
				as = appendAttr(as, c.outKey, slog.StringValue(t))
				continue
			}
		}
		v, keep := w.reflectPlan(fv, f.plan, c, al, depth+1, f.act, false)
		if keep {
			as = appendAttr(as, c.outKey, v)
		}
	}
	if p.args {
		w.maskBound(n, as)
	}
	return slog.GroupValue(as[:len(as):len(as)]...), true
}

func (w *walker) mapValue(rv reflect.Value, p *plan, n *node, allowed bool, depth int, override Action) (slog.Value, bool) {
	if rv.IsNil() {
		v, keep, _ := w.leaf(slog.AnyValue(nil), n, allowed, override)
		return v, keep
	}
	if out, keep, done := w.enter(n, allowed, depth, override); done {
		return out, keep
	}
	type entry struct {
		k string
		v reflect.Value
	}
	es := make([]entry, 0, min(rv.Len(), 4*w.r.lim.MaxAttrs))
	it := rv.MapRange()
	for it.Next() {
		if len(es) >= 4*w.r.lim.MaxAttrs {
			break // bounded work on huge maps; the count below reports the rest
		}
		es = append(es, entry{w.keyString(it.Key()), it.Value()})
	}
	slices.SortFunc(es, func(a, b entry) int { return cmp.Compare(a.k, b.k) })
	total := rv.Len()
	as := make([]slog.Attr, 0, min(len(es), w.r.lim.MaxAttrs+1))
	saved := w.entry
	w.entry = nil
	defer func() { w.entry = saved }()
	args := false // an element is an argument list (stmtargs.go)
	for i, e := range es {
		if i >= w.r.lim.MaxAttrs {
			break
		}
		c := w.r.child(n, e.k)
		if c.entry != entryNone && w.noteEntryReflect(c, n, e.v) {
			c = w.r.entryTwin(c)
		}
		args = args || c.stmt == stmtArgs
		var act Action
		if p.denied != nil && p.denied(e.k) {
			act = replaceAction{Redacted}
		}
		v, keep := w.reflect(e.v, c, allowed || c.allowed || !w.r.strict, depth+1, act, false)
		if keep {
			as = appendAttr(as, c.outKey, v)
		}
	}
	if args {
		w.maskBound(n, as)
	}
	if total > w.r.lim.MaxAttrs {
		as = append(as, slog.Int(omittedKey, total-w.r.lim.MaxAttrs))
	}
	return slog.GroupValue(as...), true
}

// deniedNames returns, for the maps of HTTP header and query parameter
// names (net/http.Header, net/url.Values), the names whose values are
// replaced as the sanitizers of http.request.header.* and url.query replace
// them (X-Functions-Key, sig); nil for other maps, whose keys only key rules
// and the sensitive key names judge.
func deniedNames(t reflect.Type) func(string) bool {
	switch {
	case t.Name() == "Header" && t.PkgPath() == "net/http":
		return sanitize.DefaultHeaderDenied
	case t == reflect.TypeFor[url.Values]():
		return sanitize.DefaultSensitiveParam
	}
	return nil
}

// keyString is the attribute key for a map key. A key held in an interface
// (map[any]any, as YAML decoders return) is the key it holds.
func (w *walker) keyString(k reflect.Value) string {
	if k.Kind() == reflect.Interface && !k.IsNil() {
		k = k.Elem()
	}
	switch k.Kind() {
	case reflect.String:
		return k.String()
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return strconv.FormatInt(k.Int(), 10)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return strconv.FormatUint(k.Uint(), 10)
	case reflect.Bool:
		return strconv.FormatBool(k.Bool())
	case reflect.Float32, reflect.Float64:
		return strconv.FormatFloat(k.Float(), 'g', -1, k.Type().Bits())
	}
	if k.CanInterface() {
		switch x := k.Interface().(type) {
		case secretValuer, privateKey, token.Value:
			return Redacted
		case encoding.TextMarshaler:
			if b, ok := safeBytes(x.MarshalText); ok {
				return string(b)
			}
		case fmt.Stringer:
			if s, ok := safeText(x.String); ok {
				return s
			}
		}
	}
	return markerKey
}

// sliceValue walks slices and arrays. Elements share the key path of the
// slice, so key rules apply to each element. A list of scalars is emitted as
// a list; a list holding groups as a group keyed by index.
func (w *walker) sliceValue(rv reflect.Value, n *node, allowed bool, depth int, override Action) (slog.Value, bool) {
	if rv.Kind() == reflect.Slice && rv.IsNil() {
		v, keep, _ := w.leaf(slog.AnyValue(nil), n, allowed, override)
		return v, keep
	}
	if _, keep, descend := w.r.compositeDecision(n, override); !descend && !keep {
		return slog.Value{}, false
	}
	if depth >= w.r.lim.MaxDepth {
		v, keep, _ := w.leaf(slog.StringValue(markerDepth), n, allowed, override)
		return v, keep
	}
	l := rv.Len()
	m := min(l, w.r.lim.MaxAttrs)
	vs := make([]slog.Value, 0, m)
	scalars := true
	var cmd, prev string // the first and the previous string element, for argValue
	// A list of interfaces may be key-value pairs, as slog's arguments are
	// (a wrapper logging its ...any as one value): a value after a
	// sensitive key at an even index goes as the key's value would.
	pairs := rv.Type().Elem().Kind() == reflect.Interface
	for i := 0; i < m; i++ {
		ev := rv.Index(i)
		if pairs && i%2 == 1 && prev != "" && isSensitiveKey(prev) { // prev is set under a bare key only
			w.r.countSensitive(&w.st)
			vs = append(vs, slog.StringValue(Redacted))
			prev = ""
			continue
		}
		cur := "" // the element, when argValue may look at it
		if e := ev; n.bare && override == nil {
			if e.Kind() == reflect.Interface && !e.IsNil() {
				e = e.Elem()
			}
			if e.Kind() == reflect.String {
				cur = e.String()
			}
		}
		cmd = argCommand(i, cmd, cur)
		if t, ok := w.r.argValue(&w.st, cmd, prev, cur); ok {
			vs = append(vs, slog.StringValue(t))
			prev = ""
			continue
		}
		prev = cur
		v, keep := w.reflect(ev, n, allowed, depth+1, override, false)
		if !keep {
			continue
		}
		if v.Kind() == slog.KindGroup {
			scalars = false
		}
		vs = append(vs, v)
	}
	if scalars {
		xs := make([]any, 0, len(vs)+1)
		for _, v := range vs {
			xs = append(xs, v.Any())
		}
		if l > m {
			xs = append(xs, "["+strconv.Itoa(l-m)+" more omitted]")
		}
		return slog.AnyValue(xs), true
	}
	as := make([]slog.Attr, 0, len(vs)+1)
	for i, v := range vs {
		as = appendAttr(as, strconv.Itoa(i), v)
	}
	if l > m {
		as = append(as, slog.Int(omittedKey, l-m))
	}
	return slog.GroupValue(as...), true
}

// takeArena makes room for k attributes in w.arena: a slab from the pool
// when the walker may reuse memory and has none yet, else a new allocation.
func (w *walker) takeArena(k int) {
	if w.st.reuse && w.slab == nil && k <= maxTake {
		w.slab = slabs.Get().(*slab)
		w.arena = w.slab.a[:]
		return
	}
	w.arena = make([]slog.Attr, k)
}

// putArena clears the slab w took, if any, and returns it to the pool. Only
// the attributes taken from it are cleared: the slab's tail is w.arena,
// unless an allocation replaced it.
func (w *walker) putArena() {
	s := w.slab
	used := maxTake
	if c := cap(w.arena); c > 0 && &w.arena[:c][c-1] == &s.a[maxTake-1] {
		used -= c
	}
	clear(s.a[:used])
	w.slab, w.arena = nil, nil
	slabs.Put(s)
}

// A slab is the room for the groups of one record's struct values, reused
// from record to record when the next handler is known to keep nothing of
// a record once its Handle returns (see reusable).
type slab struct{ a [maxTake]slog.Attr }

var slabs = sync.Pool{New: func() any { return new(slab) }}
