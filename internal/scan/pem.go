package scan

import "strings"

// pem handles a '-' at i: a PEM block whose label contains "PRIVATE KEY"
// ("-----BEGIN RSA PRIVATE KEY-----", "… OPENSSH PRIVATE KEY…", "PGP PRIVATE
// KEY BLOCK", …). The span runs from "-----BEGIN" through the closing
// "-----END …-----"; without an END it runs to the end of text (fail closed).
func (st *state) pem(i int) int {
	t := st.text
	const begin, end = "-----BEGIN ", "-----END "
	if byteAt(t, i+1) != '-' || !strings.HasPrefix(t[i:], begin) || !st.set.Has(PrivateKey) {
		return i + 1
	}
	h := i + len(begin)
	l := strings.Index(t[h:min(len(t), h+64)], "-----")
	if l < 0 || !strings.Contains(t[h:h+l], "PRIVATE KEY") {
		return h
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
	st.emit(i, e, PrivateKey)
	return e
}
