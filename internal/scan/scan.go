package scan

import (
	"math/bits"
	"slices"
	"strings"
)

// Match is one finding: text[Start:End] is the sensitive span, and only it.
type Match struct {
	Start, End int
	Kind       Kind
}

// Scanner runs a set of detectors over text. It holds no mutable state and is
// safe for concurrent use.
type Scanner struct{ set Set }

// New returns a scanner for the detectors in set. Kinds outside All are ignored.
func New(set Set) *Scanner { return &Scanner{set: set & All} }

// Set returns the detectors the scanner runs.
func (s *Scanner) Set() Set { return s.set }

// Scan appends to dst the matches in text, in order of Start and without
// overlap, and returns the extended slice. It does not allocate when dst has
// room for the matches. Text need not be valid UTF-8.
//
// Scan reads text once, dispatching on a byte-class table: letters and digits
// are skipped a word at a time, and only rare anchors ('@', '=', ':', '+', '(',
// "-----BEGIN", "%40", a handful of word prefixes) start a detector; an escape
// sequence ("\n", "%2F") ends a word like punctuation does. Every detector
// looks at a bounded window around its anchor or consumes what it matched, so
// the running time is linear in len(text).
func (s *Scanner) Scan(dst []Match, text string) []Match {
	if s == nil || s.set == 0 || len(text) == 0 {
		return dst
	}
	// The state is built field by field: a composite literal is built in a
	// temporary and copied with 16-byte moves that read across the 8-byte
	// stores just made, a store-forwarding stall that cost more than
	// scanning a short value.
	var st state
	st.text, st.set, st.dst, st.base = text, s.set, dst, len(dst)
	t := text
	n := len(t)
	for i := 0; i < n; {
		a := act[t[i]]
		if a == aNone {
			i++
			continue
		}
		switch a {
		case aLetter:
			// Most words are skipped whole; a word is looked at only when
			// its first two bytes can start a prefix the detectors know,
			// when it is a short group followed by ':' (IPv6), when it
			// may be PASSWORD or IDENTIFIED (sqlPassword), or when it may
			// name a secret in a sentence (proseSecret: token, secret, …).
			// An IBAN starts with two capitals and two digits; a UUID
			// (its hex groups are words no detector looks at) is skipped
			// whole.
			w := skipWord(t, i+1)
			if (w-i >= 2 && wordPair(t[i], t[i+1])) || (w-i <= 4 && byteAt(t, w) == ':') ||
				(w-i >= 4 && cls[t[i]]&cls[t[i+1]]&cUpper != 0 && isDigit(t[i+2]) && isDigit(t[i+3])) {
				e := w
				if w-i == 8 && byteAt(t, w) == '-' {
					e = uuidSkip(t, i, w) // a UUID, whatever pair its letters start with
				}
				switch {
				case e > w:
					i = e
				case prosePairs[t[i]][t[i+1]>>6]&(1<<(t[i+1]&63)) != 0: // t[i+1] is ASCII here
					i = st.proseWord(t, i, w)
				default:
					i = st.word(t, i, w)
				}
			} else if w-i == 8 && byteAt(t, w) == '-' {
				i = uuidSkip(t, i, w)
			} else {
				i = w
			}
		case aDigit:
			j := run(t, i+1, cDigit)
			w := j
			if w < n && cls[t[w]]&cWord != 0 {
				w = run(t, w, cWord)
			}
			if w-i == 8 && byteAt(t, w) == '-' {
				if e := uuidSkip(t, i, w); e > w {
					i = e
					continue
				}
			}
			// numberWorth, called only when the byte after the word can
			// make it worth a look (or it is card-long).
			if c := byteAt(t, w); (numNext[c] || j-i >= 13) && numberWorth(t, i, j, w) {
				i = st.number(t, i, j, w)
			} else {
				i = w
			}
		case aAt:
			i = st.email(i, i+1)
		case aEq:
			switch {
			case i > 0 && keyEnd[t[i-1]]:
				i = st.keyValue(i)
			case i > 0 && t[i-1] == ']':
				i = st.bracketKeyValue(i) // card[cvc]=123
			default:
				i++
			}
		case aColon:
			if c := byteAt(t, i+1); c == '/' || c == ':' || (i > 0 && keyEnd[t[i-1]]) {
				i = st.colon(t, i)
			} else {
				i++
			}
		case aPlus:
			i = st.e164(i)
		case aParen:
			i = st.paren(i)
		case aDash:
			switch {
			case is(t, i+1, cUpper|cLower):
				if optionStart(t, i) {
					i = st.flag(i, 1) // -password hunter2 (Go's flag package)
				} else {
					i++ // inside a word: "x-forwarded-for", a UUID
				}
			case byteAt(t, i+1) != '-':
				i++
			case is(t, i+2, cUpper|cLower):
				i = st.flag(i, 2) // --password hunter2
			default:
				i = st.pem(i) // -----BEGIN … PRIVATE KEY-----
			}
		case aEsc:
			switch {
			case t[i] == '?' || t[i] == '&':
				i = st.queryParam(i) // "?code=4/0AfJohXk…"
			case t[i] == '%' && byteAt(t, i+1) == '4' && byteAt(t, i+2) == '0':
				i = st.email(i, i+3) // "alice%40example.com"
			case t[i] == '%' && byteAt(t, i+1) == '3' && byteAt(t, i+2)|0x20 == 'd' && i > 0 && keyLast[t[i-1]]:
				i = st.encodedKeyValue(i) // "…%3Faccess_token%3Dya29…"
			case t[i] == '\\' && i > 0 && keyLast[t[i-1]] && i+6 <= len(t) && strings.EqualFold(t[i+1:i+6], "u003e"):
				i = st.xmlValue(i, 6) // \u003cpassword\u003e… in JSON
			default:
				i = st.escape(i) // and '$': a password hash
			}
		case aGt:
			if i > 0 && keyLast[t[i-1]] {
				i = st.xmlValue(i, 1) // <password>…</password>
			} else {
				i++
			}
		default:
			i++
		}
	}
	return st.finish()
}

// state is one Scan call's working memory. It lives on the caller's stack.
type state struct {
	text    string
	set     Set
	unsort  bool  // a match was emitted before lastEnd
	entry   uint8 // the last secret-like entry name read, until entryEnd (entryName)
	dst     []Match
	base    int // len(dst) on entry
	lastEnd int // end of the last emitted match

	// Memos that keep repeated anchors inside one span linear
	// ("sk-sk-sk-…", "Cookie:Cookie:…"): the last base64url run measured
	// for a vendor prefix, and the end of the last cookie header read.
	b64       runMemo
	cookieEnd int
	list      listMemo
	cmds      cmdMemo // commandBefore
	cryptEnd  int     // end of the last '$' fields read that were no hash (cryptHash)
	entryEnd  int     // where the entry of the last secret-like name read ends (entryName)
	sqlEnd    int     // end of the last INSERT values read (sqlValues)
}

// listMemo is the last list value read (valueList): where it ended, and the
// key's strength and flags it was read for. A list starting inside it under
// a key no stronger has been read already ("token:[a token:[a …").
type listMemo struct {
	end        int
	strength   int8
	authz, aws bool
}

// runMemo remembers the end of a run of one class that a rule measured:
// a run measured from inside it ends at the same place.
type runMemo struct{ from, end int }

// runEnd is run(t, p, c), for the one class c the memo is used with.
func (m *runMemo) runEnd(t string, p int, c uint16) int {
	if m != nil && m.end > 0 && m.from <= p && p <= m.end {
		return m.end
	}
	e := run(t, p, c)
	if m != nil {
		m.from, m.end = p, e
	}
	return e
}

// emit records text[start:end] as kind k if k is in the set. It reports
// whether the match was recorded.
func (st *state) emit(start, end int, k Kind) bool {
	if !st.set.Has(k) || start >= end {
		return false
	}
	if start < st.lastEnd {
		st.unsort = true
	}
	n := len(st.dst)
	if n == cap(st.dst) {
		st.dst = grow(st.dst)
	}
	st.dst = st.dst[:n+1] // a self-assignment: dst does not escape through st
	st.dst[n] = Match{Start: start, End: end, Kind: k}
	if end > st.lastEnd {
		st.lastEnd = end
	}
	return true
}

// grow returns a copy of ms with room for more. Unlike append, the result
// never aliases ms, so that Scan's dst escapes only to its result: a caller
// may pass a buffer on its stack.
func grow(ms []Match) []Match {
	nm := make([]Match, len(ms), max(8, 2*cap(ms)))
	copy(nm, ms)
	return nm
}

// finish restores the contract (ordered, non-overlapping) if a detector
// emitted out of order: overlapping matches are merged into their union, which
// takes the kind of the stricter class, so nothing matched is ever dropped.
func (st *state) finish() []Match {
	if !st.unsort {
		return st.dst
	}
	return merge(st.dst, st.base)
}

// merge sorts dst[base:] and merges overlapping matches (see finish).
func merge(dst []Match, base int) []Match {
	ms := dst[base:]
	if len(ms) == 0 {
		return dst
	}
	slices.SortFunc(ms, func(a, b Match) int {
		if a.Start != b.Start {
			return a.Start - b.Start
		}
		return b.End - a.End
	})
	w := 0
	for r := 1; r < len(ms); r++ {
		cur, m := &ms[w], ms[r]
		if m.Start < cur.End {
			if m.End > cur.End {
				cur.End = m.End
			}
			if m.Kind.Class().rank() > cur.Kind.Class().rank() {
				cur.Kind = m.Kind
			}
			continue
		}
		w++
		ms[w] = m
	}
	return dst[:base+w+1]
}

// Byte classes.
const (
	cDigit  uint16 = 1 << iota
	cUpper         // A-Z
	cLower         // a-z
	cHex           // 0-9 a-f A-F
	cWord          // A-Z a-z 0-9 _
	cKey           // key name: word . -
	cB64URL        // word -
	cB64           // alnum + /
	cLocal         // e-mail local part: alnum . _ % + -
	cDomain        // alnum . -
	cValue         // unquoted value: any byte > ' ' except delimiters and '='
	cBearer        // RFC 6750 b64token: alnum - . _ ~ + /
	cSpace         // ' ' '\t'
	cV6            // IPv6 text: hex digits, ':' and '.'
	cCrypt         // a field of a password hash: alnum . / + = , -

	cAlnum = cDigit | cUpper | cLower
)

// Main-loop actions.
const (
	aNone uint8 = iota
	aLetter
	aDigit
	aAt
	aEq
	aColon
	aPlus
	aParen
	aDash
	aEsc // '\\' or '%': an escape sequence ends a word; '?' or '&': a URL query parameter may follow; '$': a password hash may start; '~': an Azure AD client secret
	aGt  // '>': the end of an XML start tag, <password>…
)

var (
	cls [256]uint16
	act [256]uint8
)

func init() {
	for c := 0; c < 256; c++ {
		b := byte(c)
		var m uint16
		switch {
		case b >= '0' && b <= '9':
			m |= cDigit | cHex
		case b >= 'A' && b <= 'Z':
			m |= cUpper
			if b <= 'F' {
				m |= cHex
			}
		case b >= 'a' && b <= 'z':
			m |= cLower
			if b <= 'f' {
				m |= cHex
			}
		}
		alnum := m&cAlnum != 0
		if alnum || b == '_' {
			m |= cWord | cKey | cB64URL | cBearer
		}
		if b == '.' || b == '-' {
			m |= cKey
		}
		if b == '-' {
			m |= cB64URL
		}
		if alnum || b == '+' || b == '/' {
			m |= cB64
		}
		if alnum || b == '.' || b == '_' || b == '%' || b == '+' || b == '-' || b >= 0x80 {
			m |= cLocal // and the bytes of internationalized names (jürgen@…)
		}
		if alnum || b == '.' || b == '-' || b >= 0x80 {
			m |= cDomain // and the bytes of internationalized names (exämple.de)
		}
		if b > ' ' && b != 0x7f {
			switch b {
			case '"', '\'', '`', ',', ';', '&', '<', '>', '(', ')', '[', ']', '{', '}', '=', '\\':
			default:
				m |= cValue
			}
		}
		if m&cHex != 0 || b == ':' || b == '.' {
			m |= cV6
		}
		if alnum || strings.IndexByte("./+=,-", b) >= 0 {
			m |= cCrypt
		}
		switch b {
		case '-', '.', '_', '~', '+', '/':
			m |= cBearer
		case ' ', '\t':
			m |= cSpace
		}
		cls[c] = m
		if m&cWord != 0 {
			wordTab[c] = 1
		}

		switch {
		case m&cDigit != 0:
			act[c] = aDigit
		case m&cWord != 0:
			act[c] = aLetter
		case b == '@':
			act[c] = aAt
		case b == '=':
			act[c] = aEq
		case b == ':':
			act[c] = aColon
		case b == '+':
			act[c] = aPlus
		case b == '(':
			act[c] = aParen
		case b == '-':
			act[c] = aDash
		case b == '\\' || b == '%':
			act[c] = aEsc
		case b == '>':
			act[c] = aGt
		case b == '?' || b == '&' || b == '$' || b == '~':
			act[c] = aEsc // not an escape: sharing its case keeps the loop's switch small
		}
	}
}

// keyEnd marks the bytes that can precede the '=' or ':' of a secret-like
// key: the last letter of a name in strongKeys or weakKeys, a closing quote
// (or backtick), or a blank.
var keyEnd = func() (m [256]bool) {
	m = keyLast
	m['"'], m['\''], m['`'], m[' '], m['\t'] = true, true, true, true, true
	return m
}()

// numberWorth is the cheap test that keeps most numbers in a log (dates,
// times, durations, counts) away from the number detectors: the word t[i:w]
// whose digits run to j must look like the start of a card, SSN, phone
// number, IPv4 or IPv6 address.
func numberWorth(t string, i, j, w int) bool {
	d := j - i
	if w != j {
		return w-i <= 4 && byteAt(t, w) == ':' // IPv6 group such as "2a00:"
	}
	if d >= 13 && d <= 19 {
		return true // a contiguous card number
	}
	switch byteAt(t, j) {
	case '.':
		if d > 1 && t[i] == '0' {
			// Not IPv4 (no leading zeros) nor NANP; with dots, a national
			// number goes in pairs ("01.23.45.67.89"), unlike the seconds
			// of a time ("09:21:07.412").
			return byteAt(t, j+3) == '.' && nationalWorth(t, i, j)
		}
		// IPv4 and NNN.NNN.NNNN: 1–3 digits and a dot follow this dot.
		if d > 3 {
			return false
		}
		k := runMax(t, j+1, cDigit, 4)
		return k > j+1 && k <= j+4 && byteAt(t, k) == '.'
	case '-':
		return (d == 3 && runMax(t, j+1, cDigit, 2) == j+3) || // SSN, NNN-NNN-NNNN
			(d == 1 && t[i] == '1' && runMax(t, j+1, cDigit, 4) == j+4 && byteAt(t, j+4) == '-') || // 1-NNN-NNN-NNNN
			(d == 4 && runMax(t, j+1, cDigit, 3) == j+4) || // 4111-1111-…
			(t[i] == '0' && nationalNext(t, j) && nationalWorth(t, i, j))
	case ' ':
		return (d == 4 && runMax(t, j+1, cDigit, 3) == j+4) || // 4111 1111 …
			(t[i] == '0' && nationalNext(t, j) && nationalWorth(t, i, j))
	case ':':
		return (d <= 4 && v6Start(t, i)) || (d >= 8 && d <= 10 && byteAt(t, j+1) == 'A') // Telegram bot token
	}
	return false
}

// nationalWorth reports whether the digits t[i:j], which start with '0',
// may start a national number with its trunk prefix ("020 7946 0958"):
// 2–5 digits, the second not 0, and after the separator at j a group that
// makes 10 digits or is followed by the same separator.
func nationalWorth(t string, i, j int) bool {
	d := j - i
	if d < 2 || d > 5 || t[i+1] == '0' {
		return false
	}
	k := runMax(t, j+1, cDigit, 9)
	return k-(j+1) >= 2 && (d+k-(j+1) >= 10 || byteAt(t, k) == t[j])
}

// nationalNext is nationalWorth's cheap first test, small enough to be
// inlined: the group after the separator at j is longer than two digits or
// followed by the same separator. It turns away dates ("2024-05-14T").
func nationalNext(t string, j int) bool {
	c := byteAt(t, j+3)
	return c == t[j] || isDigit(c)
}

// numNext marks the bytes after a number that numberWorth may accept.
var numNext = [256]bool{'.': true, '-': true, ' ': true, ':': true}

// pairs marks the two-byte word starts that word must look at: each row is a
// first byte, each bit a second byte.
var pairs [256][2]uint64

// prosePairs are the pairs only proseSecret looks at.
var prosePairs [256][2]uint64

func init() {
	add := func(a, b byte) { pairs[a][b>>6] |= 1 << (b & 63) }
	for _, p := range []string{"AK", "AS", "AG", "AI", "AR", "AN", "AP", "AB", "AC", "A3",
		"ey", "gh", "gi", "gl", "xo", "xa", "ho", "sk", "rk", "pk", "wh",
		"np", "hf", "SG", "do", "sh", "py", "di", "gs", "bo", "ya", "GO", "sq", "EA", "hv",
		"PA", "Pa", "pa", "ID", "Id", "id", "AU", "Du"} {
		add(p[0], p[1])
	}
	for _, a := range "bB" {
		for _, b := range "eEaA" {
			add(byte(a), byte(b))
		}
	}
	// IBANs (two capitals, two digits) are tested for by the main loop.
	// proseSecret's alone: token, secret, key, apikey, credential(s) in
	// lower case, capitalized and in capitals (password is "pa"; "AP" is
	// an AWS prefix's, so APIKEY is not looked at). No other detector looks
	// at a word starting so, nor can it be an IBAN or an IPv6 group.
	for _, p := range []string{"to", "se", "ke", "ap", "cr", "To", "Se", "Ke", "Ap", "Cr", "TO", "SE", "KE", "CR"} {
		add(p[0], p[1])
		prosePairs[p[0]][p[1]>>6] |= 1 << (p[1] & 63)
	}
}

// noUUIDSkip turns uuidSkip off, for the test that checks it changes no
// result.
var noUUIDSkip bool

// uuidSkip is called on the word t[i:w] of 8 bytes followed by '-'. When
// t[i:] is a UUID (8-4-4-4-12 hex digits, not followed by a word byte) it
// returns the UUID's end, skipping the dispatch of its five groups: no
// detector matches in one, nor starts in one and ends past it (a group after
// '-' is an identifier's part for the number detectors; no word prefix or
// IBAN fits in hex groups of these lengths). Otherwise it returns w.
func uuidSkip(t string, i, w int) int {
	e := i + 36
	if e > len(t) || noUUIDSkip || is(t, e, cWord) {
		return w
	}
	u := t[i:e]
	if u[13] != '-' || u[18] != '-' || u[23] != '-' ||
		hex4(u[0:4])&hex4(u[4:8])&hex4(u[9:13])&hex4(u[14:18])&hex4(u[19:23])&
			hex4(u[24:28])&hex4(u[28:32])&hex4(u[32:36])&cHex == 0 {
		return w
	}
	return e
}

// hex4 is the classes the four bytes of s have in common.
func hex4(s string) uint16 {
	_ = s[3]
	return cls[s[0]] & cls[s[1]] & cls[s[2]] & cls[s[3]]
}

func wordPair(a, b byte) bool { return b < 128 && pairs[a][b>>6]&(1<<(b&63)) != 0 }

func is(t string, i int, c uint16) bool { return i >= 0 && i < len(t) && cls[t[i]]&c != 0 }

// optionStart reports whether a command-line option may start at i: at the
// start of the text, after a blank, a quote, or the '[' of fmt's %v of a
// slice ("[--password hunter2]").
func optionStart(t string, i int) bool {
	return i == 0 || cls[t[i-1]]&cSpace != 0 || t[i-1] == '"' || t[i-1] == '\'' || t[i-1] == '['
}

func isDigit(b byte) bool { return b-'0' < 10 }

// byteAt returns t[i], or 0 when i is out of range.
func byteAt(t string, i int) byte {
	if i < 0 || i >= len(t) {
		return 0
	}
	return t[i]
}

// run returns the end of the run of bytes of class c that starts at i.
func run(t string, i int, c uint16) int {
	for i < len(t) && cls[t[i]]&c != 0 {
		i++
	}
	return i
}

// skipWord is run(t, i, cWord) for the main loop, eight bytes a step: most
// of the text is words, and this loop is the hottest in the package.
func skipWord(t string, i int) int {
	for i+8 <= len(t) {
		// The word bytes of the next eight as bits: the word ends at the
		// first zero, found without a branch per byte.
		s := t[i : i+8]
		m := wordTab[s[0]] | wordTab[s[1]]<<1 | wordTab[s[2]]<<2 | wordTab[s[3]]<<3 |
			wordTab[s[4]]<<4 | wordTab[s[5]]<<5 | wordTab[s[6]]<<6 | wordTab[s[7]]<<7
		if m != 0xff {
			return i + bits.TrailingZeros8(^m)
		}
		i += 8
	}
	for i < len(t) && wordTab[t[i]] != 0 {
		i++
	}
	return i
}

// wordTab is cls&cWord as bytes, for skipWord.
var wordTab [256]uint8

// runMax is run bounded to at most max bytes; the bound shows in the result.
func runMax(t string, i int, c uint16, max int) int {
	lim := min(len(t), i+max)
	for i < lim && cls[t[i]]&c != 0 {
		i++
	}
	return i
}
