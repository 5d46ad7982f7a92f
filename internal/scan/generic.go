package scan

import (
	"math"
	"slices"
	"strings"
)

// Limits of the key=value detector.
const (
	maxKey   = 64  // longest key name considered
	maxValue = 256 // longer values under a secret-like key are secrets, unchecked
	minWeak  = 8   // shortest value accepted under a weakly secret-like key
	minBits  = 3.0 // Shannon entropy, bits per byte, for such a value
)

// kvKinds are the kinds keyValue can emit.
const kvKinds = 1<<GenericSecret | 1<<AWSSecretKey | 1<<BearerToken | 1<<BasicAuth |
	1<<JWT | 1<<AWSAccessKey | 1<<GitHubToken | 1<<GitLabToken | 1<<SlackToken | 1<<StripeKey | 1<<GoogleAPIKey | 1<<VendorToken

// keyValue handles '=' or ':' at i as the separator of a key/value pair:
// key=value, key: value, "key": "value", 'key'='value', \"key\":\"value\"
// (JSON inside a JSON string). When the key is secret-like the value is
// matched; the span is the value alone, without quotes. It returns where
// scanning resumes.
func (st *state) keyValue(i int) int {
	t := st.text
	if st.set&kvKinds == 0 {
		return i + 1
	}
	// The key: [A-Za-z0-9_.-]+, optionally quoted, optionally followed by blanks.
	k := i
	for sp := 0; k > 0 && sp < 3 && cls[t[k-1]]&cSpace != 0; sp++ {
		k--
	}
	spaced := k < i
	// "key" => value: Ruby's inspect, Perl, PHP; print_r writes [key] => value.
	arrow := byteAt(t, i+1) == '>'
	quote := byteAt(t, k-1)
	open := quote
	switch {
	case quote == '"' || quote == '\'' || quote == '`': // `key`: MySQL's quoted identifier, as GORM logs SQL
		k--
		if byteAt(t, k-1) == '\\' {
			k-- // \"key\": JSON inside a JSON string
		}
	case quote == ']' && arrow:
		k--
		open = '['
	default:
		quote = 0
	}
	if !keyLast[byteAt(t, k-1)] {
		return i + 1
	}
	ks, strength, authz, aws := 0, none, false, false
	if keyPairAt(t, k) {
		ks = keyStart(t, k, maxKey)
		if ks == k || k-ks > maxKey || (quote != 0 && byteAt(t, ks-1) != open) {
			return i + 1
		}
		strength, authz, aws = secretKey(t[ks:k])
	}
	if strength == none {
		// An entry's name or value key ({"name":"DB_PASSWORD","value":"x"}).
		if !entryPairAt(t, k) || !entryShape(t, i, quote) {
			return i + 1
		}
		var resume int
		if ks, resume = st.entryKey(i, k, quote, open, arrow); resume != 0 {
			return resume
		}
		e := st.entry
		strength, authz, aws = int(e&3), e&4 != 0, e&8 != 0
	}
	if strength == weak && byteAt(t, ks-1) == ';' && foldIs(t[ks:k], "pwd") {
		strength = strong // a connection string's "…;Uid=sa;Pwd=x;"
	}

	// The value.
	// Blanks after the separator are skipped for "key: value" and for
	// "key = value", not for "key= other=…".
	v := i + 1
	if arrow {
		v++
	}
	if t[i] == ':' || spaced || arrow {
		for sp := 0; v < len(t) && sp < 4 && cls[t[v]]&cSpace != 0; sp++ {
			v++
		}
	}
	if set := headerName(t, ks, k, "set-cookie"); t[i] == ':' && (set || headerName(t, ks, k, "cookie")) {
		// A Cookie or Set-Cookie header: "Cookie: a=1; b=2",
		// "Cookie": "a=1; b=2", "Cookie": ["a=1", "b=2"] (http.Header
		// as JSON).
		if v < st.cookieEnd {
			return i + 1 // inside a header already read ("Cookie:Cookie:…")
		}
		if byteAt(t, v) == '[' {
			return st.cookieList(i, v, set)
		}
		vs, ve, next, quoted := value(t, v)
		if !quoted {
			vs, ve = v, headerEnd(t, v)
			next = ve
		}
		st.cookieEnd = ve
		if st.cookies(vs, ve, set) {
			return next
		}
		return i + 1
	}
	if byteAt(t, v) == '[' {
		return st.valueList(i, v, strength, authz, aws)
	}
	if byteAt(t, v) == '!' && byteAt(t, v+1) == '!' && t[i] == ':' {
		// A YAML tag: password: !!binary aHVudGVy…, !!str x.
		if e := run(t, v+2, cLower); e > v+2 && byteAt(t, e) == ' ' {
			v = blanks(t, e)
		}
	}
	vs, ve, next, quoted := value(t, v)
	if ve <= vs || (!quoted && (byteAt(t, ve) == '=' || byteAt(t, ve) == ':')) {
		return i + 1 // empty, or the next key of "a= b=c"
	}
	if !quoted && byteAt(t, ve) == '(' && funcName(t[vs:ve]) {
		// A function call, as SQL sets a password: password =
		// crypt('x', gen_salt('bf')). Its literals are the value.
		if e, ok := st.sqlValue(t, vs, strength, aws, 0); ok {
			return e
		}
	}
	if e, ok := st.secretValue(vs, ve, next, quoted, strength, authz, aws); ok {
		return e
	}
	return i + 1
}

// An entry is an object that names a setting in one member and holds its
// value in another, as Kubernetes writes environment variables, HAR files
// headers and cookies, AWS parameters and tags, and .NET configuration files
// their settings:
//
//	{"name":"DB_PASSWORD","value":"x"}   - name: DB_PASSWORD
//	                                        value: x
//	<add key="ApiKey" value="x"/>        {"ParameterKey":"DbPassword","ParameterValue":"x"}
//
// When the name is a secret-like key, the value that follows it in the same
// object is matched as that key's would be. The name must come first (as
// encoders that sort keys write it).
const (
	entryNone = iota
	entryName
	entryValue
)

// maxEntry bounds how far after an entry's name its value is looked for.
const maxEntry = 256

// entryAt says whether the key that ends before k is an entry's name key
// (name, key, field, ParameterKey, ParameterName) or value key (value,
// ParameterValue), in any case, and returns its length.
func entryAt(t string, k int) (int, int) {
	if k < 3 {
		return entryNone, 0
	}
	switch uint16(t[k-2]|0x20)<<8 | uint16(t[k-1]|0x20) {
	case 'm'<<8 | 'e':
		if keyIs(t, k, "name") {
			return entryName, 4
		}
		if keyIs(t, k, "parametername") {
			return entryName, 13
		}
	case 'e'<<8 | 'y':
		if keyIs(t, k, "key") {
			return entryName, 3
		}
		if keyIs(t, k, "parameterkey") {
			return entryName, 12
		}
	case 'l'<<8 | 'd':
		if keyIs(t, k, "field") {
			return entryName, 5
		}
	case 'u'<<8 | 'e':
		if keyIs(t, k, "value") {
			return entryValue, 5
		}
		if keyIs(t, k, "parametervalue") {
			return entryValue, 14
		}
	}
	return entryNone, 0
}

// entryKey is keyValue for a key that may be an entry's name or value key
// (see entryAt), quoted with quote (0 if not) opened by open. It returns
// where scanning resumes (an entry's name read, or no entry's key), or 0
// and the key's start for an entry's value, which keyValue matches as the
// name's (entry).
func (st *state) entryKey(i, k int, quote, open byte, arrow bool) (ks, resume int) {
	t := st.text
	kind, n := entryAt(t, k)
	ks = k - n
	if kind == entryNone || (quote != 0 && byteAt(t, ks-1) != open) {
		return ks, i + 1
	}
	if kind == entryName {
		return ks, st.entryName(i, arrow)
	}
	if i >= st.entryEnd {
		return ks, i + 1
	}
	st.entryEnd = 0
	return ks, 0
}

// entryPairAt reports whether the key that ends before k ends in the last
// two letters of an entry's key (name, key, field, value): the cheap first
// test.
func entryPairAt(t string, k int) bool {
	return k >= 2 && entryMask[t[k-1]&31]&(1<<(t[k-2]&31)) != 0
}

// entryMask is the last two letters of the entry keys as a bit set.
var entryMask = func() (m [32]uint32) {
	for _, s := range [...]string{"me", "ey", "ld", "ue"} {
		m[s[1]&31] |= 1 << (s[0] & 31)
	}
	return m
}()

// entryShape reports whether the separator at i, after a key quoted with
// quote (0 if not), is an entry's: the key is quoted, its value is, or the
// separator is ':' (JSON, XML attributes, YAML) — not logfmt's
// "key=orders:4821", common where entries are rare.
func entryShape(t string, i int, quote byte) bool {
	return quote != 0 || t[i] == ':' || byteAt(t, i+1) == '"' || byteAt(t, i+1) == '\''
}

// keyIs reports whether the key that ends before k is word, in any case.
func keyIs(t string, k int, word string) bool {
	s := k - len(word)
	return s >= 0 && foldIs(t[s:k], word) && (s == 0 || cls[t[s-1]]&cKey == 0)
}

// entryName handles the separator at i of an entry's name key: when its
// value is a secret-like key name, the entry's value key, if it comes
// before the object ends (entryEnd), has its value matched as that name's.
// It returns where scanning resumes.
func (st *state) entryName(i int, arrow bool) int {
	t := st.text
	v := i + 1
	if arrow {
		v++
	}
	for sp := 0; v < len(t) && sp < 4 && (t[v] == ' ' || t[v] == '\t'); sp++ {
		v++
	}
	// The cheap test first: the name's bytes, up to a quote or blank, must
	// end as a secret-like key does ("key=orders:4821" is no entry).
	q := v
	if c := byteAt(t, q); c == '"' || c == '\'' {
		q++
	} else if c == '\\' && byteAt(t, q+1) == '"' {
		q += 2
	}
	e := q
	for e < len(t) && e-q <= maxKey && (cls[t[e]]&cKey != 0 || t[e] == '/') {
		e++
	}
	if e == q || !keyPairAt(t, e) {
		return i + 1
	}
	vs, ve, next, _ := value(t, v)
	if ve <= vs || ve-vs > maxKey {
		return i + 1
	}
	strength, authz, aws := secretKey(t[vs:ve])
	if strength == none {
		return i + 1
	}
	st.entry = uint8(strength) | b2u8(authz)<<2 | b2u8(aws)<<3
	st.entryEnd = entryEnd(t, next)
	return next
}

// entryEnd returns where the object holding an entry's name, read up to p,
// ends as far as its value is looked for: at a brace, bracket or angle
// bracket, at a line that starts a YAML list item or is not indented, and at
// most maxEntry bytes on.
func entryEnd(t string, p int) int {
	lim := min(len(t), p+maxEntry)
	for q := p; q < lim; q++ {
		switch t[q] {
		case '{', '}', '[', ']', '<', '>':
			return q
		case '\n':
			r := q + 1
			for r < len(t) && (t[r] == ' ' || t[r] == '\t') {
				r++
			}
			if r == q+1 || byteAt(t, r) == '-' {
				return q
			}
		}
	}
	return lim
}

func b2u8(b bool) uint8 {
	if b {
		return 1
	}
	return 0
}

// bracketKeyValue handles '=' at i after a bracketed form field name, as
// Rails, PHP and Stripe nest them ("card[cvc]=123", "user[password]=x"):
// the name in the last brackets is the key. It returns where scanning
// resumes.
func (st *state) bracketKeyValue(i int) int {
	t := st.text
	lo := max(0, i-1-maxKey-1)
	o := strings.LastIndexByte(t[lo:i-1], '[')
	if st.set&kvKinds == 0 || o < 0 {
		return i + 1
	}
	ks, k := lo+o+1, i-1
	// A field's brackets follow its parent's name or brackets (card[cvc],
	// a[b][c]); a bracket after a blank is a placeholder ("[SECRET]=…"),
	// unless an arrow follows: print_r's "[password]=>x" (see keyValue).
	arrow := byteAt(t, i+1) == '>'
	if k-ks < 2 || keyStart(t, k, maxKey) != ks || !keyPairAt(t, k) || !(arrow || is(t, ks-2, cKey) || byteAt(t, ks-2) == ']') ||
		placeholderLen(t[ks-1:]) == k+1-(ks-1) { // an earlier pass's "[SECRET]" after "x%3D"
		return i + 1
	}
	strength, authz, aws := secretKey(t[ks:k])
	if strength == none {
		return i + 1
	}
	v := i + 1
	if arrow {
		v++
		for sp := 0; sp < 4 && is(t, v, cSpace); sp++ {
			v++
		}
	}
	if vs, ve, next, quoted := value(t, v); ve > vs {
		if e, ok := st.secretValue(vs, ve, next, quoted, strength, authz, aws); ok {
			return e
		}
	}
	return i + 1
}

// encodedKeyValue handles "%3D" at i, the URL encoding of '=' in a URL
// carried in another one's query ("next=https%3A%2F%2Fx%2F%3Faccess_token%3D…"):
// when the key before it is secret-like, its value is matched, up to an
// escape of a byte that ends a value (%26 '&', %23 '#', %20 ' ', …). It
// returns where scanning resumes.
func (st *state) encodedKeyValue(i int) int {
	t := st.text
	secretPair := keyPairAt(t, i)
	if st.set&kvKinds == 0 || (!secretPair && !queryPairAt(t, i)) {
		return i + 3
	}
	ks := keyStart(t, i, maxKey)
	if i-ks > maxKey {
		return i + 3
	}
	strength, aws := none, false
	if secretPair {
		strength, _, aws = secretKey(t[ks:i])
	}
	if strength == none {
		if !queryKey(t, ks, i) {
			return i + 3
		}
		strength = weak
	}
	vs, ve := i+3, i+3
	for ve < len(t) && cls[t[ve]]&cValue != 0 {
		if t[ve] == '%' {
			if !is(t, ve+1, cHex) || !is(t, ve+2, cHex) || cls[unhex(t[ve+1])<<4|unhex(t[ve+2])]&cValue == 0 {
				break
			}
			ve += 2
		}
		ve++
	}
	if ve > vs {
		if e, ok := st.secretValue(vs, ve, ve, false, strength, false, aws); ok {
			return e
		}
	}
	return i + 3
}

// xmlValue handles the end of an XML start tag at i, '>' (gt = 1) or its
// JSON escape "\u003e" (gt = 6, as json.Marshal writes it): when the tag,
// <name> or \u003cname\u003e, is a secret-like name, the element's text up
// to the closing tag on the same line is matched as its value. It returns
// where scanning resumes.
func (st *state) xmlValue(i, gt int) int {
	t := st.text
	if st.set&kvKinds == 0 || !keyPairAt(t, i) {
		return i + gt
	}
	ks := keyStart(t, i, maxKey+5) // +5: "u003c" of \u003cname runs into it
	switch {
	case ks > 0 && t[ks-1] == '<':
	case ks > 0 && t[ks-1] == '\\' && i-ks > 5 && strings.EqualFold(t[ks:ks+5], "u003c"):
		ks += 5
	default:
		return i + gt
	}
	if i-ks > maxKey {
		return i + gt
	}
	strength, authz, aws := secretKey(t[ks:i])
	if strength == none {
		return i + gt
	}
	vs := i + gt
	ve := -1 // the text runs to the next '<' (or \u003c) on the line
	for j := vs; j < len(t) && t[j] != '\n'; j++ {
		if t[j] == '<' {
			if byteAt(t, j+1) == '/' {
				ve = j
			}
			break
		}
		if t[j] == '\\' && j+6 < len(t) && strings.EqualFold(t[j+1:j+6], "u003c") {
			if t[j+6] == '/' {
				ve = j
			}
			break
		}
	}
	if ve <= vs {
		return i + gt // no text, or not closed on its line
	}
	if e, ok := st.secretValue(vs, ve, ve, true, strength, authz, aws); ok {
		return e
	}
	return i + gt
}

// valueList is keyValue for a secret-like key at separator i whose value at
// v is a list (see eachString): each element is a value.
func (st *state) valueList(i, v, strength int, authz, aws bool) int {
	if m := st.list; v < m.end && strength <= int(m.strength) && (!authz || m.authz) && (!aws || m.aws) {
		return i + 1
	}
	resume, end := st.eachString(i, v, func(vs, ve, next int, quoted bool) bool {
		if ve <= vs {
			return false
		}
		_, ok := st.secretValue(vs, ve, next, quoted, strength, authz, aws)
		return ok
	})
	st.list = listMemo{end: end, strength: int8(strength), authz: authz, aws: aws}
	return resume
}

// eachString calls f with each element of the list of strings at v (after
// the separator at i): its content [vs, ve), its end and whether it was
// quoted. A list is a JSON array (["a", "b"], as http.Header and url.Values
// encode), Go syntax ([]string{"a", "b"}, fmt's %#v) or fmt's %v of a slice
// ([a b]: elements end at a blank). It returns where scanning resumes (past
// the elements when f matched one, else after the separator) and how far it
// read.
func (st *state) eachString(i, v int, f func(vs, ve, next int, quoted bool) bool) (resume, end int) {
	t := st.text
	if placeholderLen(t[v:]) > 0 {
		return i + 1, v // "[SECRET]": a placeholder, not a list
	}
	found := false
	j := v + 1
	if byteAt(t, j) == ']' { // []string{
		k := run(t, j+1, cWord)
		if k == j+1 || byteAt(t, k) != '{' {
			return i + 1, k
		}
		j = k + 1
	}
	for is(t, j, cSpace) {
		j++
	}
	if c := byteAt(t, j); c != '"' && c != '\'' {
		// fmt's %v: [a b c], which has no commas (a JSON array of numbers does).
		e := j
		for e < len(t) && t[e] != ']' && t[e] != '\n' && t[e] != ',' {
			e++
		}
		if byteAt(t, e) == ',' {
			return i + 1, e
		}
		for j < len(t) && t[j] != ']' && t[j] != '\n' {
			if t[j] == '[' { // an element that is a placeholder: [[SECRET] x]
				if k := placeholderLen(t[j:]); k > 0 {
					if j += k; byteAt(t, j) == ' ' {
						j++
					}
					continue
				}
			}
			ve := j
			for ve < len(t) && t[ve] != ' ' && t[ve] != ']' && t[ve] != '\n' {
				ve++
			}
			end := ve // the element's end, where the next one is looked for
			vs := j
			if k := strings.LastIndexByte(t[vs:ve], '['); k >= 0 && byteAt(t, ve) == ']' && placeholder(t[vs+k:ve+1]) {
				ve = vs + k // a placeholder an earlier pass left: [[[SECRET], x=[SECRET]
			}
			if k := strings.LastIndexByte(t[vs:ve], '['); k >= 0 && !strings.ContainsAny(t[vs:vs+k], "\"'") {
				vs += k + 1 // a nested list's element: "map[a:[x" reads x (a quote before makes it no map)
			}
			skip := vs == ve // an empty element
			if !skip && f(vs, ve, ve, false) {
				found = true
			}
			j = end
			if byteAt(t, j) == ' ' {
				j++
			}
		}
	} else {
		for {
			for is(t, j, cSpace) {
				j++
			}
			if c := byteAt(t, j); c != '"' && c != '\'' {
				break
			}
			vs, ve, next, _ := value(t, j)
			if f(vs, ve, next, true) {
				found = true
			}
			for j = next; is(t, j, cSpace); j++ {
			}
			if byteAt(t, j) != ',' {
				break
			}
			j++
		}
	}
	if found {
		return j, j
	}
	return i + 1, j
}

// placeholderLen returns the length of the placeholder v starts with, up to
// its first ']' within 32 bytes ("[SECRET]"), or 0.
func placeholderLen(v string) int {
	if k := strings.IndexByte(v[:min(len(v), 32)], ']'); k > 1 && placeholder(v[:k+1]) {
		return k + 1
	}
	return 0
}

// secretValue matches the value t[vs:ve] (not empty) of a key of the given
// strength, as keyValue does. ok reports that scanning resumes at the
// returned position (past a match, or past a value too long to hide a
// secret) rather than after the separator.
func (st *state) secretValue(vs, ve, next int, quoted bool, strength int, authz, aws bool) (int, bool) {
	t := st.text
	val := t[vs:ve]
	if authz {
		// "Authorization: Bearer <credential>": the span is the credential.
		cs, ce := -1, -1
		sch := run(val, 0, cUpper|cLower)
		if sch > 0 && sch < len(val) && val[sch] == ' ' && quoted {
			cs, ce = vs+run(val, sch, cSpace), ve
		} else if sch == len(val) && !quoted && byteAt(t, ve) == ' ' {
			cs = ve + 1
			if strings.EqualFold(val, "bearer") || strings.EqualFold(val, "basic") {
				ce = run(t, cs, cBearer)
				for byteAt(t, ce) == '=' {
					ce++
				}
			} else { // Digest, AWS4-HMAC-SHA256…: parameters to the end of the line
				ce = lineEnd(t, cs)
				if q := strings.IndexByte(t[cs:ce], '"'); q >= 0 && t[cs+q-1] != '=' {
					ce = cs + q
				}
				for ce > cs && cls[t[ce-1]]&cSpace != 0 {
					ce--
				}
			}
			next = ce
		}
		// A credential read to the end of the line that holds a
		// placeholder was redacted by an earlier pass ("[SECRET]]",
		// "[SECRET] 0", "A [SECRET]" inside fmt's %v of a list).
		if cs >= 0 && ce > cs && !placeholder(t[cs:ce]) && !holdsPlaceholder(t[cs:ce]) {
			k := GenericSecret
			switch {
			case strings.EqualFold(t[vs:vs+sch], "bearer"):
				k = BearerToken
			case strings.EqualFold(t[vs:vs+sch], "basic"):
				k = BasicAuth
			}
			if st.emit(cs, ce, k) || st.emit(cs, ce, GenericSecret) {
				return next, true
			}
			return 0, false
		}
	}
	if placeholder(val) || nullish(val) || (!quoted && bindParam(val)) {
		if len(val) > maxValue {
			return next, true // nothing secret-like can hide in it; do not scan it again
		}
		return 0, false
	}
	if (strength == weak || (quoted && byteAt(t, ve) != byteAt(t, vs-1))) && holdsPlaceholder(val) {
		// An earlier pass left a placeholder inside: in a weak key's value,
		// which looks random (or is long) only for it ("0000Auth: [SECRET]",
		// a long "0Cookie:" value whose cookie was redacted); in an
		// unclosed quote's text, read to the end of the line, which that
		// pass matched under another rule (Cookie:key:'a=[SECRET]).
		return 0, false
	}
	if strength == weak && len(val) <= maxValue && !randomLooking(val) {
		return 0, false // not random
	}
	if !quoted && st.set.Has(PrivateKey) && t[vs] == '-' {
		// "private_key=-----BEGIN … PRIVATE KEY-----\n…": the value runs
		// to the end of the block, past the blanks that end an unquoted value.
		if e := privateKeyEnd(t, vs); e > 0 && st.emit(vs, e, PrivateKey) {
			return e, true
		}
	}
	kind := GenericSecret
	if s, e, pk := prefixed(t, vs); s == vs && e == ve {
		kind = pk
	} else if aws && len(val) == 40 && run(val, 0, cB64) == 40 {
		kind = AWSSecretKey
	} else if len(val) == 11 && ssnEnd(t, vs) == ve {
		kind = SSN // "ssn=078-05-1120" is the SSN detector's
	}
	if st.emit(vs, ve, kind) || st.emit(vs, ve, GenericSecret) {
		return next, true
	}
	return 0, false
}

// funcName reports whether s, followed by '(', names a function: a name,
// maybe qualified (pgcrypto.crypt).
func funcName(s string) bool {
	return is(s, 0, cUpper|cLower) && len(s) <= maxKey && run(s, 0, cWord|cKey) == len(s)
}

// bindParam reports whether v is an SQL statement's bind parameter, which a
// driver replaces with the value ("password = $1", "token=?", "pw = @p1",
// "password = :password"): a statement logged without its arguments. A
// named one must be named after a secret. So is a reference to the column
// of a row an upsert or trigger sees, named after a secret too
// ("SET password = EXCLUDED.password", "NEW.password_hash").
func bindParam(v string) bool {
	switch {
	case v == "?":
		return true
	case strings.IndexByte(v, '.') > 0:
		row, col, _ := strings.Cut(v, ".")
		if !strings.EqualFold(row, "excluded") && !strings.EqualFold(row, "new") && !strings.EqualFold(row, "old") {
			return false
		}
		strength, _, _ := secretKey(col)
		return strength != none && run(col, 0, cWord) == len(col)
	case len(v) >= 2 && v[0] == '$':
		return run(v, 1, cDigit) == len(v)
	case len(v) >= 3 && v[0] == '@' && v[1] == 'p':
		return run(v, 2, cDigit) == len(v)
	case len(v) >= 3 && v[0] == ':':
		// A named parameter named after a secret (":password", ":new_token");
		// ":xK9…" may be a password.
		strength, _, _ := secretKey(v[1:])
		return strength != none && run(v, 1, cWord) == len(v)
	}
	return false
}

// keyStart returns where the key that ends at k starts: the run of key
// bytes before k, read back at most limit+1 of them (a longer run is no key).
func keyStart(t string, k, limit int) int {
	ks := k
	for ks > 0 && k-ks <= limit && cls[t[ks-1]]&cKey != 0 {
		ks--
	}
	return ks
}

// headerName reports whether the key t[ks:k] is the header name (lower
// case), in any case, alone or after an escaped line break or tab ("\r\nCookie",
// which the key's bytes run into).
func headerName(t string, ks, k int, name string) bool {
	n := k - len(name)
	if n < ks || !strings.EqualFold(t[n:k], name) {
		return false
	}
	return n == ks || (n-ks == 1 && ks >= 1 && t[ks-1] == '\\' && strings.IndexByte("nrt", t[ks]) >= 0)
}

// headerEnd is where an unquoted header value that starts at v ends: at the
// end of its line, or at a quote or an escaped line break when the header
// sits inside a quoted string ("…\r\nCookie: a=b\r\n…").
func headerEnd(t string, v int) int {
	e := lineEnd(t, v)
	if q := strings.IndexAny(t[v:e], "\"\\"); q >= 0 {
		e = v + q
	}
	return e
}

// cookieList is keyValue for a cookie header at separator i whose value at
// v is a list (see eachString): each element is a header value.
func (st *state) cookieList(i, v int, set bool) int {
	resume, end := st.eachString(i, v, func(vs, ve, _ int, _ bool) bool { return st.cookies(vs, ve, set) })
	st.cookieEnd = end
	return resume
}

// cookies matches the values of the cookies in t[s:e], a Cookie header
// ("a=1; b=2") or, when set, a Set-Cookie header, whose first pair is the
// cookie and the rest its attributes (Path=/, Expires=…). Every value is
// taken as secret: cookies carry sessions, and a header gives no sign of
// which do. It reports whether it matched any.
func (st *state) cookies(s, e int, set bool) bool {
	t := st.text
	found := false
	for j := s; j < e; {
		for j < e && (t[j] == ' ' || t[j] == ';') {
			j++
		}
		eq := j
		for eq < e && t[eq] != '=' && t[eq] != ';' {
			eq++
		}
		if eq >= e || t[eq] != '=' {
			break
		}
		vs := eq + 1
		ve := vs
		for ve < e && t[ve] != ';' && cls[t[ve]]&cSpace == 0 {
			ve++
		}
		// A value holding a placeholder was redacted by an earlier pass
		// (a quoted cookie, '[SECRET]).
		if v := t[vs:ve]; v != "" && !placeholder(v) && !holdsPlaceholder(v) && st.emit(vs, ve, GenericSecret) {
			found = true
		}
		if set {
			break
		}
		j = ve
	}
	return found
}

// value returns the value that starts at v: its content [vs, ve), where
// scanning resumes (past a closing quote), and whether it was quoted. A
// quoted value ends at its closing quote (backslash escapes honoured), an
// unquoted one at a blank or delimiter; a quoted value never crosses a
// newline, and one that is not closed runs to the end of its line.
func value(t string, v int) (vs, ve, next int, quoted bool) {
	switch c := byteAt(t, v); {
	case c == '"' || c == '\'':
		vs = v + 1
		j := vs
		for j < len(t) && t[j] != c && t[j] != '\n' {
			if t[j] == '\\' {
				j++
			}
			j++
		}
		if j < len(t) && t[j] == c {
			return vs, j, j + 1, true
		}
		ve = lineEnd(t, vs)
		return vs, ve, ve, true
	case c == '\\' && byteAt(t, v+1) == '"':
		vs = v + 2
		le := lineEnd(t, vs)
		if k := strings.Index(t[vs:le], `\"`); k >= 0 {
			return vs, vs + k, vs + k + 2, true
		}
		return vs, le, le, true
	}
	ve = run(t, v, cValue)
	if q := ve; byteAt(t, q) == '=' && ve > v {
		for byteAt(t, q) == '=' {
			q++
		}
		if !is(t, q, cValue) && placeholderLen(t[q:]) == 0 {
			ve = q // base64 padding, not the '=' of a key before an earlier pass's placeholder
		}
	}
	return v, ve, ve, false
}

func lineEnd(t string, i int) int {
	if k := strings.IndexByte(t[i:], '\n'); k >= 0 {
		e := i + k
		if e > i && t[e-1] == '\r' {
			e--
		}
		return e
	}
	return len(t)
}

// Key strengths.
const (
	none = iota
	weak
	strong
)

// secretKey classifies a key name, compared without case and ignoring '_',
// '-' and '.', by its suffix. Strong names (password, secret, api_key,
// private_key, credentials, access_token, …) mark any non-empty value a
// secret; weak ones (token, auth, authorization, cookie, session, signature,
// sig, pwd, pass) only a value of 8+ bytes with 3+ bits of entropy per byte.
func secretKey(key string) (strength int, authz, aws bool) {
	if len(key) < 2 {
		return none, false, false
	}
	for _, kn := range keysByPair[key[len(key)-1]&31][key[len(key)-2]&31] {
		if len(kn.name) <= len(key) && suffixFold(key, kn.name) { // separators only lengthen key
			return kn.strength, kn.name == "authorization", awsKey(key)
		}
	}
	// A separator among the last bytes ("api_key_", "x.y-z"): find the last
	// two letters.
	var last [2]byte
	m := 0
	for j := len(key) - 1; j >= 0 && m < 2; j-- {
		if c := key[j]; c != '_' && c != '-' && c != '.' {
			last[m] = c & 31
			m++
		}
	}
	if m < 2 || (last[0] == key[len(key)-1]&31 && last[1] == key[len(key)-2]&31) {
		return none, false, false
	}
	for _, kn := range keysByPair[last[0]][last[1]] {
		if len(kn.name) <= len(key) && suffixFold(key, kn.name) {
			return kn.strength, kn.name == "authorization", awsKey(key)
		}
	}
	return none, false, false
}

// suffixFold reports whether key ends with name (lower-case ASCII), ignoring
// case and the separators '_', '-' and '.' in key.
func suffixFold(key, name string) bool {
	i := len(key) - 1
	for j := len(name) - 1; j >= 0; j-- {
		for i >= 0 && (key[i] == '_' || key[i] == '-' || key[i] == '.') {
			i--
		}
		if i < 0 {
			return false
		}
		c := key[i]
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != name[j] {
			return false
		}
		i--
	}
	return true
}

// keyPairAt reports whether the key name that ends before k ends in two
// letters some secret-like name ends with: the cheap first test.
func keyPairAt(t string, k int) bool {
	if k >= 2 && cls[t[k-1]]&cls[t[k-2]]&(cUpper|cLower) != 0 {
		return pairMask[t[k-1]&31]&(1<<(t[k-2]&31)) != 0
	}
	var last [2]byte
	m := 0
	for j := k - 1; j >= 0 && j >= k-8 && m < 2; j-- {
		switch c := t[j]; {
		case c == '_' || c == '-' || c == '.':
		case cls[c]&(cUpper|cLower) != 0:
			last[m] = c & 31
			m++
		default:
			return false
		}
	}
	return m == 2 && pairMask[last[0]]&(1<<last[1]) != 0
}

// pairMask is keysByPair as a bit set.
var pairMask = func() (m [32]uint32) {
	for a := range keysByPair {
		for b := range keysByPair[a] {
			if len(keysByPair[a][b]) > 0 {
				m[a] |= 1 << b
			}
		}
	}
	return m
}()

// queryPairMask is the last two letters of the queryKeys as a bit set.
var queryPairMask = func() (m [32]uint32) {
	for _, s := range queryKeys {
		m[s[len(s)-1]&31] |= 1 << (s[len(s)-2] & 31)
	}
	return m
}()

// queryPairAt reports whether the key name that ends before k ends in the
// last two letters of one of the queryKeys.
func queryPairAt(t string, k int) bool {
	return k >= 2 && cls[t[k-1]]&cls[t[k-2]]&(cUpper|cLower) != 0 &&
		queryPairMask[t[k-1]&31]&(1<<(t[k-2]&31)) != 0
}

// queryKeys are names too common to be secret-like keys in general, but
// whose values are credentials as URL query parameters: OAuth authorization
// codes, API keys, CAS tickets, JWTs.
var queryKeys = [...]string{"code", "authcode", "key", "ticket", "jwt"}

// queryKey reports whether t[ks:k] is one of queryKeys (without case) as a
// URL query parameter in a nested URL, after the escape %3F ('?') or %26
// ('&'), whose hex digits keyStart took as the key's.
func queryKey(t string, ks, k int) bool {
	key := t[ks:k]
	if ks == 0 || t[ks-1] != '%' || len(key) <= 2 || (key[:2] != "26" && !strings.EqualFold(key[:2], "3f")) {
		return false
	}
	return isQueryKey(key[2:])
}

func isQueryKey(s string) bool {
	for _, q := range queryKeys {
		if strings.EqualFold(s, q) {
			return true
		}
	}
	return false
}

// queryParam handles '?' or '&' at i: when the URL query parameter after it
// is one of queryKeys ("?code=4/0AfJohXk…&state=…"), its value is matched as
// a weak key's is. It returns where scanning resumes.
func (st *state) queryParam(i int) int {
	t := st.text
	ks := i + 1
	ke := run(t, ks, cUpper|cLower)
	if st.set&kvKinds == 0 || byteAt(t, ke) != '=' || !isQueryKey(t[ks:ke]) {
		return i + 1
	}
	if vs, ve, next, quoted := value(t, ke+1); ve > vs && !quoted {
		if e, ok := st.secretValue(vs, ve, next, false, weak, false, false); ok {
			return e
		}
	}
	return i + 1
}

type keyName struct {
	name     string
	strength int
}

// keysByPair indexes the names in strongKeys and weakKeys by their last two
// letters (low 5 bits, reversed), longest first: most keys in a log are not
// secret-like and fail on an empty list.
var keysByPair = func() (m [32][32][]keyName) {
	add := func(names []string, strength int) {
		for _, s := range names {
			a, b := s[len(s)-1]&31, s[len(s)-2]&31
			m[a][b] = append(m[a][b], keyName{s, strength})
			slices.SortFunc(m[a][b], func(x, y keyName) int { return len(y.name) - len(x.name) })
		}
	}
	add(strongKeys[:], strong)
	add(weakKeys[:], weak)
	return m
}()

// awsKey reports whether a secret-like key names an AWS secret access key.
func awsKey(key string) bool {
	var buf [maxKey]byte
	n := 0
	for j := 0; j < len(key) && n < len(buf); j++ {
		c := key[j]
		switch {
		case c == '_' || c == '-' || c == '.':
			continue
		case c >= 'A' && c <= 'Z':
			c += 'a' - 'A'
		}
		buf[n] = c
		n++
	}
	return contains(buf[:n], "secretaccesskey") || contains(buf[:n], "awssecret")
}

// keyLast marks the bytes a secret-like key name can end with.
var keyLast = func() (m [256]bool) {
	for _, names := range [][]string{strongKeys[:], weakKeys[:]} {
		for _, s := range names {
			c := s[len(s)-1]
			m[c], m[c-'a'+'A'] = true, true
		}
	}
	return m
}()

var strongKeys = [...]string{
	"password", "passwd", "passphrase", "secret", "apikey", "privatekey", "accesskey",
	"secretkey", "signingkey", "encryptionkey", "accountkey", "masterkey", "hmackey", "credential", "credentials",
	"accesstoken", "refreshtoken", "authtoken", "idtoken", "sessiontoken", "bearertoken", "cvv", "cvc", "ssn",
	"passcode", "secretkeybase",
	"subscriptionkey", "licensekey", "applicationkey", // Azure API Management, New Relic, Datadog
}

var weakKeys = [...]string{
	"authorization", "token", "auth", "cookie", "session", "sessionid", "signature", "sig", "pwd", "pass",
}

func contains(b []byte, s string) bool {
	for j := 0; j+len(s) <= len(b); j++ {
		if string(b[j:j+len(s)]) == s {
			return true
		}
	}
	return false
}

// placeholder reports whether v is already a placeholder such as "[SECRET]",
// or has no alphanumeric byte at all ("***", "-").
func placeholder(v string) bool {
	if len(v) >= 3 && v[0] == '[' && v[len(v)-1] == ']' {
		inner := true
		for j := 1; j < len(v)-1; j++ {
			if c := v[j]; (c < 'A' || c > 'Z') && c != '_' {
				inner = false
				break
			}
		}
		if inner {
			return true
		}
	}
	for j := 0; j < len(v); j++ {
		if cls[v[j]]&cAlnum != 0 || v[j] >= 0x80 {
			return false
		}
	}
	return true
}

// NoValue reports whether v says there is no value rather than holding one:
// a placeholder ("[SECRET]"), text without a letter or digit ("***", "-"),
// or a null word (null, none, redacted, …). A secret-like key's value or an
// identifier key's is left alone when it is one.
func NoValue(v string) bool { return placeholder(v) || nullish(v) }

// nullish reports whether v is a word that stands for "no value".
func nullish(v string) bool {
	if len(v) > 9 {
		return false
	}
	for _, w := range nullWords {
		if strings.EqualFold(v, w) {
			return true
		}
	}
	return false
}

var nullWords = [...]string{"null", "nil", "none", "undefined", "true", "false", "redacted", "hidden", "masked", "omitted", "empty", "unset",
	"yes", "no"} // MySQL's "Access denied for user 'app'@'host' (using password: YES)"

// placeholderBefore reports whether a placeholder ("[PHONE]") ends at i.
func placeholderBefore(t string, i int) bool {
	if byteAt(t, i-1) != ']' {
		return false
	}
	s := max(0, i-32)
	j := strings.LastIndexByte(t[s:i-1], '[')
	return j >= 0 && placeholder(t[s+j:i])
}

// holdsPlaceholder reports whether a placeholder ("[SECRET]") stands inside v.
func holdsPlaceholder(v string) bool {
	for i := strings.IndexByte(v, '['); i >= 0; {
		if placeholderLen(v[i:]) > 0 {
			return true
		}
		j := strings.IndexByte(v[i+1:], '[')
		if j < 0 {
			break
		}
		i += j + 1
	}
	return false
}

// randomLooking reports whether a value under a weakly secret-like key looks
// generated: minWeak+ bytes, a letter and a digit, minBits+ bits of entropy per
// byte, and not a path.
func randomLooking(v string) bool {
	if len(v) < minWeak || v[0] == '/' || v[0] == '~' || v[0] == '.' {
		return false
	}
	var seen uint16
	for j := 0; j < len(v); j++ {
		seen |= cls[v[j]]
	}
	return seen&cDigit != 0 && seen&(cUpper|cLower) != 0 && entropy(v) >= minBits
}

// entropy returns the Shannon entropy of s in bits per byte.
func entropy(s string) float64 {
	if len(s) == 0 {
		return 0
	}
	var counts [256]int
	for j := 0; j < len(s); j++ {
		counts[s[j]]++
	}
	n := float64(len(s))
	h := 0.0
	for _, c := range counts {
		if c > 0 {
			p := float64(c) / n
			h -= p * math.Log2(p)
		}
	}
	return h
}
