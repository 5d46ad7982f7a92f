package scan

import "strings"

// word handles the run of word bytes ([A-Za-z0-9_]) t[i:w] that starts with
// a letter or '_': vendor-prefixed tokens, JWTs, "Bearer"/"Basic" credentials,
// IBANs, and IPv6 addresses whose first group starts with a hex letter. It
// returns where scanning resumes.
func (st *state) word(t string, i, w int) int {
	c := t[i]
	if l := c | 0x20; (l == 'p' && t[i+1]|0x20 == 'a') || (l == 'i' && t[i+1]|0x20 == 'd') {
		// Only sqlPassword and proseSecret look at these words ("path", "id").
		if w-i == 8 || w-i == 10 {
			if e := st.sqlPassword(t, i, w); e > 0 {
				return e
			}
		}
		if l == 'p' && (w-i == 6 || w-i == 8 || w-i == 10) {
			return st.proseWord(t, i, w) // passwd, password, passphrase
		}
		return w
	}
	if prefixFirst[c] {
		if s, e, k := prefixedMemo(&st.b64, t, i); e > 0 && st.emit(s, e, k) {
			return e
		}
	}
	if c == 'D' && w-i == 9 && t[i:w] == "Duplicate" {
		if e := st.duplicateEntry(w); e > 0 {
			return e
		}
	}
	if c == 'A' && w-i == 4 && t[i:w] == "AUTH" {
		if e := st.saslAuth(w); e > 0 {
			return e
		}
	}
	if (c == 'B' || c == 'b') && (w-i == 6 || w-i == 5) {
		if e := st.authScheme(i, w); e > 0 {
			return e
		}
	}
	if cls[c]&cUpper != 0 && st.set.Has(IBAN) {
		if e := ibanEnd(t, i); e > 0 && st.emit(i, e, IBAN) {
			return e
		}
	}
	if w-i <= 4 && byteAt(t, w) == ':' && st.set.Has(IPv6) && allHex(t[i:w]) {
		if e := st.ipv6(t, i); e > 0 {
			return e
		}
	}
	return w
}

// prefixFirst marks the first bytes of the prefixes prefixed knows.
var prefixFirst = [256]bool{'A': true, 'e': true, 'g': true, 'x': true, 'h': true, 's': true, 'r': true, 'p': true, 'w': true,
	'n': true, 'S': true, 'd': true, 'b': true, 'y': true, 'G': true, 'E': true}

func allHex(s string) bool {
	for i := 0; i < len(s); i++ {
		if cls[s[i]]&cHex == 0 {
			return false
		}
	}
	return true
}

// prefixed recognizes a vendor token that starts at i, which must be at a
// word start. It returns the secret span [start, end) and its kind, or end 0.
func prefixed(t string, i int) (start, end int, k Kind) { return prefixedMemo(nil, t, i) }

// prefixedMemo is prefixed with a memo (may be nil) of the last base64url run
// measured, which keeps "sk-sk-sk-…" linear.
func prefixedMemo(m *runMemo, t string, i int) (start, end int, k Kind) {
	s := t[i:]
	if len(s) < 8 {
		return 0, 0, 0
	}
	switch s[0] {
	case 'A':
		// AWS access key id: a 4-byte type prefix and 16 upper-case
		// base32-ish bytes (A-Z, 0-9 accepted), 20 bytes in all.
		if len(s) >= 20 && awsPrefix(s[:4]) {
			if runMax(t, i+4, cUpper|cDigit, 17) == i+20 && !is(t, i+20, cWord) {
				return i, i + 20, AWSAccessKey
			}
		}
		// age: AGE-SECRET-KEY-1 and 58 bech32 bytes (upper case).
		if strings.HasPrefix(s, "AGE-SECRET-KEY-1") && runMax(t, i+16, cUpper|cDigit, 59) == i+74 {
			return i, i + 74, VendorToken
		}
		// Google API key: "AIza" and 35 base64url bytes.
		if strings.HasPrefix(s, "AIza") && runMax(t, i+4, cB64URL, 36) == i+39 {
			return i, i + 39, GoogleAPIKey
		}
	case 'e':
		if e := jwtEnd(t, i); e > 0 {
			return i, e, JWT
		}
	case 'g':
		if s[1] == 'h' && s[3] == '_' && strings.IndexByte("pousr", s[2]) >= 0 {
			if e := run(t, i+4, cAlnum); e-(i+4) >= 36 && !is(t, e, cWord) {
				return i, e, GitHubToken
			}
		}
		if strings.HasPrefix(s, "github_pat_") {
			if e := run(t, i+11, cWord); e-(i+11) >= 80 {
				return i, e, GitHubToken
			}
		}
		// Groq: gsk_ and 52 alphanumerics.
		if strings.HasPrefix(s, "gsk_") {
			if e := run(t, i+4, cAlnum); e-(i+4) == 52 && !is(t, e, cWord) {
				return i, e, VendorToken
			}
		}
		for _, p := range gitlabPrefixes {
			if strings.HasPrefix(s, p) {
				if e := run(t, i+len(p), cB64URL); e-(i+len(p)) >= 20 {
					return i, e, GitLabToken
				}
			}
		}
	case 'x':
		// Slack: xoxb- (bot), xoxp- (user), xoxa-, xoxr-, xoxs-, xoxe-, xapp-.
		p := 0
		if s[1] == 'o' && s[2] == 'x' && s[4] == '-' && strings.IndexByte("bpaeors", s[3]) >= 0 {
			p = 5
		} else if strings.HasPrefix(s, "xapp-") {
			p = 5
		}
		if p > 0 {
			if e := run(t, i+p, cB64URL); e-(i+p) >= 10 {
				return i, e, SlackToken
			}
		}
		// xAI: xai- and 60+ alphanumerics with upper case, lower case and digits.
		if strings.HasPrefix(s, "xai-") {
			if e := run(t, i+4, cAlnum); e-(i+4) >= 60 && !is(t, e, cWord) && mixedCase(t[i+4:e]) && hasDigit(t[i+4:e]) {
				return i, e, VendorToken
			}
		}
	case 'h':
		// Hugging Face: hf_ and 30–40 letters and digits, both cases.
		if s[1] == 'f' && s[2] == '_' {
			if e := run(t, i+3, cAlnum); e-(i+3) >= 30 && e-(i+3) <= 40 && !is(t, e, cWord) && mixedCase(t[i+3:e]) {
				return i, e, VendorToken
			}
		}
		// HashiCorp Vault: hvs. (service) and 90+ base64url bytes, hvb.
		// (batch) and 138+.
		if s[1] == 'v' && (s[2] == 's' || s[2] == 'b') && s[3] == '.' {
			want := 90
			if s[2] == 'b' {
				want = 138
			}
			if e := m.runEnd(t, i+4, cB64URL); e-(i+4) >= want && e-(i+4) <= maxVendorToken {
				return i, e, VendorToken
			}
		}
		// Slack incoming webhook: the secret is the path after /services/.
		const hook = "hooks.slack.com/services/"
		if strings.HasPrefix(s, hook) {
			a := i + len(hook)
			e, slashes := a, 0
			for e < len(t) && (cls[t[e]]&cB64URL != 0 || t[e] == '/') {
				if t[e] == '/' {
					slashes++
				}
				e++
			}
			for e > a && t[e-1] == '/' {
				e--
				slashes--
			}
			if slashes >= 2 && e-a >= 20 {
				return a, e, SlackToken
			}
		}
	case 's', 'r', 'p':
		// Stripe: sk_, rk_, pk_ then live_ or test_, then 24+ alphanumerics.
		if s[1] == 'k' && s[2] == '_' && (strings.HasPrefix(s[3:], "live_") || strings.HasPrefix(s[3:], "test_")) {
			if e := run(t, i+8, cAlnum); e-(i+8) >= 24 && !is(t, e, cWord) {
				return i, e, StripeKey
			}
		}
		// OpenAI and Anthropic: sk- (sk-proj-, sk-svcacct-, sk-ant-api03-,
		// …) and 32+ base64url bytes with upper case, lower case and digits.
		if s[0] == 's' && s[1] == 'k' && s[2] == '-' {
			if e := m.runEnd(t, i+3, cB64URL); e-(i+3) >= 32 && e-(i+3) <= maxVendorToken && mixedCase(t[i+3:e]) && hasDigit(t[i+3:e]) {
				return i, e, VendorToken
			}
		}
		// Shopify: shpat_, shpca_, shppa_, shpss_ and 32 hex digits.
		if s[0] == 's' && strings.HasPrefix(s, "shp") && s[5] == '_' && shopifyType(s[3:5]) {
			if e := run(t, i+6, cHex); e-(i+6) == 32 && !is(t, e, cWord) {
				return i, e, VendorToken
			}
		}
		// Square: sq0atp- and 22 base64url bytes (an access token), sq0csp-
		// and 43 (an application secret).
		if s[0] == 's' && s[1] == 'q' && s[2] == '0' && (s[3:7] == "atp-" || s[3:7] == "csp-") {
			want := 22
			if s[3] == 'c' {
				want = 43
			}
			if e := runMax(t, i+7, cB64URL, want+1); e-(i+7) == want {
				return i, e, VendorToken
			}
		}
		// PyPI: pypi- and a macaroon whose first bytes encode "pypi.org".
		if s[0] == 'p' && strings.HasPrefix(s, "pypi-AgEIcHlwaS5vcmc") {
			if e := run(t, i+5, cB64URL); e-(i+5) >= 60 {
				return i, e, VendorToken
			}
		}
	case 'n':
		// npm: npm_ and 36 alphanumerics.
		if strings.HasPrefix(s, "npm_") {
			if e := run(t, i+4, cAlnum); e-(i+4) == 36 && !is(t, e, cWord) {
				return i, e, VendorToken
			}
		}
	case 'S':
		// SendGrid: SG., 22 base64url bytes, '.', 43 base64url bytes.
		if s[1] == 'G' && s[2] == '.' {
			if a := run(t, i+3, cB64URL); a-(i+3) == 22 && byteAt(t, a) == '.' {
				if e := run(t, a+1, cB64URL); e-(a+1) == 43 {
					return i, e, VendorToken
				}
			}
		}
	case 'b':
		// Telegram bot API URL: …/bot<id>:<token>/method.
		if strings.HasPrefix(s, "bot") {
			if c := run(t, i+3, cDigit); c-(i+3) >= 8 && c-(i+3) <= 10 && byteAt(t, c) == ':' && byteAt(t, c+1) == 'A' {
				if e := telegramEnd(t, c+1); e > 0 {
					return i + 3, e, VendorToken
				}
			}
		}
	case 'd':
		// Discord webhook: the token after discord.com/api/webhooks/<id>/.
		for _, hook := range discordHooks {
			if strings.HasPrefix(s, hook) {
				a := run(t, i+len(hook), cDigit)
				if a-(i+len(hook)) >= 17 && byteAt(t, a) == '/' {
					if e := run(t, a+1, cB64URL); e-(a+1) >= 60 {
						return a + 1, e, VendorToken
					}
				}
			}
		}
		// DigitalOcean: dop_v1_, doo_v1_, dor_v1_ and 64 hex digits.
		if s[1] == 'o' && strings.IndexByte("por", s[2]) >= 0 && s[3:7] == "_v1_" {
			if e := run(t, i+7, cHex); e-(i+7) == 64 && !is(t, e, cWord) {
				return i, e, VendorToken
			}
		}
	case 'y':
		// Google OAuth access token: ya29. and 50+ base64url bytes with
		// upper case, lower case and digits.
		if strings.HasPrefix(s, "ya29.") {
			if e := m.runEnd(t, i+5, cB64URL); e-(i+5) >= 50 && e-(i+5) <= maxVendorToken && mixedCase(t[i+5:e]) && hasDigit(t[i+5:e]) {
				return i, e, VendorToken
			}
		}
	case 'E':
		// Square access token: EAAA and 60 base64url bytes with upper
		// case, lower case and digits.
		if s[1] == 'A' && s[2] == 'A' && s[3] == 'A' {
			if e := runMax(t, i+4, cB64URL, 61); e-(i+4) == 60 && mixedCase(t[i+4:e]) && hasDigit(t[i+4:e]) {
				return i, e, VendorToken
			}
		}
	case 'G':
		// Google OAuth client secret: GOCSPX- and 28 base64url bytes.
		if strings.HasPrefix(s, "GOCSPX-") {
			if e := runMax(t, i+7, cB64URL, 29); e-(i+7) == 28 {
				return i, e, VendorToken
			}
		}
	case 'w':
		if strings.HasPrefix(s, "whsec_") {
			if e := run(t, i+6, cAlnum); e-(i+6) >= 24 && !is(t, e, cWord) {
				return i, e, StripeKey
			}
		}
	}
	return 0, 0, 0
}

// maxVendorToken bounds the tokens of prefixes that take any base64url run
// (sk-…): longer runs are not tokens, and bounding them keeps the checks
// after the run linear.
const maxVendorToken = 512

// shopifyType reports whether t is the type of a Shopify token: access (at),
// custom app (ca), private app (pa), shared secret (ss).
func shopifyType(t string) bool {
	switch t {
	case "at", "ca", "pa", "ss":
		return true
	}
	return false
}

// mixedCase reports whether s holds an upper-case and a lower-case letter.
func mixedCase(s string) bool {
	var m uint16
	for i := 0; i < len(s); i++ {
		m |= cls[s[i]]
	}
	return m&cUpper != 0 && m&cLower != 0
}

func hasDigit(s string) bool {
	for i := 0; i < len(s); i++ {
		if isDigit(s[i]) {
			return true
		}
	}
	return false
}

var discordHooks = [...]string{"discord.com/api/webhooks/", "discordapp.com/api/webhooks/"}

var gitlabPrefixes = [...]string{"glpat-", "glrt-", "gldt-", "glptt-", "glcbt-"}

func awsPrefix(p string) bool {
	switch p {
	case "AKIA", "ASIA", "AGPA", "AIDA", "AROA", "AIPA", "ANPA", "ANVA", "APKA", "ABIA", "ACCA":
		return true
	}
	return p[1] == '3' && p[2] == 'T' && cls[p[3]]&(cUpper|cDigit) != 0 // A3T…
}

// aadSecret matches an Azure AD (Entra ID) client secret around i, a '~':
// 40 bytes of [A-Za-z0-9_.~-], the 4th to 6th "<digit>Q~" — "8Q~" in the
// secrets Azure issues now — between bytes that cannot continue it. It
// returns where scanning resumes.
func (st *state) aadSecret(i int) int {
	t := st.text
	s, e := i-5, i+35
	if s < 0 || e > len(t) || t[i-1] != 'Q' || !isDigit(t[i-2]) || aadByte(byteAt(t, s-1)) || aadByte(byteAt(t, e)) {
		return i + 1
	}
	for j := s; j < e; j++ {
		if c := t[j]; cls[c]&cB64URL == 0 && c != '~' && c != '.' {
			return i + 1
		}
	}
	if st.emit(s, e, VendorToken) {
		return e
	}
	return i + 1
}

// aadByte reports whether c may be part of an Azure AD client secret, or
// continues a base64 run so that none starts or ends next to it.
func aadByte(c byte) bool {
	return cls[c]&cB64URL != 0 || c == '~' || c == '.' || c == '+' || c == '/' || c == '='
}
