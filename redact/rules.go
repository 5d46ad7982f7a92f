package redact

import (
	"fmt"
	"path"
	"strings"

	"github.com/veilhq/veil/internal/scan"
	"github.com/veilhq/veil/token"
)

// A Matcher selects what a rule applies to: attribute keys ([Key]) or the
// spans found by a detector ([Detector]).
type Matcher struct {
	detector bool
	pattern  string
}

// Key matches attribute keys, case-insensitively.
//
// A pattern without a dot matches the last segment of the key path, so
// Key("email") matches "email" and "user.email". A pattern with dots matches
// the whole path of group names and keys, segment by segment: Key("user.email")
// matches only that path, Key("*.card") matches "payment.card" but not
// "card", and the segment "**" matches any number of segments, so
// Key("http.**.cookie") matches "http.request.header.cookie". Within a segment
// the syntax is that of [path.Match] (*, ?, [a-z]).
func Key(pattern string) Matcher { return Matcher{pattern: pattern} }

// Detector matches the spans found by the named detector ("email", "card",
// "aws_access_key", ...) to override what replaces them. It accepts
// [Replace], [Mask] and [Tokenize]; to switch a detector off use
// [WithoutDetectors].
func Detector(name string) Matcher { return Matcher{detector: true, pattern: name} }

func (m Matcher) String() string {
	if m.detector {
		return fmt.Sprintf("Detector(%q)", m.pattern)
	}
	return fmt.Sprintf("Key(%q)", m.pattern)
}

// keyPattern is a compiled Key pattern.
type keyPattern struct {
	raw  string
	segs []string // lower-cased; nil for a last-segment pattern
	last string   // lower-cased last-segment pattern
	glob bool
}

func compileKey(p string) (keyPattern, error) {
	if p == "" {
		return keyPattern{}, fmt.Errorf("Key(\"\"): empty pattern; give a key such as \"password\" or a path such as \"user.email\"")
	}
	lp := strings.ToLower(p)
	kp := keyPattern{raw: p, glob: strings.ContainsAny(lp, "*?[\\")}
	segs := strings.Split(lp, ".")
	for _, s := range segs {
		if s == "" {
			return keyPattern{}, fmt.Errorf("Key(%q): empty path segment; separate group names with single dots", p)
		}
		if s == "**" {
			continue
		}
		if _, err := path.Match(s, ""); err != nil {
			return keyPattern{}, fmt.Errorf("Key(%q): bad glob in segment %q: %v", p, s, err)
		}
	}
	if len(segs) == 1 {
		kp.last = lp
	} else {
		kp.segs = segs
	}
	return kp, nil
}

// specificity orders matching key rules: exact paths beat path globs, which
// beat exact last-segment keys, which beat last-segment globs. Longer patterns
// win ties; remaining ties go to the rule given first.
func (k keyPattern) specificity() int {
	s := len(k.raw)
	switch {
	case k.segs != nil && !k.glob:
		s += 4 << 20
	case k.segs != nil:
		s += 3 << 20
	case !k.glob:
		s += 2 << 20
	default:
		s += 1 << 20
	}
	return s
}

// match reports whether the lower-cased path (segments) matches.
func (k keyPattern) match(segs []string) bool {
	if len(segs) == 0 {
		return false
	}
	if k.segs == nil {
		return matchSeg(k.last, segs[len(segs)-1])
	}
	return matchSegs(k.segs, segs)
}

func matchSeg(pat, s string) bool {
	if pat == s {
		return true
	}
	ok, _ := path.Match(pat, s)
	return ok
}

func matchSegs(pat, segs []string) bool {
	for len(pat) > 0 {
		if pat[0] == "**" {
			rest := pat[1:]
			for i := 0; i <= len(segs); i++ {
				if matchSegs(rest, segs[i:]) {
					return true
				}
			}
			return false
		}
		if len(segs) == 0 || !matchSeg(pat[0], segs[0]) {
			return false
		}
		pat, segs = pat[1:], segs[1:]
	}
	return len(segs) == 0
}

// rule is a compiled key rule.
type rule struct {
	key   keyPattern
	act   Action
	order int
}

// sensitiveExact are normalized key names whose values are replaced by default.
var sensitiveExact = map[string]bool{}

// sensitiveSuffix are normalized names that make any key ending with them
// sensitive ("db_password", "userApiKey").
var sensitiveSuffix = []string{
	"password", "passwd", "passphrase", "secret", "apikey", "privatekey", "secretkey",
	"accesskeyid", "authorization", "credentials", "credential", "cookie", "sessionid",
	"cardnumber", "creditcard",
	// Also every name the detectors treat as strongly secret-like in text
	// (aws_secret_access_key=…), and any key ending in token: access_token,
	// api_token, x-auth-token, csrf_token.
	"token", "accesskey", "signingkey", "encryptionkey", "accountkey", "masterkey", "hmackey",
	"subscriptionkey", "licensekey", "applicationkey", // Azure API Management, New Relic, Datadog
	// A password's hash can be cracked offline: password_hash, passwordDigest
	// (Rails' has_secure_password), pw_hash.
	"passwordhash", "passworddigest", "pwhash", "pwdhash",
}

func init() {
	for _, k := range []string{
		"password", "passwd", "pwd", "secret", "token", "accesstoken", "refreshtoken", "apikey",
		"authorization", "auth", "cookie", "cookies", "setcookie", "session", "sessionid", "ssn", "card",
		"cardnumber", "cvv", "cvc", "cvv2", "pin", "privatekey", "clientsecret", "credentials",
		"credential", "passphrase", "otp", "creditcard", "iban", "xapikey", "proxyauthorization",
		// one-time codes: valid for minutes, enough to take over an account
		"otpcode", "mfacode", "totp", "totpcode", "2facode", "twofactorcode", "verificationcode",
		"recoverycode", "recoverycodes", "backupcode", "backupcodes",
		"passcode", "pincode", "securitycode", "secretkeybase", // Rails' secret_key_base
	} {
		sensitiveExact[k] = true
	}
}

// normalizeKey lower-cases k and removes the separators - _ . and space, so
// that "API-Key", "api_key" and "apiKey" compare equal.
func normalizeKey(k string) string { return string(appendNormalized(make([]byte, 0, len(k)), k)) }

// appendNormalized appends normalizeKey(k) to b.
func appendNormalized(b []byte, k string) []byte {
	for i := 0; i < len(k); i++ {
		c := k[i]
		switch {
		case c == '-' || c == '_' || c == '.' || c == ' ':
			continue
		case 'A' <= c && c <= 'Z':
			c += 'a' - 'A'
		}
		b = append(b, c)
	}
	return b
}

// identKeys are the normalized key names whose scalar values are
// identifiers of a kind, whatever they look like: a phone number logged
// without the formatting the phone detector needs ("4155550132"), an address
// the e-mail detector does not accept ("alice@localhost").
var identKeys = map[string]string{
	"phone": token.Phone, "phonenumber": token.Phone, "mobile": token.Phone, "mobilenumber": token.Phone,
	"mobilephone": token.Phone, "msisdn": token.Phone, "tel": token.Phone, "telephone": token.Phone,
	"cellphone": token.Phone, "email": token.Email, "emailaddress": token.Email,
}

// identKey returns the token kind of a key (one path segment) whose values
// are identifiers by default, or "".
func identKey(k string) string { return identKeys[normalizeKey(k)] }

// identText reports whether s, under an identifier key and matched by no
// detector, is to be replaced: not empty, not already a token, and not a
// word or mark for no value (scan.NoValue, and "n/a", "na", "unknown", which
// can be secrets under a secret-like key but are not phone numbers).
func identText(s string) bool {
	return s != "" && !scan.NoValue(s) && !isToken(s) && !noIdent[strings.ToLower(s)]
}

var noIdent = map[string]bool{"n/a": true, "na": true, "unknown": true}

// isSensitiveKey reports whether a key (one path segment) is sensitive by
// default. It does not allocate for keys of up to 64 bytes: it is asked of
// values too (an entry's name, the keys of a list of pairs).
func isSensitiveKey(k string) bool {
	var buf [64]byte
	b := appendNormalized(buf[:0], k)
	for len(b) > 0 && (b[len(b)-1] == ':' || b[len(b)-1] == '=') {
		b = b[:len(b)-1] // "password:" as a sloppy key
	}
	if sensitiveExact[string(b)] {
		return true
	}
	for _, s := range sensitiveSuffix {
		if len(b) >= len(s) && string(b[len(b)-len(s):]) == s {
			return true
		}
	}
	return false
}
