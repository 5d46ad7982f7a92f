package scan

import "strings"

// email handles the '@' at at: a local part of [A-Za-z0-9._%+-] (1–64 bytes,
// starting and ending with an alphanumeric) and a domain of 2+ dot-separated
// labels (alphanumerics and inner '-', 1–63 bytes each, 253 in all) whose last
// label is 2+ letters. It returns where scanning resumes.
func (st *state) email(at int) int {
	if !st.set.Has(Email) {
		return at + 1
	}
	t := st.text
	// Local part, never reaching into an earlier match.
	lo := max(st.lastEnd, at-65)
	ls := at
	for ls > lo && cls[t[ls-1]]&cLocal != 0 {
		ls--
	}
	if ls == at-65 && st.lastEnd < ls {
		return at + 1 // longer than 64 bytes
	}
	for ls < at && cls[t[ls]]&cAlnum == 0 {
		ls++
	}
	if ls == at || cls[t[at-1]]&cAlnum == 0 {
		return at + 1
	}
	if ls >= 3 && t[ls-3:ls] == "://" {
		return at + 1 // "ssh://git@host": a URL's user name, not an address
	}
	if ls > 0 && t[ls-1] == ':' && inURLUserinfo(t, ls) {
		return at + 1
	}
	e := domainEnd(t, at+1)
	if e == 0 {
		return at + 1
	}
	st.emit(ls, e, Email)
	return e
}

// domainEnd returns the end of a dotted domain name with an alphabetic TLD
// that starts at d, or 0. A trailing '.' (end of a sentence) is not included.
func domainEnd(t string, d int) int {
	e := runMax(t, d, cDomain, 254)
	if e-d == 254 {
		return 0
	}
	for e > d && (t[e-1] == '.' || t[e-1] == '-') {
		e--
	}
	if e == d || is(t, e, cWord) {
		return 0
	}
	labels, lstart := 0, d
	for j := d; j <= e; j++ {
		if j < e && t[j] != '.' {
			continue
		}
		l := t[lstart:j]
		if len(l) == 0 || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' {
			return 0
		}
		labels++
		lstart = j + 1
	}
	if labels < 2 {
		return 0
	}
	tld := t[d+strings.LastIndexByte(t[d:e], '.')+1 : e]
	if len(tld) < 2 {
		return 0
	}
	for k := 0; k < len(tld); k++ {
		if cls[tld[k]]&(cUpper|cLower) == 0 {
			return 0
		}
	}
	return e
}
