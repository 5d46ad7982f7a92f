package scan

import "strings"

// email handles the '@' at at, or its URL encoding "%40" (then d is at+3;
// otherwise at+1): a local part of [A-Za-z0-9._%+-] (1–64 bytes, starting and
// ending with an alphanumeric, an escape sequence before it left out; of a
// longer run, its last 64 bytes) and a
// domain of 2+ dot-separated labels (alphanumerics, inner '-' and the bytes of
// internationalized names, 1–63 bytes each, 253 in all) whose last label is
// 2+ ASCII letters or an internationalized name. It returns where scanning
// resumes: after a match, its end; or the start of the domain when a path
// follows, so that a token that starts inside the domain and runs on into
// the path ("hooks.slack.com/services/…") is still found. No other detector
// runs on from a domain into the byte that ends it.
func (st *state) email(at, d int) int {
	t := st.text
	if c := byteAt(t, d); c == 't' || c == 'u' { // tcp(, unix(: a DSN
		if e := st.dsnCred(at, d); e > 0 {
			return e
		}
	}
	if d == at+1 && at > 2 {
		if e := st.oracleCred(at); e > 0 {
			return e
		}
	}
	if !st.set.Has(Email) {
		return at + 1
	}
	// Local part, never reaching into an earlier match.
	lo := max(st.lastEnd, at-65)
	ls := at
	for ls > lo && cls[t[ls-1]]&cLocal != 0 {
		ls--
	}
	if ls == at-65 && st.lastEnd < ls {
		// Longer than an address's 64 bytes ("…kkkkalice@example.com"):
		// its last 64, so that no address survives in a longer word; from
		// the start of the character the cut falls in.
		ls = at - 64
		for ls > st.lastEnd && t[ls]&0xc0 == 0x80 {
			ls--
		}
	}
	ls = afterEscapes(t, ls, at)
	if ls == at || !localEdge(t[at-1]) {
		return at + 1
	}
	if ls >= 3 && t[ls-3:ls] == "://" {
		return at + 1 // "ssh://git@host": a URL's user name, not an address
	}
	if ls > 0 && t[ls-1] == ':' && inURLUserinfo(t, ls) {
		return at + 1
	}
	e := domainEnd(t, d)
	if e == 0 {
		return at + 1
	}
	st.emit(ls, e, Email)
	if byteAt(t, e) == '/' {
		return d
	}
	return e
}

// afterEscapes returns where the local part whose candidate bytes run from ls
// to at starts: at its first alphanumeric, after the last URL escape of a byte
// that cannot be in a local part ("%22alice@…", "a%2Falice@…", not "a%2Bb@…"),
// and after a backslash escape ("\nalice@…").
func afterEscapes(t string, ls, at int) int {
	k := at - 3
	if strings.IndexByte(t[ls:at], '%') < 0 {
		k = ls - 1 // no escape: the common case
	}
	for ; k >= ls; k-- {
		if t[k] == '%' && allHex(t[k+1:k+3]) && cls[unhex(t[k+1])<<4|unhex(t[k+2])]&cLocal == 0 {
			ls = k + 3
			break
		}
	}
	for ls < at && !localEdge(t[ls]) {
		ls++
	}
	if ls > 0 && ls < at && t[ls-1] == '\\' {
		switch {
		case escLetter[t[ls]]:
			ls++
		case t[ls] == 'u' && ls+5 < at && allHex(t[ls+1:ls+5]):
			ls += 5
		}
		for ls < at && !localEdge(t[ls]) {
			ls++
		}
	}
	return ls
}

// localEdge reports whether a local part can start or end with byte c: an
// alphanumeric, or a byte of an internationalized name ("ålice", "jürgen.mü").
func localEdge(c byte) bool { return cls[c]&cAlnum != 0 || c >= 0x80 }

func unhex(c byte) byte {
	switch {
	case c <= '9':
		return c - '0'
	case c <= 'F':
		return c - 'A' + 10
	}
	return c - 'a' + 10
}

// highOnly reports whether every byte of s is outside ASCII.
func highOnly(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x80 {
			return false
		}
	}
	return true
}

// domainEnd returns the end of a dotted domain name with an alphabetic TLD
// that starts at d, or 0. A trailing '.' (end of a sentence) is not included,
// nor is a last label that cannot be a TLD ("….com.5", "….com-x").
func domainEnd(t string, d int) int {
	e := runMax(t, d, cDomain, 254)
	if e-d == 254 {
		return 0
	}
	for e > d && (t[e-1] == '.' || t[e-1] == '-') {
		e--
	}
	if e == d || (is(t, e, cWord) && t[e] != '_') { // "alice@example.com_2024.csv": an address
		return 0
	}
	labels := 0
	for rest := t[d:e]; ; labels++ {
		j := strings.IndexByte(rest, '.')
		l := rest
		if j >= 0 {
			l = rest[:j]
		}
		if len(l) == 0 || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' {
			return 0
		}
		if j < 0 {
			labels++
			break
		}
		rest = rest[j+1:]
	}
	if labels < 2 {
		return 0
	}
	// The last label must be 2+ letters. When it is not, a shorter name may
	// still be an address followed by punctuation: "a@example.com.w" and
	// "a@example.com-w" hold a@example.com.
	for {
		ts := d + strings.LastIndexByte(t[d:e], '.') + 1
		tld := t[ts:e]
		n := run(tld, 0, cUpper|cLower)
		if n == len(tld) && n >= 2 {
			return e
		}
		if n >= 2 && (tld[n] == '-' || tld[n] >= 0x80) {
			return ts + n // "a@example.com-w", "a@example.com。" (text goes on)
		}
		if n == 0 && len(tld) >= 2 && highOnly(tld) {
			return e // an internationalized TLD (.中国, .рф)
		}
		if labels--; labels < 2 {
			return 0
		}
		e = ts - 1
	}
}
