package sanitize

import (
	"bytes"
	"strings"
)

// foldName writes the ASCII letters (lower-cased) and digits of name to buf
// and returns them; everything else (separators, brackets, '%', non-ASCII) is
// dropped, so "X-Amz-Signature", "x_amz_signature" and "user[password]" fold
// to "xamzsignature" and "userpassword". Names longer than buf are truncated.
func foldName(buf []byte, name string) []byte {
	n := 0
	for i := 0; i < len(name) && n < len(buf); i++ {
		c := name[i]
		switch {
		case 'a' <= c && c <= 'z', '0' <= c && c <= '9':
			buf[n] = c
			n++
		case 'A' <= c && c <= 'Z':
			buf[n] = c + 'a' - 'A'
			n++
		}
	}
	return buf[:n]
}

// Fragments that make a folded parameter or header name sensitive wherever
// they appear in it.
var secretFragments = [...]string{
	"token", "passw", "passwd", "secret", "apikey", "accesskey", "privatekey",
	"session", "sessid", "signature", "credential", "csrf", "xsrf",
}

var secretFragmentBytes = func() [][]byte {
	bs := make([][]byte, len(secretFragments))
	for i, f := range secretFragments {
		bs[i] = []byte(f)
	}
	return bs
}()

var xauth = []byte("xauth")

func containsSecretFragment(folded []byte) bool {
	for _, f := range secretFragmentBytes {
		if bytes.Contains(folded, f) {
			return true
		}
	}
	return false
}

// exactParams are folded query parameter names that are sensitive only as a
// whole: "code" is an OAuth authorization code, "zipcode" is not.
var exactParams = map[string]struct{}{
	"awsaccesskeyid": {}, "sig": {}, "key": {}, "pwd": {}, "pass": {}, "pin": {},
	"otp": {}, "totp": {}, "code": {}, "authcode": {}, "authorizationcode": {},
	"auth": {}, "authorization": {}, "authkey": {}, "bearer": {}, "sid": {},
	"ticket": {}, "jwt": {}, "assertion": {}, "samlresponse": {}, "samlrequest": {},
	"xgoogcredential": {},
}

// DefaultSensitiveParam reports whether a query parameter name is sensitive by
// default. The name is compared case-insensitively with separators ('-', '_',
// '.', brackets) ignored. Sensitive are the signed-URL parameters
// (AWSAccessKeyId, Signature, sig, X-Goog-Signature, X-Amz-Signature,
// X-Amz-Credential, X-Amz-Security-Token), names containing token, passw,
// secret, apikey, accesskey, privatekey, session, sessid, signature,
// credential, csrf or xsrf (access_token, id_token, client_secret,
// session_id, user[password], ...), and the short names key, pwd, pass,
// pin, otp, totp, code, auth, sid, ticket, jwt and a few more.
func DefaultSensitiveParam(name string) bool {
	var buf [128]byte
	f := foldName(buf[:], name)
	if _, ok := exactParams[string(f)]; ok { // no allocation: map lookup by converted key
		return true
	}
	return containsSecretFragment(f)
}

// exactHeaders are folded header names denied as a whole.
var exactHeaders = map[string]struct{}{
	"authorization": {}, "proxyauthorization": {}, "cookie": {}, "setcookie": {},
	"xapikey": {}, "apikey": {}, "xamzsecuritytoken": {}, "xamzcredential": {},
	"xhoneycombteam": {}, // Honeycomb's API key
}

// keyHeaders are folded header names ending in "key" that carry no secret;
// every other such name does (X-Functions-Key, Ocp-Apim-Subscription-Key).
var keyHeaders = map[string]struct{}{
	"idempotencykey": {}, "xidempotencykey": {}, "secwebsocketkey": {},
}

var keySuffix, authSuffix = []byte("key"), []byte("auth")

// DefaultHeaderDenied reports whether an HTTP header is removed by default:
// Authorization, Proxy-Authorization, Cookie, Set-Cookie, and names
// containing token, passw, secret, apikey, accesskey, privatekey, session,
// sessid, signature, credential, csrf or xsrf (X-Api-Key, X-Auth-Token,
// X-Amz-Security-Token, X-CSRF-Token, ...), starting with X-Auth-, or ending
// in Key or Auth (X-Functions-Key, Ocp-Apim-Subscription-Key, X-Sentry-Auth;
// not Idempotency-Key or Sec-WebSocket-Key), and X-Honeycomb-Team.
//
// The name is compared case-insensitively with '-' and '_' equivalent, so
// both the HTTP spelling and the OpenTelemetry attribute suffix match
// ("X-Api-Key", "x_api_key"); a whole attribute key such as
// "http.request.header.x_api_key" is accepted too.
func DefaultHeaderDenied(name string) bool {
	for _, p := range [...]string{"http.request.header.", "http.response.header."} {
		if len(name) > len(p) && strings.EqualFold(name[:len(p)], p) {
			name = name[len(p):]
			break
		}
	}
	var buf [128]byte
	f := foldName(buf[:], name)
	if _, ok := exactHeaders[string(f)]; ok {
		return true
	}
	if bytes.HasSuffix(f, keySuffix) {
		_, benign := keyHeaders[string(f)]
		return !benign
	}
	return bytes.HasPrefix(f, xauth) || bytes.HasSuffix(f, authSuffix) || containsSecretFragment(f)
}
