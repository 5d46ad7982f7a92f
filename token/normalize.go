package token

import (
	"net/netip"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/idna"
	"golang.org/x/text/cases"
	"golang.org/x/text/unicode/norm"
)

// macDomain starts every MAC input; it names the construction's version.
const macDomain = "veil-token-v1\x00"

// appendMACInput appends the MAC input for (kind, value) to dst:
//
//	"veil-token-v1\x00" + kind + "\x00" + normalize(kind, value)
//
// A kind outside [a-z0-9_.-]{1,32} is written as "!" + hex(kind) instead and
// its value is normalized generically. Valid kinds never contain '!' or NUL,
// so the encoding is unambiguous.
func (c *config) appendMACInput(dst []byte, kind, value string) []byte {
	var ok bool
	mark := 0
	switch kind { // well-known kinds first, with constant prefixes
	case Email:
		dst = append(dst, macDomain+Email+"\x00"...)
		mark = len(dst)
		dst, ok = c.appendEmail(dst, value)
	case Phone:
		dst = append(dst, macDomain+Phone+"\x00"...)
		mark = len(dst)
		dst, ok = c.appendPhone(dst, value)
	case IP:
		dst = append(dst, macDomain+IP+"\x00"...)
		mark = len(dst)
		dst, ok = appendIP(dst, value)
	case UserID:
		dst = append(dst, macDomain+UserID+"\x00"...)
		return appendGeneric(dst, value)
	default:
		dst = append(dst, macDomain...)
		if validKind(kind) {
			dst = append(dst, kind...)
		} else {
			dst = append(dst, '!')
			dst = appendHex(dst, kind)
		}
		dst = append(dst, 0)
		return appendGeneric(dst, value)
	}
	if !ok { // the kind-specific rule rejected value: generic rule
		return appendGeneric(dst[:mark], value)
	}
	return dst
}

// appendHex appends the lower-case hex encoding of s without converting s to
// a byte slice.
func appendHex(dst []byte, s string) []byte {
	const digits = "0123456789abcdef"
	for i := 0; i < len(s); i++ {
		dst = append(dst, digits[s[i]>>4], digits[s[i]&0xf])
	}
	return dst
}

// appendGeneric is the rule for user_id, custom kinds, and every value a
// kind-specific rule rejects: surrounding Unicode white space is trimmed and
// the remaining bytes are kept exactly, including invalid UTF-8.
func appendGeneric(dst []byte, value string) []byte {
	return append(dst, strings.TrimSpace(value)...)
}

// appendEmail normalizes an address: trimmed, NFC, split at the last '@';
// the domain (one trailing dot removed) mapped to lower-case ASCII by the
// IDNA lookup profile; the local part case-folded unless configured not to.
// Plus tags are kept. It rejects invalid UTF-8, a missing or empty local part
// or domain, white space or control characters in the local part, and
// domains IDNA refuses or with empty labels.
func (c *config) appendEmail(dst []byte, v string) ([]byte, bool) {
	v = strings.TrimSpace(v)
	if !utf8.ValidString(v) {
		return dst, false
	}
	if !isASCII(v) && !norm.NFC.IsNormalString(v) {
		v = norm.NFC.String(v)
	}
	at := strings.LastIndexByte(v, '@')
	if at <= 0 || at == len(v)-1 {
		return dst, false
	}
	local, domain := v[:at], v[at+1:]
	for _, r := range local {
		if unicode.IsSpace(r) || unicode.IsControl(r) {
			return dst, false
		}
	}
	domain = strings.TrimSuffix(domain, ".")
	if !isLDHDomain(domain) {
		var err error
		domain, err = idna.Lookup.ToASCII(domain)
		if err != nil || domain == "" || domain[0] == '.' || domain[len(domain)-1] == '.' || strings.Contains(domain, "..") {
			return dst, false
		}
	}
	switch {
	case !c.foldLocal:
		dst = append(dst, local...)
	case isASCII(local):
		dst = appendLower(dst, local)
	default:
		// Canonical caseless form (Unicode §3.13): NFD, full case folding, then
		// NFC so the result is in the same form as unfolded input.
		folded := cases.Fold().String(norm.NFD.String(local))
		dst = append(dst, norm.NFC.String(folded)...)
	}
	dst = append(dst, '@')
	return appendLower(dst, domain), true
}

// isLDHDomain reports whether d is a domain that the IDNA lookup profile
// would only lower-case: non-empty dot-separated labels of ASCII letters,
// digits and hyphens, no label starting or ending with '-', and no "--" in
// the third and fourth positions (which covers the "xn--" A-labels that need
// Punycode validation). Such domains skip IDNA processing; all others go
// through idna.Lookup. TestLDHFastPathMatchesIDNA checks the two agree.
func isLDHDomain(d string) bool {
	if d == "" {
		return false
	}
	start := 0
	for i := 0; i <= len(d); i++ {
		if i < len(d) && d[i] != '.' {
			c := d[i]
			if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-') {
				return false
			}
			continue
		}
		label := d[start:i]
		if label == "" || label[0] == '-' || label[len(label)-1] == '-' || len(label) >= 4 && label[2] == '-' && label[3] == '-' {
			return false
		}
		start = i + 1
	}
	return true
}

// appendLower appends s with ASCII upper-case letters lowered.
func appendLower(dst []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		dst = append(dst, c)
	}
	return dst
}

// appendPhone normalizes a phone number to "+<digits>" when it carries a
// country code (a leading '+' or "00", or the configured default code), and
// to bare digits otherwise. Full-width and other compatibility characters are
// folded by NFKC; an optional "tel:" prefix, spaces and the separators
// - . ( ) / are dropped. A '+' is accepted only before the first digit. It
// rejects anything else (letters, extensions, "*", "#"), fewer than 3 or more
// than 15 digits, and an international number whose country code starts with 0.
func (c *config) appendPhone(dst []byte, v string) ([]byte, bool) {
	v = strings.TrimSpace(v)
	if !utf8.ValidString(v) {
		return dst, false
	}
	if !isASCII(v) {
		v = norm.NFKC.String(v)
	}
	if len(v) >= 4 && strings.EqualFold(v[:4], "tel:") {
		v = v[4:]
	}
	intl := false
	ndigits := 0
	var first [2]byte // the first two digits
	for i := 0; i < len(v); i++ {
		switch b := v[i]; {
		case '0' <= b && b <= '9':
			if ndigits < 2 {
				first[ndigits] = b
			}
			ndigits++
		case b == '+' && !intl && ndigits == 0:
			intl = true
		case b == ' ' || b == '-' || b == '.' || b == '(' || b == ')' || b == '/':
		default:
			return dst, false
		}
	}
	skip, code := 0, ""
	switch {
	case intl:
	case ndigits >= 2 && first[0] == '0' && first[1] == '0':
		intl, skip = true, 2
	case c.countryCode != "":
		intl, code = true, c.countryCode
		if ndigits > 0 && first[0] == '0' {
			skip = 1
		}
	}
	n := len(code) + ndigits - skip
	if n < 3 || n > 15 {
		return dst, false
	}
	mark := len(dst)
	if intl {
		dst = append(dst, '+')
	}
	start := len(dst)
	dst = append(dst, code...)
	for i := 0; i < len(v); i++ {
		if b := v[i]; '0' <= b && b <= '9' {
			if skip > 0 {
				skip--
				continue
			}
			dst = append(dst, b)
		}
	}
	if intl && dst[start] == '0' {
		return dst[:mark], false
	}
	return dst, true
}

// appendIP normalizes an IP address with net/netip: canonical text form
// (lower-case, shortest IPv6), IPv4-mapped IPv6 folded to IPv4, zone dropped.
// One pair of surrounding brackets ("[::1]") is accepted. Invalid UTF-8 is
// rejected (hashed generically, as every kind does): net/netip would take it
// as a zone ("::%\xca") and drop it.
func appendIP(dst []byte, v string) ([]byte, bool) {
	v = strings.TrimSpace(v)
	if !utf8.ValidString(v) {
		return dst, false
	}
	if len(v) > 2 && v[0] == '[' && v[len(v)-1] == ']' {
		v = v[1 : len(v)-1]
	}
	a, err := netip.ParseAddr(v)
	if err != nil {
		return dst, false
	}
	return a.Unmap().WithZone("").AppendTo(dst), true
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}
