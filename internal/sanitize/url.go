package sanitize

import (
	"net/url"
	"strings"
	"unicode/utf8"
)

// URL returns u with userinfo replaced by REDACTED:REDACTED (REDACTED when
// there is no password) and the values of query parameters for which
// sensitive(name) is true replaced by REDACTED. A nil sensitive uses
// [DefaultSensitiveParam]; it receives the parameter name percent-decoded.
//
// u may be an absolute or relative URL, or a bare query string as found in
// url.query ("a=1&token=x"). Everything that is not redacted is kept byte for
// byte: the raw query is edited in place, never re-encoded or reordered.
// Besides the query, these are checked too:
//   - the fragment, parsed as a query (OAuth implicit flow returns
//     "#access_token=..."; SPA routes look like "#/cb?code=...");
//   - path parameters such as ";jsessionid=...";
//   - parameter values that themselves hold a URL or query (a redirect_uri,
//     percent-encoded or not): if sanitizing the value would change it, the
//     whole value is replaced.
//
// Parameters are separated by '&' or ';'. Nothing is ever parsed strictly, so
// a malformed URL is sanitized the same way; anything that looks like
// userinfo (text before '@' in the authority, or in the first path segment of
// a URL without "//") is replaced. Input longer than [MaxLen] is replaced by
// [URLMarker]; invalid UTF-8 in the result is replaced by U+FFFD.
func URL(u string, sensitive func(name string) bool) string {
	if len(u) > MaxLen {
		return URLMarker
	}
	if sensitive == nil {
		sensitive = DefaultSensitiveParam
	}
	out, _ := sanitizeURL(u, sensitive, 0)
	if !utf8.ValidString(out) {
		out = strings.ToValidUTF8(out, "\uFFFD")
	}
	return out
}

// maxNesting bounds how deep URL looks into parameter values holding URLs.
const maxNesting = 2

// editor rewrites ranges of src in increasing order, copying only once the
// first edit is made.
type editor struct {
	src  string
	buf  []byte
	last int
}

func (e *editor) replace(from, to int, repl string) {
	if e.buf == nil {
		e.buf = make([]byte, 0, len(e.src)+len(repl))
	}
	e.buf = append(e.buf, e.src[e.last:from]...)
	e.buf = append(e.buf, repl...)
	e.last = to
}

func (e *editor) result() (string, bool) {
	if e.buf == nil {
		return e.src, false
	}
	e.buf = append(e.buf, e.src[e.last:]...)
	return string(e.buf), true
}

// sanitizeURL does the work of URL; changed reports whether anything was
// redacted.
func sanitizeURL(s string, sensitive func(string) bool, depth int) (out string, changed bool) {
	e := editor{src: s}
	end := len(s) // end of the part before the fragment
	if i := strings.IndexByte(s, '#'); i >= 0 {
		end = i
	}
	q := strings.IndexByte(s[:end], '?')
	if q < 0 && isBareQuery(s[:end]) {
		sanitizeQuery(&e, 0, end, "&;", sensitive, depth)
	} else {
		hier := s[:end]
		if q >= 0 {
			hier = s[:q]
		}
		next := sanitizeUserinfo(&e, hier)
		sanitizePath(&e, next, len(hier), sensitive, depth)
		if q >= 0 {
			sanitizeQuery(&e, q+1, end, "&;", sensitive, depth)
		}
	}
	if end < len(s) {
		sanitizeQuery(&e, end+1, len(s), "&;?", sensitive, depth)
	}
	return e.result()
}

// isBareQuery reports whether s (with no '?') reads as a query string rather
// than a path: it has a '=' with no '/', ':' or '@' before it.
func isBareQuery(s string) bool {
	eq := strings.IndexByte(s, '=')
	return eq >= 0 && !strings.ContainsAny(s[:eq], "/:@")
}

// sanitizeUserinfo replaces the userinfo in hier (the URL before its query)
// and returns the offset where the rest of it (host or path) starts.
func sanitizeUserinfo(e *editor, hier string) int {
	start := 0 // without "//", treat the first segment as a possible authority
	if i := strings.Index(hier, "//"); i >= 0 {
		start = i + 2
	}
	end := len(hier)
	if i := strings.IndexAny(hier[start:], `/\`); i >= 0 {
		end = start + i
	}
	auth := hier[start:end]
	at := strings.LastIndexByte(auth, '@')
	if at < 0 {
		// "user:pa/ss@host": a password with an unescaped '/' ends the
		// authority early. A ':' not followed by a port gives it away.
		c := strings.IndexByte(auth, ':')
		if c < 0 || strings.HasPrefix(auth, "[") || allDigits(auth[c+1:]) {
			return start
		}
		j := strings.LastIndexByte(hier[end:], '@')
		if j < 0 {
			return start
		}
		at = end - start + j
	}
	if at == 0 {
		return start + 1
	}
	repl := Redacted
	if strings.IndexByte(hier[start:start+at], ':') >= 0 {
		repl = Redacted + ":" + Redacted
	}
	if hier[start:start+at] != repl {
		e.replace(start, start+at, repl)
	}
	return start + at + 1
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// sanitizePath redacts, in the path s[from:to], the token segments that
// follow a segment naming what they are for, as password-reset, e-mail
// confirmation, invitation and magic-link URLs carry them
// ("/reset/<token>", "/invite/<token>"; up to two, as Django's
// "/reset/<uid>/<token>/"), and sensitive ";name=value" path parameters.
func sanitizePath(e *editor, from, to int, sensitive func(string) bool, depth int) {
	s := e.src
	after := 0 // token segments still possible after a naming segment
	for from < to {
		end := to
		if j := strings.IndexByte(s[from:to], '/'); j >= 0 {
			end = from + j
		}
		name, params := s[from:end], -1
		if k := strings.IndexByte(name, ';'); k >= 0 {
			name, params = name[:k], from+k
		}
		switch {
		case tokenPathWord(name):
			after = 2
		case after > 0 && pathToken(name):
			e.replace(from, from+len(name), Redacted)
			after--
		case after > 0 && len(name) <= 4:
			after-- // a short segment between (Django's base64 user id)
		default:
			after = 0
		}
		if params >= 0 {
			sanitizePathParams(e, params, end, sensitive, depth)
		}
		from = end + 1
	}
}

// tokenPathWords name what the path segments after them are tokens for.
var tokenPathWords = [...]string{"reset", "reset-password", "reset_password", "resetpassword", "password-reset",
	"password_reset", "passwordreset", "verify", "verify-email", "verify_email", "verification", "confirm",
	"confirm-email", "confirm_email", "confirmation", "activate", "activation", "invite", "invitation",
	"invitations", "magic", "magic-link", "magic_link", "magiclink", "login-link", "token", "tokens", "unsubscribe"}

func tokenPathWord(seg string) bool {
	if len(seg) < 5 || len(seg) > 14 {
		return false
	}
	for _, w := range tokenPathWords {
		if strings.EqualFold(seg, w) {
			return true
		}
	}
	return false
}

// pathToken reports whether seg looks like a token: 16 bytes or more of
// unreserved URL bytes (or percent escapes) with a letter and a digit.
func pathToken(seg string) bool {
	if len(seg) < 16 {
		return false
	}
	var letter, digit bool
	for i := 0; i < len(seg); i++ {
		switch c := seg[i]; {
		case c >= '0' && c <= '9':
			digit = true
		case c|0x20 >= 'a' && c|0x20 <= 'z':
			letter = true
		case c == '-' || c == '_' || c == '.' || c == '~' || c == '%':
		default:
			return false
		}
	}
	return letter && digit
}

// sanitizePathParams redacts sensitive ";name=value" path parameters in
// s[from:to] (Java servlets put ";jsessionid=" there).
func sanitizePathParams(e *editor, from, to int, sensitive func(string) bool, depth int) {
	s := e.src
	for {
		i := strings.IndexByte(s[from:to], ';')
		if i < 0 {
			return
		}
		p := from + i + 1
		end := to
		if j := strings.IndexAny(s[p:to], ";/"); j >= 0 {
			end = p + j
		}
		sanitizePair(e, p, end, sensitive, depth)
		from = end
	}
}

// sanitizeQuery redacts the values of sensitive parameters in s[from:to],
// separated by any byte of seps. A fragment is split at '?' too, so that
// both "#access_token=..." and "#/route?code=..." are read as parameters.
func sanitizeQuery(e *editor, from, to int, seps string, sensitive func(string) bool, depth int) {
	s := e.src
	for from < to {
		end := to
		if j := strings.IndexAny(s[from:to], seps); j >= 0 {
			end = from + j
		}
		sanitizePair(e, from, end, sensitive, depth)
		from = end + 1
	}
}

// sanitizePair redacts the value of the parameter s[from:to] ("name=value")
// if its name is sensitive or its value holds a URL that needs sanitizing.
func sanitizePair(e *editor, from, to int, sensitive func(string) bool, depth int) {
	pair := e.src[from:to]
	eq := strings.IndexByte(pair, '=')
	if eq < 0 || eq == len(pair)-1 {
		return
	}
	name, value := pair[:eq], pair[eq+1:]
	if sensitive(unescape(name)) {
		if value != Redacted {
			e.replace(from+eq+1, to, Redacted)
		}
		return
	}
	if depth >= maxNesting {
		return
	}
	v := unescape(value)
	if strings.ContainsAny(v, "?=;#") || strings.Contains(v, "//") {
		if _, changed := sanitizeURL(v, sensitive, depth+1); changed {
			e.replace(from+eq+1, to, Redacted)
		}
	}
}

// unescape percent-decodes s as a query component; s is returned as is when
// it has nothing to decode or is not validly escaped.
func unescape(s string) string {
	if !strings.ContainsAny(s, "%+") {
		return s
	}
	if d, err := url.QueryUnescape(s); err == nil {
		return d
	}
	return s
}
