package token

import (
	"strings"
	"testing"

	"golang.org/x/net/idna"
)

// normalize returns the normalized value part of the MAC input for (kind,
// value), and the kind part.
func normalize(c *config, kind, value string) (kindPart, valuePart string) {
	in := string(c.appendMACInput(nil, kind, value))
	rest, ok := strings.CutPrefix(in, macDomain)
	if !ok {
		panic("MAC input without domain prefix")
	}
	k, v, _ := strings.Cut(rest, "\x00")
	return k, v
}

func TestNormalizeEmail(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"alice@example.com", "alice@example.com"},
		{"  Alice@Example.COM\n", "alice@example.com"},
		{"ALICE@EXAMPLE.COM.", "alice@example.com"},
		{"alice+news@example.com", "alice+news@example.com"}, // plus tags kept
		{"Alice+News@example.com", "alice+news@example.com"},
		{"alice@bücher.de", "alice@xn--bcher-kva.de"},
		{"alice@BÜCHER.DE", "alice@xn--bcher-kva.de"},
		{"alice@xn--bcher-kva.de", "alice@xn--bcher-kva.de"},
		{"alice@XN--BCHER-KVA.DE", "alice@xn--bcher-kva.de"},
		{"alice@bu\u0308cher.de", "alice@xn--bcher-kva.de"},    // NFD domain
		{"jose\u0301@example.com", "jos\u00e9@example.com"},    // NFD local part composed
		{"JOSÉ@example.com", "josé@example.com"},               // Unicode case folding
		{"Straße@example.com", "strasse@example.com"},          // full case folding
		{"ΣΊΣΥΦΟΣ@example.gr", "σίσυφοσ@example.gr"},           // final sigma folds to σ
		{"alice@ｅｘａｍｐｌｅ.com", "alice@example.com"},             // full-width domain mapped by IDNA
		{"\"a@b\"@example.com", "\"a@b\"@example.com"},         // last '@' splits
		{"user@localhost", "user@localhost"},                   // single-label domain
		{"user@[192.0.2.1]", "user@[192.0.2.1]"},               // IDNA rejects: generic, unchanged
		{"no-at-sign", "no-at-sign"},                           // generic
		{"@example.com", "@example.com"},                       // empty local part: generic
		{"alice@", "alice@"},                                   // empty domain: generic
		{"Alice Smith@example.com", "Alice Smith@example.com"}, // space in local part: generic, case kept
		{"alice@exa mple.com", "alice@exa mple.com"},           // IDNA rejects: generic
		{"alice@example..com", "alice@example..com"},           // empty label: generic
		{"alice@-example.com", "alice@-example.com"},           // hyphen rule: generic
		{"", ""},    //
		{"   ", ""}, //
		{"A\xffB@example.com", "A\xffB@example.com"},     // invalid UTF-8: generic, bytes kept
		{" \xff@Example.com ", "\xff@Example.com"},       // trimmed, not lowered
		{"a\x00b@example.com", "a\x00b@example.com"},     // control char: generic
		{"alice@example.com\u200b", "alice@example.com"}, // IDNA maps ZWSP to nothing
	}
	c := newConfig(nil)
	for _, tt := range tests {
		if k, got := normalize(&c, Email, tt.in); k != Email || got != tt.want {
			t.Errorf("normalize(email, %q) = %q, %q; want email, %q", tt.in, k, got, tt.want)
		}
	}
	noFold := newConfig([]Option{WithEmailLocalFold(false)})
	for in, want := range map[string]string{
		"Alice@Example.COM":       "Alice@example.com",
		"JOSÉ@BÜCHER.de":          "JOSÉ@xn--bcher-kva.de",
		"Alice+Tag@example.com.":  "Alice+Tag@example.com",
		"alice+tag@example.com":   "alice+tag@example.com",
		"Straße@example.com":      "Straße@example.com",
		"jose\u0301@EXAMPLE.com ": "jos\u00e9@example.com",
	} {
		if _, got := normalize(&noFold, Email, in); got != want {
			t.Errorf("no fold: normalize(email, %q) = %q, want %q", in, got, want)
		}
	}
}

func TestNormalizePhone(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"+1 (555) 010-9999", "+15550109999"},
		{"+1.555.010.9999", "+15550109999"},
		{"+15550109999", "+15550109999"},
		{"001 555 010 9999", "+15550109999"},
		{"(+44) 20 7946 0958", "+442079460958"},
		{"+44 (0)20 7946 0958", "+4402079460958"}, // "(0)" kept: ambiguous, not guessed
		{"0044/20/7946/0958", "+442079460958"},
		{"tel:+358-40-123-4567", "+358401234567"},
		{"TEL:+358 40 123 4567", "+358401234567"},
		{"＋４４ ２０ ７９４６ ０９５８", "+442079460958"}, // full-width, NFKC
		{"  +33 1 23 45 67 89  ", "+33123456789"},
		{"020 7946 0958", "02079460958"},           // national, no default code: bare digits
		{"(555) 010-9999", "5550109999"},           // national
		{"555", "555"},                             // shortest accepted
		{"12", "12"},                               // too short: generic
		{"+12", "+12"},                             // too short: generic
		{"+1234567890123456", "+1234567890123456"}, // 16 digits: generic
		{"+0 555 0109999", "+0 555 0109999"},       // country code 0: generic
		{"000 555 0109999", "000 555 0109999"},     // "00" then 0: generic
		{"+1 555 010 9999 ext. 12", "+1 555 010 9999 ext. 12"},
		{"1+555", "1+555"}, // '+' after digits: generic
		{"++1555", "++1555"},
		{"*31#", "*31#"},
		{"not a number", "not a number"},
		{"", ""},
		{"+1 555\xff0109999", "+1 555\xff0109999"}, // invalid UTF-8: generic
	}
	c := newConfig(nil)
	for _, tt := range tests {
		if k, got := normalize(&c, Phone, tt.in); k != Phone || got != tt.want {
			t.Errorf("normalize(phone, %q) = %q, %q; want phone, %q", tt.in, k, got, tt.want)
		}
	}
	uk := newConfig([]Option{WithDefaultCountryCode("44")})
	for in, want := range map[string]string{
		"020 7946 0958":      "+442079460958",
		"+44 20 7946 0958":   "+442079460958",
		"0044 20 7946 0958":  "+442079460958",
		"2079460958":         "+442079460958",
		"+1 (555) 010-9999":  "+15550109999",
		"1":                  "+441",
		"0":                  "0",                // "+44" only: too short, generic
		"0123456789012345":   "0123456789012345", // 17 digits with the code: generic
		"01234567890123":     "+441234567890123",
		"(0) 20 7946 0958 x": "(0) 20 7946 0958 x",
	} {
		if _, got := normalize(&uk, Phone, in); got != want {
			t.Errorf("code 44: normalize(phone, %q) = %q, want %q", in, got, want)
		}
	}
	for _, bad := range []string{"", "0", "044", "1234", "+1", "x1"} {
		c := newConfig([]Option{WithDefaultCountryCode(bad)})
		if c.countryCode != "" {
			t.Errorf("WithDefaultCountryCode(%q) accepted", bad)
		}
	}
}

func TestNormalizeIP(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"192.0.2.1", "192.0.2.1"},
		{" 192.0.2.1\n", "192.0.2.1"},
		{"::ffff:192.0.2.1", "192.0.2.1"},
		{"::FFFF:C000:0201", "192.0.2.1"},
		{"2001:DB8:0:0:0:0:0:1", "2001:db8::1"},
		{"2001:db8::0:1", "2001:db8::1"},
		{"fe80::1%eth0", "fe80::1"},
		{"[2001:db8::1]", "2001:db8::1"},
		{"::", "::"},
		{"::1", "::1"},
		{"192.000.002.001", "192.000.002.001"}, // leading zeros rejected by netip: generic
		{"192.0.2.1:8080", "192.0.2.1:8080"},   // with port: generic
		{"not-an-ip", "not-an-ip"},
		{"256.1.1.1", "256.1.1.1"},
		{"[]", "[]"},
		{"", ""},
		{"1.2.3.4\xff", "1.2.3.4\xff"},
	}
	c := newConfig(nil)
	for _, tt := range tests {
		if k, got := normalize(&c, IP, tt.in); k != IP || got != tt.want {
			t.Errorf("normalize(ip, %q) = %q, %q; want ip, %q", tt.in, k, got, tt.want)
		}
	}
}

func TestNormalizeGenericAndKinds(t *testing.T) {
	tests := []struct {
		kind, in          string
		wantKind, wantVal string
	}{
		{UserID, "  u-123 ", "user_id", "u-123"},
		{UserID, "U-123", "user_id", "U-123"}, // generic keeps case
		{UserID, "\u00a0u\u3000", "user_id", "u"},
		{"order.id", " 42 ", "order.id", "42"},
		{"a", "x", "a", "x"},
		{strings.Repeat("k", 32), "x", strings.Repeat("k", 32), "x"},
		// Invalid kinds: "!" + hex(kind), generic value.
		{"", " x ", "!", "x"},
		{"Email", " Alice@Example.com ", "!456d61696c", "Alice@Example.com"},
		{strings.Repeat("k", 33), "x", "!" + strings.Repeat("6b", 33), "x"},
		{"user id", "x", "!75736572206964", "x"},
		{"a\x00b", "x", "!610062", "x"},
		{"é", "x", "!c3a9", "x"},
	}
	c := newConfig(nil)
	for _, tt := range tests {
		if k, v := normalize(&c, tt.kind, tt.in); k != tt.wantKind || v != tt.wantVal {
			t.Errorf("normalize(%q, %q) = %q, %q; want %q, %q", tt.kind, tt.in, k, v, tt.wantKind, tt.wantVal)
		}
	}
}

// TestLDHFastPathMatchesIDNA checks that every domain the fast path accepts
// is mapped by the IDNA lookup profile to its lower-case form, without error.
func TestLDHFastPathMatchesIDNA(t *testing.T) {
	for _, d := range []string{
		"example.com", "EXAMPLE.COM", "a", "a-b.c0", "123.45", "ab-c--d.com", "x.y.z.w",
		strings.Repeat("a", 64) + ".com", "a-.com", "-a.com", "ab--c.com", "xn--bcher-kva.de", "XN--zz.com",
		"a..b", ".a", "a_b.com", "exa mple.com", "",
	} {
		checkLDHAgainstIDNA(t, d)
	}
}

func checkLDHAgainstIDNA(t *testing.T, d string) {
	t.Helper()
	if !isLDHDomain(d) {
		return
	}
	got, err := idna.Lookup.ToASCII(d)
	if want := string(appendLower(nil, d)); err != nil || got != want {
		t.Errorf("fast path accepts %q as %q; idna.Lookup gives %q, %v", d, want, got, err)
	}
}
