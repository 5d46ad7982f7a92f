package scan

import "strings"

// pem handles a '-' at i: a PEM private-key block (see privateKeyEnd). It
// returns where scanning resumes.
func (st *state) pem(i int) int {
	t := st.text
	if byteAt(t, i+1) != '-' || !st.set.Has(PrivateKey) {
		return i + 1
	}
	e := privateKeyEnd(t, i)
	if e > 0 && st.emit(i, e, PrivateKey) {
		return e
	}
	return i + 1
}

// privateKeyEnd recognizes a PEM block whose label, of upper-case letters,
// digits and blanks, contains "PRIVATE KEY" ("-----BEGIN RSA PRIVATE
// KEY-----", "… OPENSSH PRIVATE KEY…", "PGP PRIVATE KEY BLOCK", …) at i and
// returns its end, or 0. The span runs from
// "-----BEGIN" through the closing "-----END …-----"; without an END it runs
// to the end of text (fail closed).
func privateKeyEnd(t string, i int) int {
	const begin, end = "-----BEGIN ", "-----END "
	if !strings.HasPrefix(t[i:], begin) {
		return 0
	}
	h := i + len(begin)
	l := strings.Index(t[h:min(len(t), h+64)], "-----")
	if l < 0 || !strings.Contains(t[h:h+l], "PRIVATE KEY") || run(t, h, cUpper|cDigit|cSpace) < h+l {
		return 0 // labels are upper-case words ("RSA PRIVATE KEY"): no placeholder of an earlier pass
	}
	body := h + l + 5
	e := len(t)
	if k := strings.Index(t[body:], end); k >= 0 {
		f := body + k + len(end)
		if c := strings.Index(t[f:min(len(t), f+64)], "-----"); c >= 0 {
			e = f + c + 5
		} else {
			e = min(len(t), f+run(t, f, cUpper|cSpace))
		}
	}
	return e
}
