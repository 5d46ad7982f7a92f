package scan

// Boundaries.
//
// A detector's match must stand alone: it may not start or end inside a
// word, where a word is a run of [A-Za-z0-9_] (so '_' joins, as in \w: a
// value glued to an identifier by '_' is part of that identifier). Every
// other ASCII byte separates, unless the detector's own grammar gives it a
// meaning there; those exceptions are listed in the package documentation
// under "Boundaries" and pinned by TestBoundaries.
//
// Escape sequences are separators too, although their last bytes are word
// bytes: "\n", "\r", "\t", "\b", "\f" and "\uXXXX" in JSON or Go string
// literals, and "%XX" in URLs. The main loop steps over an escape so that the
// word after it is looked at, and wordBefore does not count the escape's tail
// as a word.

// escLetter marks the bytes that end a one-letter backslash escape.
var escLetter = [256]bool{'n': true, 'r': true, 't': true, 'b': true, 'f': true}

// escapeBefore reports whether the bytes just before i end an escape
// sequence: "\n" and its kin, "\uXXXX" or "%XX".
func escapeBefore(t string, i int) bool {
	switch {
	case i >= 2 && t[i-2] == '\\' && escLetter[t[i-1]]:
		return true
	case i >= 3 && t[i-3] == '%' && cls[t[i-2]]&cls[t[i-1]]&cHex != 0:
		return true
	case i >= 6 && t[i-6] == '\\' && t[i-5] == 'u' && allHex(t[i-4:i]):
		return true
	}
	return false
}

// wordBefore reports whether position i continues a word: the byte before
// it is a word byte that is not the tail of an escape sequence.
func wordBefore(t string, i int) bool {
	return i > 0 && cls[t[i-1]]&cWord != 0 && !escapeBefore(t, i)
}

// escape handles '$' at i (cryptHash), '~' (aadSecret), "\\u0040" (an '@' as JSON may
// escape it: "alice\u0040example.com") and other escapes ('\\' or '%',
// escapeEnd). It returns where scanning resumes.
func (st *state) escape(i int) int {
	t := st.text
	switch {
	case t[i] == '$':
		return st.cryptHash(i)
	case t[i] == '~':
		return st.aadSecret(i)
	case t[i] == '\\' && i+6 <= len(t) && t[i+1]|0x20 == 'u' && t[i+2:i+6] == "0040":
		return st.email(i, i+6)
	}
	return escapeEnd(t, i)
}

// escapeEnd returns where the escape sequence at i ('\\' or '%') ends, so
// that the next byte starts a word, or i+1 when there is none.
func escapeEnd(t string, i int) int {
	if t[i] == '%' {
		if is(t, i+1, cHex) && is(t, i+2, cHex) {
			return i + 3
		}
		return i + 1
	}
	switch c := byteAt(t, i+1); {
	case escLetter[c]:
		return i + 2
	case c == 'u' && i+6 <= len(t) && allHex(t[i+2:i+6]):
		return i + 6
	}
	return i + 1
}

// idContext reports whether the number at i continues an identifier or a
// dotted number, so it is not a card, SSN or national phone number:
// "ORD-…" (a '-' after an alphanumeric) or "1.…" (a '.' after a digit). The
// main loop never starts a number inside a word ("x4…", "id_4…"). Any other
// punctuation separates: "/users/4111…", "x.4111…", "+4111…", "#4111…".
func idContext(t string, i int) bool {
	switch byteAt(t, i-1) {
	case '.':
		return is(t, i-2, cDigit)
	case '-':
		return is(t, i-2, cAlnum)
	}
	return false
}

// v6Start reports whether an IPv6 address may start at i. Not inside a word
// and not after '.' (a dotted tail such as "1.2001:db8::1" is something
// else); after ':' only when the ':' ends a key ("ip:", "peer:", "client_ip:"):
// a word of letters and '_' that cannot be a hex group. After any other ':'
// the text is more likely part of a longer colon-separated run (a time, a MAC
// address, "std::", "x_2001:db8:…").
func v6Start(t string, i int) bool {
	if i == 0 || cls[t[i-1]]&(cWord|cV6) == 0 {
		return true // the common case, kept cheap enough to inline
	}
	return v6After(t, i)
}

// v6After is v6Start after a word byte, ':' or '.'.
func v6After(t string, i int) bool {
	switch t[i-1] {
	case '.':
		return false
	case ':':
		k := i - 1
		ws := k
		for ws > 0 && k-ws < maxKey && (cls[t[ws-1]]&(cUpper|cLower) != 0 || t[ws-1] == '_') {
			ws--
		}
		return ws < k && !allHex(t[ws:k]) && !wordBefore(t, ws)
	}
	return !wordBefore(t, i)
}
