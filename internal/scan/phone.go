package scan

// ssnEnd recognizes a US social security number NNN-NN-NNNN at i and returns
// its end, or 0. The area may not be 000, 666 or 900–999, the group not 00,
// the serial not 0000.
func ssnEnd(t string, i int) int {
	if idContext(t, i) || len(t)-i < 11 {
		return 0
	}
	s := t[i : i+11]
	for k := 0; k < 11; k++ {
		if k == 3 || k == 6 {
			if s[k] != '-' {
				return 0
			}
		} else if !isDigit(s[k]) {
			return 0
		}
	}
	if !numberBoundary(t, i+11) {
		return 0
	}
	area := s[:3]
	if area == "000" || area == "666" || area[0] == '9' || s[4:6] == "00" || s[7:] == "0000" {
		return 0
	}
	return i + 11
}

// nanpEnd recognizes a North American number NNN-NNN-NNNN or NNN.NNN.NNNN
// (sep is '-' or '.') at i and returns its end, or 0. The area code must not
// start with 0 or 1.
func nanpEnd(t string, i int, sep byte) int {
	if idContext(t, i) || len(t)-i < 12 || t[i] < '2' {
		return 0
	}
	if e := groups(t, i, sep, 3, 3, 4); e > 0 && numberBoundary(t, e) {
		return e
	}
	return 0
}

// nanp1End recognizes a North American number written with its country
// code, 1-NNN-NNN-NNNN, at i and returns its end, or 0. (With dots,
// 1.555.123.4567 is a dotted number.)
func nanp1End(t string, i int) int {
	if idContext(t, i) || t[i] != '1' || byteAt(t, i+1) != '-' || byteAt(t, i+2) < '2' {
		return 0
	}
	if e := groups(t, i+2, '-', 3, 3, 4); e > 0 && numberBoundary(t, e) {
		return e
	}
	return 0
}

// nationalEnd recognizes a national number written with its trunk prefix
// 0 at i ("020 7946 0958", "06 12 34 56 78", "030-1234567",
// "090-1234-5678", "0412 345 678") and returns its end, or 0: a first group
// of 2–5 digits starting with 0 and another digit, then one to four groups
// of 2–8 digits joined by the separator that follows it (one of " -."),
// 10–12 digits in all. With ' ' a number ends once it has 10 digits and the next
// group would take it past 12, so a count that follows it in prose is not
// swallowed; with '-' or '.' more digits than 12 make it an identifier.
func nationalEnd(t string, i int) int {
	if idContext(t, i) || i > 0 && (isDigit(t[i-1]) || t[i-1] == '+') {
		return 0
	}
	if i >= 2 && (t[i-1] == ' ' || t[i-1] == '-' || t[i-1] == '.') && isDigit(t[i-2]) {
		return 0 // the tail of a longer run of groups
	}
	g := run(t, i, cDigit)
	if g-i < 2 || g-i > 5 || t[i] != '0' || t[i+1] == '0' {
		return 0
	}
	sep := byteAt(t, g)
	if sep != ' ' && sep != '-' && sep != '.' {
		return 0
	}
	nd, end, ng := g-i, g, 1
	for byteAt(t, end) == sep && is(t, end+1, cDigit) {
		e := run(t, end+1, cDigit)
		n := e - (end + 1)
		if n < 2 || n > 8 || nd+n > 12 || ng == 5 {
			if sep == ' ' && nd >= 10 {
				break
			}
			return 0
		}
		nd, end, ng = nd+n, e, ng+1
	}
	if nd < 10 || end == g || !numberBoundary(t, end) {
		return 0
	}
	return end
}

// groups matches digit groups of exactly the given lengths joined by sep at i
// and returns the end, or 0.
func groups(t string, i int, sep byte, lens ...int) int {
	for k, l := range lens {
		if k > 0 {
			if byteAt(t, i) != sep {
				return 0
			}
			i++
		}
		if runMax(t, i, cDigit, l+1)-i != l {
			return 0
		}
		i += l
	}
	return i
}

// paren handles the '(' at i: the values of an SQL INSERT (sqlValues), or a
// national phone number, "(415) 555-0132" (parenPhone).
func (st *state) paren(i int) int {
	if b := byteAt(st.text, i-1); b == ' ' || b|0x20 == 's' || b == '\t' {
		if e := st.sqlValues(i); e > 0 {
			return e
		}
		if e := st.keyDetail(i); e > 0 {
			return e
		}
	}
	return st.parenPhone(i)
}

// parenPhone handles "(NNN) NNN-NNNN" and its variants ("(NNN)NNN-NNNN",
// "(NNN) NNN.NNNN", "(NNN) NNN NNNN") at the '(' at i. The span includes the
// parentheses.
func (st *state) parenPhone(i int) int {
	t := st.text
	if !st.set.Has(Phone) || wordBefore(t, i) || len(t)-i < 13 {
		return i + 1
	}
	if runMax(t, i+1, cDigit, 4) != i+4 || t[i+5-1] != ')' || t[i+1] < '2' {
		return i + 1
	}
	j := i + 5
	if t[j] == ' ' {
		j++
	}
	if runMax(t, j, cDigit, 4) != j+3 {
		return i + 1
	}
	sep := byteAt(t, j+3)
	if sep != '-' && sep != '.' && sep != ' ' {
		return i + 1
	}
	e := groups(t, j, sep, 3, 4)
	if e == 0 || !numberBoundary(t, e) || !st.emit(i, e, Phone) {
		return i + 1
	}
	return e
}

// e164 handles an international number at the '+' at i: a non-zero first
// digit, then digit groups joined by one or two separators from " -.()"
// (parentheses balanced, at most one pair), 8–15 digits in all. Groups are
// taken while the total stays within 15; after 11 digits a space ends the
// number, so a count that follows it in prose is not swallowed.
func (st *state) e164(i int) int {
	t := st.text
	if !st.set.Has(Phone) || wordBefore(t, i) || byteAt(t, i-1) == '+' || !is(t, i+1, cDigit) || t[i+1] == '0' || placeholderBefore(t, i) {
		return i + 1 // glued to a word, or to an earlier pass's placeholder ("0+1…" was "[PHONE]+1…")
	}
	nd, end, j := 0, 0, i+1
	open, closed := false, false
	for {
		g := run(t, j, cDigit)
		if nd+g-j > 15 {
			if end == 0 {
				return i + 1 // one run of 16+ digits: not a phone number
			}
			break
		}
		nd += g - j
		end = g
		// Separator: one or two of " -.()", then a digit.
		k, o, c := g, open, closed
		for s := 0; s < 2 && k < len(t); s++ {
			b := t[k]
			if b == ' ' && nd >= 11 {
				break
			}
			if b == ' ' || b == '-' || b == '.' {
				k++
			} else if b == '(' && !o {
				o = true
				k++
			} else if b == ')' && o && !c {
				c = true
				k++
			} else {
				break
			}
		}
		if k == g || !is(t, k, cDigit) {
			break
		}
		j, open, closed = k, o, c
	}
	if nd < 8 || open != closed || is(t, end, cWord) {
		return i + 1
	}
	// What follows the '+' may read better as a card number (16+ digits,
	// or 4-4-4-4 groups of which E.164 would take 12) or as an IPv4
	// address: then the number detectors take it from i+1.
	if (st.set.Has(Card) && cardEnd(t, i+1) > 0) || (st.set.Has(IPv4) && ipv4End(t, i+1) > 0) {
		return i + 1
	}
	if !st.emit(i, end, Phone) {
		return i + 1
	}
	return end
}
