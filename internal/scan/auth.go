package scan

import (
	"encoding/base64"
	"strings"
)

// authScheme handles "Bearer <token>" and "Basic <base64>" (scheme matched
// case-insensitively) for the word t[i:w]. The span is the credential only.
// It returns where scanning resumes, or 0 when nothing matched.
func (st *state) authScheme(i, w int) int {
	t := st.text
	var k Kind
	switch word := t[i:w]; {
	case strings.EqualFold(word, "bearer"):
		k = BearerToken
	case strings.EqualFold(word, "basic"):
		k = BasicAuth
	default:
		return 0
	}
	if !st.set.Has(k) {
		return 0
	}
	a := w
	for a < len(t) && a-w < 4 && cls[t[a]]&cSpace != 0 {
		a++
	}
	if a == w {
		return 0
	}
	var e int
	if k == BearerToken {
		e = bearerEnd(t, a)
	} else {
		e = basicEnd(t, a)
	}
	if e == 0 || !st.emit(a, e, k) {
		return 0
	}
	return e
}

// saslAuth handles the SMTP, IMAP or POP3 command AUTH (its word ends at w)
// with a SASL mechanism whose initial response carries the credentials, as a
// mail client's debug log shows it: "AUTH PLAIN AGJvYgBodW50ZXIy" (base64 of
// user and password), "AUTH XOAUTH2 dXNlcj1…" (an OAuth token). The span is
// the response. It returns its end, or 0.
func (st *state) saslAuth(w int) int {
	t := st.text
	if !st.set.Has(GenericSecret) {
		return 0
	}
	if byteAt(t, w) == '"' && byteAt(t, w+1) == ' ' && w > 4 && t[w-5] == '"' {
		return st.redisAuth(w + 2) // a Redis MONITOR line: "AUTH" "x"
	}
	if byteAt(t, w) != ' ' {
		return 0
	}
	m := w + 1
	me := run(t, m, cUpper|cDigit)
	switch t[m:me] {
	case "PLAIN", "XOAUTH2", "OAUTHBEARER":
	default:
		return st.redisAuth(m)
	}
	if byteAt(t, me) != ' ' {
		return 0
	}
	a := me + 1
	e := run(t, a, cB64)
	for byteAt(t, e) == '=' && e-a < maxVendorToken {
		e++
	}
	if e-a < 8 || is(t, e, cWord) || run(t, a, cUpper|cDigit) >= e || !st.emit(a, e, GenericSecret) {
		return 0 // short, or another mechanism's name ("250-AUTH PLAIN OAUTHBEARER")
	}
	return e
}

// redisAuth handles Redis's AUTH command, whose arguments start at a:
// "AUTH <password>" or, with ACLs, "AUTH <username> <password>", as a client's
// command log or a MONITOR line ("AUTH" "x", quoted) shows it. The password
// is matched when it looks random (randomLooking: "AUTH failed", "AUTH
// required" and a mechanism's name are not); a username before it does not.
// It returns the password's end, or 0.
func (st *state) redisAuth(a int) int {
	t := st.text
	vs, ve, next, _ := value(t, a)
	if !randomLooking(t[vs:ve]) {
		// A username, and the password after it on the same line.
		if byteAt(t, next) != ' ' {
			return 0
		}
		if vs, ve, next, _ = value(t, next+1); !randomLooking(t[vs:ve]) {
			return 0
		}
	}
	if placeholder(t[vs:ve]) || strings.Contains(t[vs:ve], "://") || !st.emit(vs, ve, GenericSecret) {
		return 0
	}
	return next
}

// bearerEnd returns the end of an RFC 6750 b64token at a, or 0. A token of
// letters only must be at least 20 bytes long, so prose such as "bearer of
// the token" is not a credential; "Bearer realm=…" (an auth-param) is not
// either. Trailing '=' is padding unless a word or quote follows it: then the
// token ends before it ("Bearer abc.123=x" holds abc.123).
func bearerEnd(t string, a int) int {
	e := run(t, a, cBearer)
	for e > a && t[e-1] == '.' {
		e--
	}
	if e == a {
		return 0
	}
	if byteAt(t, e) == '=' {
		q := e
		for byteAt(t, q) == '=' {
			q++
		}
		if is(t, q, cWord) || byteAt(t, q) == '"' {
			// Not padding. "realm=", "error=": an auth-param, not a
			// credential; after anything else the '=' is punctuation.
			if paramName(t[a:e]) {
				return 0
			}
			q = e
		}
		e = q
	}
	if e-a < 20 {
		letters := true
		for j := a; j < e; j++ {
			if cls[t[j]]&(cUpper|cLower) == 0 {
				letters = false
				break
			}
		}
		if letters {
			return 0
		}
	}
	return e
}

// paramName reports whether s can be an auth-param name: letters, '_', '-'.
func paramName(s string) bool {
	for j := 0; j < len(s); j++ {
		if c := s[j]; cls[c]&(cUpper|cLower) == 0 && c != '_' && c != '-' {
			return false
		}
	}
	return true
}

// basicEnd returns the end of a Basic credential at a: standard base64 that
// decodes to "user:password" (a ':' within the first 192 decoded bytes), or 0.
func basicEnd(t string, a int) int {
	e := run(t, a, cB64)
	q := e
	for byteAt(t, q) == '=' && q-e < 2 {
		q++
	}
	if is(t, q, cWord) || e-a < 4 {
		return 0
	}
	data := t[a:e]
	const maxEnc = 256
	if len(data) > maxEnc {
		data = data[:maxEnc]
	} else if len(data)%4 == 1 {
		return 0
	}
	var src [maxEnc]byte
	var buf [maxEnc / 4 * 3]byte
	n, err := base64.RawStdEncoding.Decode(buf[:], src[:copy(src[:], data)])
	if err != nil {
		return 0
	}
	for _, b := range buf[:n] {
		if b == ':' {
			return q
		}
	}
	return 0
}

// authorityEnd marks the bytes that end a URL authority.
var authorityEnd = func() (m [256]bool) {
	for c := 0; c <= ' '; c++ {
		m[c] = true
	}
	for _, c := range "/?#\"'<>`\\" {
		m[c] = true
	}
	m[0x7f] = true
	return m
}()

// urlCred handles "scheme://userinfo@host" at the ':' at i. The span is the
// userinfo ("user:password"); a userinfo without a password counts only when
// it looks like a token (16+ base64url bytes, 3.5+ bits of entropy per byte).
// It returns the position of the '@', or 0 when there is no credential.
func (st *state) urlCred(i int) int {
	t := st.text
	if !st.set.Has(URLCredential) || !is(t, i-1, cAlnum) {
		return 0
	}
	a := i + 3
	lim := min(len(t), a+256)
	at := -1
	for k := a; k < lim && !authorityEnd[t[k]]; k++ {
		if t[k] == '@' {
			at = k
		}
	}
	if at <= a {
		return 0
	}
	ui := t[a:at]
	if c := strings.IndexByte(ui, ':'); c >= 0 {
		if c == len(ui)-1 {
			return 0 // "user:@": no password
		}
	} else if len(ui) < 16 || run(ui, 0, cB64URL) != len(ui) || entropy(ui) < 3.5 {
		return 0
	}
	if !st.emit(a, at, URLCredential) {
		return 0
	}
	return at
}

// dsnCred handles the '@' at at (the host starts at d) of a Go database DSN,
// "user:password@tcp(host:3306)/db" as the MySQL driver writes it: the
// span is the userinfo, as in a URL. It returns the end of the match, or 0.
func (st *state) dsnCred(at, d int) int {
	t := st.text
	if !st.set.Has(URLCredential) || d != at+1 || !dsnNet(t[d:]) {
		return 0
	}
	s := at
	for s > st.lastEnd && at-s < 256 && cls[t[s-1]]&cValue != 0 && t[s-1] != '/' { // a password may hold '@'
		s--
	}
	c := strings.IndexByte(t[s:at], ':')
	if c <= 0 || s+c+1 == at || !st.emit(s, at, URLCredential) {
		return 0 // no user, or no password
	}
	return at + 1
}

// dsnNet reports whether h starts with the network of a DSN's address:
// tcp(, tcp4(, tcp6(, udp(, unix(.
func dsnNet(h string) bool {
	switch byteAt(h, 0) {
	case 't':
		return strings.HasPrefix(h, "tcp(") || strings.HasPrefix(h, "tcp4(") || strings.HasPrefix(h, "tcp6(")
	case 'u':
		return strings.HasPrefix(h, "udp(") || strings.HasPrefix(h, "unix(")
	}
	return false
}

// inURLUserinfo reports whether position p (the start of an e-mail local part
// preceded by ':') sits in "scheme://user:" — a URL credential, not an address.
func inURLUserinfo(t string, p int) bool {
	k := p - 1 // the ':'
	lo := max(0, k-256)
	for k > lo && !authorityEnd[t[k-1]] {
		k--
	}
	return k >= 3 && t[k-1] == '/' && t[k-2] == '/' && t[k-3] == ':'
}

// oracleCred handles the '@' at at of an Oracle connect string,
// user/password@database, where it is one: after "jdbc:oracle:thin:" or
// "oci:", after userid= (Data Pump, SQL*Loader), after SQL*Plus's CONNECT or
// CONN, after sqlplus, expdp, impdp, sqlldr or dgmgrl (options between are
// skipped: "sqlplus -s -L scott/tiger@db"), and after rman's target,
// auxiliary and catalog. The span is the password. Without such a word
// before, "library/nginx@sha256:…" and "golang.org/x/mod@v0.1.0" are no
// credentials. It returns where scanning resumes, or 0.
func (st *state) oracleCred(at int) int {
	t := st.text
	if !st.set.Has(GenericSecret) {
		return 0
	}
	ps := at // the password: back to the '/'
	for ps > st.lastEnd && at-ps < 128 && cls[t[ps-1]]&cValue != 0 && t[ps-1] != '/' && t[ps-1] != '@' {
		ps--
	}
	if ps == at || ps < 2 || t[ps-1] != '/' {
		return 0
	}
	us := ps - 1 // the user: a name, or sys, or a schema with '$' or '#'
	for us > st.lastEnd && ps-us < 130 && (cls[t[us-1]]&cWord != 0 || t[us-1] == '$' || t[us-1] == '#') {
		us--
	}
	if us == ps-1 || !oracleContext(t, us) || placeholder(t[ps:at]) {
		return 0
	}
	if !st.emit(ps, at, GenericSecret) {
		return 0
	}
	return at + 1
}

// oracleContext reports whether an Oracle user/password@database at us
// follows a word that says it is one (see oracleCred).
func oracleContext(t string, us int) bool {
	before := t[max(0, us-17):us]
	if strings.HasSuffix(before, "oracle:thin:") || strings.HasSuffix(before, "oracle:oci:") {
		return true
	}
	i := us
	if c := byteAt(t, i-1); c == '"' || c == '\'' {
		i-- // sqlplus "scott/tiger@db"
	}
	if byteAt(t, i-1) == '=' {
		s := i - 1
		for s > 0 && cls[t[s-1]]&cWord != 0 && i-1-s < 6 {
			s--
		}
		return foldIs(t[s:i-1], "userid") && (s == 0 || cls[t[s-1]]&cKey == 0)
	}
	if c := byteAt(t, i-1); c != ' ' && c != '\t' {
		return false
	}
	for range 4 { // the command, after up to three options
		ws, we := prevWord(t, i)
		w := t[ws:we]
		if w == "" {
			return false
		}
		if w[0] != '-' {
			w = w[strings.LastIndexByte(w, '/')+1:] // /u01/app/oracle/bin/sqlplus
			switch len(w) {
			case 4:
				return foldIs(w, "conn")
			case 5:
				return w == "expdp" || w == "impdp"
			case 6:
				return w == "sqlldr" || w == "dgmgrl" || foldIs(w, "target")
			case 7:
				return w == "sqlplus" || foldIs(w, "connect") || foldIs(w, "catalog")
			case 9:
				return foldIs(w, "auxiliary")
			}
			return false
		}
		i = ws
	}
	return false
}
