package redact

// The core of the package is independent of the signal (slog, OpenTelemetry
// spans and logs). Adapters use it as follows:
//
//	r.child(parent, key) *node        compiled decision for one key path, cached
//	                                  per parent (copy-on-write map, bounded by
//	                                  maxNodes/maxKids); r.root is the empty path.
//	                                  A node carries: path, outKey (the key after
//	                                  detectors), rule (explicit key rule or nil),
//	                                  sensitive (default key list), allowed
//	                                  (strict mode), sanitize (well-known keys).
//	r.scalar(st, n, v, override)      applies the decision of n to a resolved
//	                                  scalar slog.Value (string, int64, uint64,
//	                                  float64, bool, duration, time): override
//	                                  (type/tag action) > n.rule > strict >
//	                                  sensitive > sanitizer > detectors.
//	                                  Returns (value, keep, changed).
//	r.compositeDecision(n, override)  what happens to a group/struct/map under n
//	                                  before it is walked.
//	r.redactText(st, s)               detectors over a string; rewrites only the
//	                                  matched spans; returns s itself when clean.
//	r.tokenValue(v token.Value)       token or placeholder for token.Of values.
//	state                             per-record scratch (byte budget, match
//	                                  buffer); a zero-cost value on the stack.
//
// slog.Value is used as the scalar currency because it is an allocation-free
// tagged union covering every OTel scalar too (attribute.Value and
// log.Value convert losslessly for string, int64, float64 and bool).
//
// Actions (action.go) are a sealed interface: a new action such as noise or
// bucketing is one more type implementing apply/composite/final/check plus an
// exported constructor; neither the walker nor the adapters change.

import (
	"errors"
	"fmt"
	"hash/maphash"
	"log/slog"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/veilhq/veil/internal/otelredact"
	"github.com/veilhq/veil/internal/scan"
	"github.com/veilhq/veil/token"
)

const (
	maxNodes  = 8192 // cached key paths per Redactor
	maxKids   = 256  // cached children per key path
	maxKeyLen = 256  // longer keys are not cached
)

// Redactor is a compiled redaction policy. It is safe for concurrent use;
// build one with [New] and share it between handlers and processors.
type Redactor struct {
	tok      *token.Tokenizer
	scanner  *scan.Scanner
	rules    []rule
	detRules [32]Action // per scan.Kind overrides
	strict   bool
	allow    []keyPattern
	lim      Limits

	root   *node
	ext    *extension // metrics and noise mechanisms (metrics.go)
	clean  cleanCache // texts known clean (cache.go); in place, a load less per probe
	stmts  stmtCache  // statements' sensitive arguments (stmtargs.go)
	nnodes atomic.Int64
}

// node is the compiled decision for one key path.
type node struct {
	key        string
	path       string
	segs       []string // lower-cased path segments
	outKey     string
	keyChanged bool
	rule       *rule
	sensitive  bool
	ident      string // the token kind of an identifier key ("phone", "email"), see identKey
	allowed    bool
	sanitize   func(string) string
	bare       bool  // no rule, not sensitive, not an identifier, no sanitizer, key unchanged
	plain      bool  // bare, and neither an entry's member nor an argument list: see walker.fast
	open       bool  // plain, and let through by strict mode wherever it is (or not strict)
	entry      uint8 // entryName or entryValue: a member of an entry (entry.go)
	stmt       uint8 // stmtText or stmtArgs: a statement or its arguments (stmtargs.go)

	mu     sync.Mutex
	kids   atomic.Pointer[kidTable]
	cached bool                     // n is in its parent's kids (or is the root)
	plan   atomic.Pointer[typePlan] // the plan of the first type walked by reflection under n
	twin   atomic.Pointer[node]     // n as the value member of a secret entry (entryTwin)
}

// typePlan is a type and its plan.
type typePlan struct {
	t    reflect.Type
	p    *plan
	room atomic.Int32 // for a struct type: Redactor.room under the node, once computed
}

// kidTable is an immutable set of cached children, indexed by an open
// addressing table over a cheap hash of the key (its length and three
// bytes): cheaper than a map or a linear search, even for a few short keys.
type kidTable struct {
	keys  []string
	nodes []*node
	slots []kidSlot // len is a power of two ≥ 4·len(keys)
}

// kidSlot is one slot of a kidTable; n is nil in an empty slot.
type kidSlot struct {
	key  string
	n    *node
	open bool // n.open, here so that try's common case need not load n
}

// hit is get for its common case, small enough to be inlined: key found in
// its first slot. Otherwise it returns nil.
func (t *kidTable) hit(key string) *node {
	if s := t.slot(key); s != nil {
		return s.n
	}
	return nil
}

// slot is hit returning key's slot, whose open flag try reads without
// loading the node; nil when key is not in its first slot.
func (t *kidTable) slot(key string) *kidSlot {
	if t == nil || len(key) == 0 {
		return nil
	}
	s := &t.slots[kidHash(key)&uint32(len(t.slots)-1)]
	if s.key != key {
		return nil
	}
	return s
}

// get returns the child for key, or nil.
func (t *kidTable) get(key string) *node {
	if t == nil {
		return nil
	}
	mask := uint32(len(t.slots) - 1)
	h := uint32(0)
	if len(key) > 0 {
		h = kidHash(key) & mask
	}
	for ; ; h = (h + 1) & mask {
		s := &t.slots[h]
		if s.n == nil {
			return nil
		}
		if s.key == key {
			return s.n
		}
	}
}

// kidHash hashes the length and first and last bytes of key, which is not
// empty: 12 bits, from the top of a product.
func kidHash(key string) uint32 {
	return (uint32(len(key))<<16 ^ uint32(key[0])<<8 ^ uint32(key[len(key)-1])) * 0x9e3779b1 >> 20
}

func (t *kidTable) len() int {
	if t == nil {
		return 0
	}
	return len(t.keys)
}

// with returns a copy of t with key added.
func (t *kidTable) with(key string, n *node) *kidTable {
	nt := &kidTable{keys: make([]string, 0, t.len()+1), nodes: make([]*node, 0, t.len()+1)}
	if t != nil {
		nt.keys = append(nt.keys, t.keys...)
		nt.nodes = append(nt.nodes, t.nodes...)
	}
	nt.keys = append(nt.keys, key)
	nt.nodes = append(nt.nodes, n)
	size := 16 // sparse, so that most keys are found in their first slot
	for size < 4*len(nt.keys) {
		size *= 2
	}
	nt.slots = make([]kidSlot, size)
	mask := uint32(size - 1)
	for j, k := range nt.keys {
		h := uint32(0)
		if len(k) > 0 {
			h = kidHash(k) & mask
		}
		for nt.slots[h].n != nil {
			h = (h + 1) & mask
		}
		nt.slots[h] = kidSlot{k, nt.nodes[j], nt.nodes[j].open}
	}
	return nt
}

// New compiles a policy. With no options it applies the safe defaults
// described in the package documentation. It reports every invalid option
// at once.
func New(opts ...Option) (*Redactor, error) {
	var c config
	for _, o := range opts {
		if o == nil {
			c.errs = append(c.errs, errors.New("redact.New: nil Option"))
			continue
		}
		o(&c)
	}
	r := &Redactor{tok: c.tok, strict: c.strict}
	errs := c.errs

	// Limits.
	r.lim = DefaultLimits
	for _, f := range []struct {
		name string
		v    int
		dst  *int
	}{
		{"MaxDepth", c.limits.MaxDepth, &r.lim.MaxDepth},
		{"MaxString", c.limits.MaxString, &r.lim.MaxString},
		{"MaxAttrs", c.limits.MaxAttrs, &r.lim.MaxAttrs},
		{"MaxRecord", c.limits.MaxRecord, &r.lim.MaxRecord},
	} {
		switch {
		case f.v < 0:
			errs = append(errs, fmt.Errorf("WithLimits: %s is %d; use a positive value, or 0 for the default %d", f.name, f.v, *f.dst))
		case f.v > 0:
			*f.dst = f.v
		}
	}
	if r.lim.MaxString < 64 {
		r.lim.MaxString = 64
	}

	// Detectors.
	set := scan.All
	if c.onlySet {
		set = 0
		for _, n := range c.only {
			k, err := detectorKind(n)
			if err != nil {
				errs = append(errs, fmt.Errorf("WithDetectors: %w", err))
				continue
			}
			set |= 1 << k
		}
	}
	for _, n := range c.without {
		k, err := detectorKind(n)
		if err != nil {
			errs = append(errs, fmt.Errorf("WithoutDetectors: %w", err))
			continue
		}
		set &^= 1 << k
	}
	if set != 0 {
		r.scanner = scan.New(set)
	}

	// Rules.
	for i, rs := range c.rules {
		if err := rs.a.check(&c); err != nil {
			errs = append(errs, fmt.Errorf("WithRule(%v, %v): %w", rs.m, rs.a, err))
			continue
		}
		if rs.m.detector {
			k, err := detectorKind(rs.m.pattern)
			if err != nil {
				errs = append(errs, fmt.Errorf("WithRule(%v, %v): %w", rs.m, rs.a, err))
				continue
			}
			switch rs.a.(type) {
			case replaceAction, maskAction, tokenizeAction:
			default:
				errs = append(errs, fmt.Errorf("WithRule(%v, %v): a detector match can only be replaced, masked or tokenized; use WithoutDetectors(%q) to switch it off", rs.m, rs.a, rs.m.pattern))
				continue
			}
			r.detRules[k] = rs.a
			continue
		}
		kp, err := compileKey(rs.m.pattern)
		if err != nil {
			errs = append(errs, fmt.Errorf("WithRule: %w", err))
			continue
		}
		r.rules = append(r.rules, rule{key: kp, act: rs.a, order: i})
	}
	sort.SliceStable(r.rules, func(i, j int) bool {
		return r.rules[i].key.specificity() > r.rules[j].key.specificity()
	})
	for _, a := range c.allow {
		kp, err := compileKey(a)
		if err != nil {
			errs = append(errs, fmt.Errorf("WithStrict: %w", err))
			continue
		}
		r.allow = append(r.allow, kp)
	}
	r.ext, errs = newExtension(&c, r, errs)
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	r.root = &node{outKey: "", cached: true}
	r.clean.seed = maphash.MakeSeed()
	r.stmts.seed = r.clean.seed
	return r, nil
}

// detectorNames lists the names accepted by WithDetectors and friends.
func detectorNames() []string {
	var names []string
	for k := scan.Kind(1); k < 32; k++ {
		if scan.All.Has(k) {
			if n := k.String(); n != "" {
				names = append(names, n)
			}
		}
	}
	return names
}

func detectorKind(name string) (scan.Kind, error) {
	ln := strings.ToLower(strings.TrimSpace(name))
	for k := scan.Kind(1); k < 32; k++ {
		if scan.All.Has(k) && k.String() != "" && k.String() == ln {
			return k, nil
		}
	}
	return 0, fmt.Errorf("unknown detector %q; known detectors: %s", name, strings.Join(detectorNames(), ", "))
}

// child returns the node for key under parent, from the cache when possible.
func (r *Redactor) child(parent *node, key string) *node {
	t := parent.kids.Load()
	if n := t.hit(key); n != nil {
		return n
	}
	if n := t.get(key); n != nil {
		return n
	}
	return r.addChild(parent, key)
}

// addChild is child for a key not in the cache.
func (r *Redactor) addChild(parent *node, key string) *node {
	if len(key) > maxKeyLen || r.nnodes.Load() >= maxNodes {
		return r.newNode(parent, key)
	}
	// A cached node outlives the record: it must not share the caller's
	// bytes, which may be a reused buffer seen through unsafe.String.
	key = strings.Clone(key)
	n := r.newNode(parent, key)
	parent.mu.Lock()
	defer parent.mu.Unlock()
	old := parent.kids.Load()
	if e := old.get(key); e != nil {
		return e
	}
	if old.len() >= maxKids {
		return n
	}
	n.cached = true
	parent.kids.Store(old.with(key, n))
	r.nnodes.Add(1)
	return n
}

func (r *Redactor) newNode(parent *node, key string) *node {
	n := &node{key: key}
	if parent == r.root || parent == nil {
		n.path = key
	} else {
		n.path = parent.path + "." + key
	}
	lk := strings.ToLower(key)
	// A dotted key ("user.email", as OpenTelemetry keys are) is a path of
	// segments too, so that Key("user.email") matches it in slog and OTel alike.
	n.segs = append(append(make([]string, 0, len(parent.segs)+1), parent.segs...), strings.Split(lk, ".")...)
	for i := range r.rules {
		if r.rules[i].key.match(n.segs) {
			n.rule = &r.rules[i]
			break
		}
	}
	n.sensitive = isSensitiveKey(key)
	if !n.sensitive {
		n.ident = identKey(n.segs[len(n.segs)-1])
	}
	if r.strict {
		for _, a := range r.allow {
			if a.match(n.segs) {
				n.allowed = true
				break
			}
		}
		if n.rule != nil {
			if _, drop := n.rule.act.(dropAction); !drop {
				n.allowed = true
			}
		}
	}
	n.sanitize = sanitizerFor(strings.ToLower(n.path), lk)
	var st state
	k := key
	if len(k) > r.lim.MaxString {
		k = cutString(k, r.lim.MaxString)
		n.keyChanged = true
	}
	var ch bool
	n.outKey, ch = r.redactText(&st, k)
	n.keyChanged = n.keyChanged || ch
	// An entry's members take the slow path, where attr reads them (entry.go).
	n.entry = entryKind(key)
	// So do argument lists, which their statement may decide (stmtargs.go).
	n.stmt = stmtKind(key)
	n.bare = n.rule == nil && !n.sensitive && n.ident == "" && n.sanitize == nil && !n.keyChanged
	n.plain = n.bare && n.entry == entryNone && n.stmt != stmtArgs
	n.open = n.plain && (n.allowed || !r.strict)
	return n
}

// state is per-record scratch space. It lives on the caller's stack.
type state struct {
	sig      otelredact.Signal // where the values come from; 0 for slog (metrics.go)
	reuse    bool              // a walker's arena may be a slab, put back when the record is done (beside sig: no room of its own)
	args     bool              // an argument list was walked (stmtargs.go): the list that holds it may hold its statement
	argsDone bool              // the record's arguments are masked already (handler.rebuildArgs)
	redo     bool              // values walked again with their arguments masked, counted already: nothing is counted (metrics.go)
	budget   int               // string bytes left in this record
	big      []scan.Match      // match buffer for values with more matches than mbuf holds
	mbuf     [4]scan.Match     // match buffer: the scanner's dst does not escape
}

// matches returns an empty match buffer for a scan. A scan's result must
// not be kept beyond the value scanned: it may point into st.
func (st *state) matches() []scan.Match {
	if st.big != nil {
		return st.big[:0]
	}
	return st.mbuf[:0]
}

// putMatches is told the result m of a scan into matches(). When m outgrew
// the buffer, a larger one is allocated for the next scans of the record (m
// itself is not kept: it may point into st, and storing it would move every
// walker to the heap).
func (st *state) putMatches(m []scan.Match) {
	if c := cap(m); c > len(st.mbuf) && c > cap(st.big) && c <= 1024 {
		st.big = make([]scan.Match, 0, c)
	}
}

// newState sets the field itself rather than return a composite literal (see
// newWalker).
func (r *Redactor) newState() (st state) {
	st.budget = r.lim.MaxRecord
	return st
}

// compositeDecision says what happens to a group, struct or map under n.
// descend=true means: walk it.
func (r *Redactor) compositeDecision(n *node, override Action) (v slog.Value, keep, descend bool) {
	if override != nil {
		return override.composite(r)
	}
	if n.rule != nil {
		return n.rule.act.composite(r)
	}
	if n.sensitive {
		return slog.StringValue(Redacted), true, false
	}
	return slog.Value{}, true, true
}

// scalar applies the policy of n to a resolved scalar value.
func (r *Redactor) scalar(st *state, n *node, v slog.Value, override Action) (out slog.Value, keep, changed bool) {
	act := override
	if act == nil && n.rule != nil {
		act = n.rule.act
	}
	if act != nil {
		nv, ok := act.apply(r, v)
		if !ok {
			r.countAction(st, n, override)
			return slog.Value{}, false, true
		}
		if act.final() {
			r.countAction(st, n, override)
			return r.charge(st, nv), true, true
		}
		if !nv.Equal(v) {
			r.countAction(st, n, override)
			changed = true
			v = nv
		}
	} else if n.sensitive {
		r.countSensitive(st)
		return slog.StringValue(Redacted), true, true
	}
	// Under an identifier key ("phone": "4155550132") a value no detector
	// matches is an identifier all the same; with a tokenizer one they match
	// is rewritten by them, so that its tokens are those of the same
	// identifier anywhere (without one, the value is the placeholder).
	ident := act == nil && n.ident != ""
	switch v.Kind() {
	case slog.KindString:
		s := v.String()
		if n.sanitize != nil {
			if t := n.sanitize(s); t != s {
				r.countSanitizer(st)
				s, changed = t, true
			}
		}
		if len(s) > r.lim.MaxString {
			s, changed = cutString(s, r.lim.MaxString), true
		}
		ident = ident && identText(s)
		if ident && r.tok == nil {
			// Without a tokenizer the whole value is the kind's
			// placeholder, whatever the detectors would match in it.
			return r.identValue(st, n, s)
		}
		t, ch := r.redactText(st, s)
		if !ch && ident {
			return r.identValue(st, n, s)
		}
		if ch || changed {
			return r.charge(st, slog.StringValue(t)), true, true
		}
		st.budget -= len(s)
		if st.budget < 0 {
			return slog.StringValue(markerRecord), true, true
		}
		return v, true, false
	case slog.KindInt64:
		if i := v.Int64(); bigInt(i) || ident {
			if out, keep, ch := r.bigNumber(st, v, strconv.FormatInt(i, 10)); ch || !ident {
				return out, keep, ch
			}
			return r.identValue(st, n, strconv.FormatInt(i, 10))
		}
	case slog.KindUint64:
		if u := v.Uint64(); u > maxPlainInt || ident {
			if out, keep, ch := r.bigNumber(st, v, strconv.FormatUint(u, 10)); ch || !ident {
				return out, keep, ch
			}
			return r.identValue(st, n, strconv.FormatUint(u, 10))
		}
	case slog.KindFloat64:
		if f := v.Float64(); bigFloat(f) {
			// A JSON encoder writes 4111111111111111.0 as 4111111111111111.
			return r.bigNumber(st, v, strconv.FormatFloat(f, 'f', -1, 64))
		}
	}
	return v, true, changed
}

// identValue is the replacement of s, a value under an identifier key that
// no detector matched: its token, or the kind's placeholder.
func (r *Redactor) identValue(st *state, n *node, s string) (slog.Value, bool, bool) {
	r.countIdent(st)
	out, _ := tokenizeAction{n.ident}.apply(r, slog.StringValue(s))
	return r.charge(st, out), true, true
}

// maxPlainInt is the largest integer magnitude emitted without a scan:
// longer integers (12+ digits) may be card or phone numbers.
const maxPlainInt = 99_999_999_999

func bigInt(i int64) bool { return i > maxPlainInt || i < -maxPlainInt }

// bigFloat is bigInt for floats: a card number can be logged as a float64.
func bigFloat(f float64) bool { return f > maxPlainInt || f < -maxPlainInt }

// bigNumber scans long integers, which may be card or phone numbers.
func (r *Redactor) bigNumber(st *state, v slog.Value, s string) (slog.Value, bool, bool) {
	if t, ch := r.redactText(st, s); ch {
		return slog.StringValue(t), true, true
	}
	return v, true, false
}

// charge accounts a rewritten value against the record budget.
func (r *Redactor) charge(st *state, v slog.Value) slog.Value {
	if v.Kind() == slog.KindString {
		st.budget -= len(v.String())
		if st.budget < 0 {
			return slog.StringValue(markerRecord)
		}
	}
	return v
}

// tokenValue is the replacement of a token.Of value.
func (r *Redactor) tokenValue(v token.Value) slog.Value {
	if r.tok == nil {
		return slog.StringValue(token.Placeholder(v.Kind()))
	}
	return slog.StringValue(v.TokenWith(r.tok))
}

// Redact returns s with every detector match replaced, as the message of a
// record would be. It returns s itself when nothing matched.
func (r *Redactor) Redact(s string) string {
	st := r.newState()
	if len(s) > r.lim.MaxString {
		s = cutString(s, r.lim.MaxString)
	}
	if r.scanner == nil || s == "" {
		return s
	}
	// A whole text (a file line, a document) may hold many matches: a
	// larger stack buffer than a record's values need, so that up to 32
	// matches cost no allocation.
	var mb [32]scan.Match
	ms := r.scanner.Scan(mb[:0], s)
	if len(ms) == 0 {
		return s
	}
	out, _ := r.rewrite(&st, s, ms)
	return out
}
