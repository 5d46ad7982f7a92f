package scan

// cardEnd recognizes a payment card number at i and returns its end, or 0.
// Accepted forms: 13–19 contiguous digits, or a 4-digit group followed by
// groups of 3–6 digits joined by one consistent separator (' ' or '-'), 13–19
// digits in all; a number grouped by fours may end with a group of 1 or 2
// ("3056 9309 0259 04"). The digits must carry a known IIN prefix with a length the
// network issues, and pass the Luhn check. When groups run past 19 digits the
// longest valid prefix of groups is taken.
func cardEnd(t string, i int) int {
	if idContext(t, i) {
		return 0
	}
	var digits [19]byte
	j := run(t, i, cDigit)
	if d := j - i; d >= 13 && d <= 19 {
		if numberBoundary(t, j) && validCard(t[i:j]) {
			return j
		}
		return 0
	}
	if j-i != 4 {
		return 0
	}
	sep := byteAt(t, j)
	if sep != ' ' && sep != '-' {
		return 0
	}
	nd := copy(digits[:], t[i:j])
	var ends, counts [5]int // candidates with 13+ digits: where each ends, how many digits
	nc := 0
	e := j
	fours := true // every group so far has 4 digits
	for nc < len(ends) && byteAt(t, e) == sep && is(t, e+1, cDigit) {
		g := run(t, e+1, cDigit)
		gl := g - (e + 1)
		last := gl < 3 && fours && nd+gl >= 13 // "3056 9309 0259 04": grouped by fours, a short last group
		if (gl < 3 && !last) || gl > 6 || nd+gl > 19 {
			break
		}
		fours = fours && gl == 4
		nd += copy(digits[nd:], t[e+1:g])
		e = g
		if nd >= 13 {
			ends[nc], counts[nc] = e, nd
			nc++
		}
		if last {
			break
		}
	}
	for c := nc - 1; c >= 0; c-- {
		end := ends[c]
		if (is(t, end, cWord) || byteAt(t, end) == '.' && is(t, end+1, cDigit)) || !validCard(digits[:counts[c]]) {
			continue
		}
		return end
	}
	return 0
}

// validCard reports whether the digit string has a known IIN, a length that
// network issues, and a valid Luhn check digit.
func validCard[S ~string | ~[]byte](d S) bool {
	n := len(d)
	p2 := int(d[0]-'0')*10 + int(d[1]-'0')
	p3 := p2*10 + int(d[2]-'0')
	p4 := p3*10 + int(d[3]-'0')
	ok := false
	switch {
	case d[0] == '4': // Visa
		ok = n == 13 || n == 16 || n == 19
	case p2 >= 51 && p2 <= 55, p4 >= 2221 && p4 <= 2720: // Mastercard
		ok = n == 16
	case p2 == 34 || p2 == 37: // American Express
		ok = n == 15
	case p4 == 6011, p2 == 65, p3 >= 644 && p3 <= 649: // Discover
		ok = n >= 16
	case p4 >= 3528 && p4 <= 3589: // JCB
		ok = n >= 16
	case p2 == 36, p2 == 38, p3 >= 300 && p3 <= 305: // Diners Club
		ok = n >= 14
	case p2 == 62: // UnionPay
		ok = n >= 16
	}
	return ok && luhn(d)
}

// luhn reports whether the digit string passes the Luhn (mod 10) check.
func luhn[S ~string | ~[]byte](d S) bool {
	sum := 0
	double := false
	for i := len(d) - 1; i >= 0; i-- {
		v := int(d[i] - '0')
		if double {
			v *= 2
			if v > 9 {
				v -= 9
			}
		}
		sum += v
		double = !double
	}
	return sum%10 == 0
}
