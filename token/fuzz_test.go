package token

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// checkTokenShape fails unless tok is "tok_k1_" + lower-case base32 of the
// configured length.
func checkTokenShape(t *testing.T, tok string, bits int) {
	t.Helper()
	body, ok := strings.CutPrefix(tok, "tok_k1_")
	if !ok || len(body) != (bits+4)/5 {
		t.Fatalf("token %q: want tok_k1_ and %d characters", tok, (bits+4)/5)
	}
	for i := 0; i < len(body); i++ {
		if c := body[i]; !('a' <= c && c <= 'z' || '2' <= c && c <= '7') {
			t.Fatalf("token %q: byte %q outside the base32 alphabet", tok, c)
		}
	}
	if id, ok := ParseToken(tok); !ok || id != "k1" {
		t.Fatalf("ParseToken(%q) = %q, %v", tok, id, ok)
	}
}

func FuzzToken(f *testing.F) {
	for _, s := range []struct{ kind, value string }{
		{Email, "Alice@Example.COM"}, {Email, "a@bücher.de"}, {Email, "\xff@x"}, {Phone, "+1 (555) 010-9999"},
		{Phone, "00 44 20"}, {IP, "::ffff:1.2.3.4"}, {IP, "fe80::1%eth0"}, {UserID, " u "}, {"", ""}, {"Bad\x00", "x"},
	} {
		f.Add(s.kind, s.value)
	}
	kr, err := NewKeyring(Key{ID: "k1", Secret: katK1}, Key{ID: "k0", Secret: katK2})
	if err != nil {
		f.Fatal(err)
	}
	plain, cached, short := New(kr), New(kr, WithCache(8)), New(kr, WithBits(96))
	other := New(mustKeyring(f, Key{ID: "k1", Secret: katK1})) // separate instance, same key
	f.Fuzz(func(t *testing.T, kind, value string) {
		tok := plain.Token(kind, value)
		checkTokenShape(t, tok, 128)
		checkTokenShape(t, short.Token(kind, value), 96)
		if again := plain.Token(kind, value); again != tok {
			t.Fatalf("not deterministic: %q then %q", tok, again)
		}
		if o := other.Token(kind, value); o != tok {
			t.Fatalf("other instance: %q != %q", o, tok)
		}
		for range 2 {
			if c := cached.Token(kind, value); c != tok {
				t.Fatalf("cached %q != %q", c, tok)
			}
		}
		if a := string(plain.AppendToken([]byte("x"), kind, value)); a != "x"+tok {
			t.Fatalf("AppendToken = %q, want x%q", a, tok)
		}
		if c := plain.Candidates(kind, value); len(c) != 2 || c[0] != tok {
			t.Fatalf("Candidates = %q, want primary %q first", c, tok)
		}
		if p := Placeholder(kind); Of(kind, value).String() != p || (validKind(kind) && p != "["+strings.ToUpper(kind)+"]") || (!validKind(kind) && p != "[REDACTED]") {
			t.Fatalf("Placeholder(%q) = %q", kind, p)
		}
	})
}

// FuzzNormalize checks that normalization never panics, keeps the MAC input
// unambiguous, and is idempotent: a normalized value normalizes to itself.
// Idempotence is what guarantees that a value rejected by a kind's rule (and
// hashed generically) cannot collide with another value's normalized form.
func FuzzNormalize(f *testing.F) {
	for _, s := range []string{
		"Alice@Example.COM.", "JOSÉ@BÜCHER.de", "Straße@example.com", "ΣΊΣΥΦΟΣ@example.gr", "jose\u0301@x.org",
		"a@xn--bcher-kva.de", "a@ｅｘａｍｐｌｅ.com", "+1 (555) 010-9999", "0044 20 7946 0958", "020 7946 0958",
		"＋４４ ２０", "tel:+358", "::ffff:1.2.3.4", "[2001:DB8::1]", "fe80::1%eth0", "not-an-ip", "\xff\xfe", " ", "",
	} {
		for _, kind := range []string{Email, Phone, IP, UserID} {
			f.Add(kind, s, true, "")
		}
	}
	f.Add(Phone, "020 7946 0958", false, "44")
	f.Fuzz(func(t *testing.T, kind, value string, fold bool, code string) {
		c := newConfig([]Option{WithEmailLocalFold(fold), WithDefaultCountryCode(code)})
		in := string(c.appendMACInput(nil, kind, value))
		rest, ok := strings.CutPrefix(in, macDomain)
		if !ok {
			t.Fatalf("MAC input %q lacks the domain prefix", in)
		}
		k, v, ok := strings.Cut(rest, "\x00")
		if !ok {
			t.Fatalf("MAC input %q lacks the kind separator", in)
		}
		if validKind(kind) != (k == kind) || (!validKind(kind) && !strings.HasPrefix(k, "!")) {
			t.Fatalf("kind %q encoded as %q", kind, k)
		}
		if utf8.ValidString(value) && !utf8.ValidString(v) {
			t.Fatalf("valid input %q normalized to invalid UTF-8 %q", value, v)
		}
		if !utf8.ValidString(value) && v != strings.TrimSpace(value) {
			t.Fatalf("invalid UTF-8 %q not hashed generically: %q", value, v)
		}
		if kind == Email {
			if at := strings.LastIndexByte(value, '@'); at >= 0 {
				checkLDHAgainstIDNA(t, value[at+1:])
			}
		}
		_, v2 := normalize(&c, kind, v)
		if v2 != v {
			t.Fatalf("not idempotent for kind %q: %q -> %q -> %q", kind, value, v, v2)
		}
	})
}

func FuzzParseKeyring(f *testing.F) {
	good := Key{ID: "k1", Secret: katK1}.ExportSecret()
	for _, s := range []string{good, good + ",k2:" + good[3:], "", ",", "k1:", ":", "k1:!!", "K1:" + good[3:], good + "," + good, "k1:" + good[3:10]} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		kr, err := ParseKeyring(s)
		if err != nil {
			if kr != nil {
				t.Fatal("non-nil keyring with error")
			}
			msg := err.Error()
			// Errors never echo input beyond a valid key id: any run of 20+
			// input bytes in the message must come from the message template.
			for entry := range strings.SplitSeq(s, ",") {
				_, secret, _ := strings.Cut(strings.TrimSpace(entry), ":")
				secret = strings.TrimSpace(secret)
				if len(secret) >= 20 && strings.Contains(msg, secret) {
					t.Fatalf("error %q echoes secret material", msg)
				}
				if e := strings.TrimSpace(entry); len(e) >= 20 && strings.Contains(msg, e) {
					t.Fatalf("error %q echoes an entry", msg)
				}
			}
			return
		}
		if len(kr.IDs()) == 0 || kr.PrimaryID() != kr.IDs()[0] {
			t.Fatalf("bad keyring %v", kr)
		}
		// The exported form parses back to the same keyring.
		back, err := ParseKeyring(kr.ExportSecrets())
		if err != nil {
			t.Fatalf("re-parsing export: %v", err)
		}
		if back.ExportSecrets() != kr.ExportSecrets() || New(back).Token(Email, "a@b.c") != New(kr).Token(Email, "a@b.c") {
			t.Fatal("export round trip changed the keyring")
		}
		if strings.Contains(kr.String(), kr.ExportSecrets()) {
			t.Fatal("String reveals secrets")
		}
	})
}

func FuzzParseToken(f *testing.F) {
	f.Add("tok_k1_mjsyfkohgzemshivrhqo4eiqmm")
	f.Add("tok_k1_mjsyfkohgzemshivrhqa")
	f.Add("tok__")
	f.Fuzz(func(t *testing.T, s string) {
		id, ok := ParseToken(s)
		if !ok {
			if id != "" {
				t.Fatalf("ParseToken(%q) = %q, false", s, id)
			}
			return
		}
		body := strings.TrimPrefix(s, "tok_"+id+"_")
		mac, err := b32.DecodeString(body)
		if err != nil || len(mac) < 12 || len(mac) > 32 || b32.EncodeToString(mac) != body {
			t.Fatalf("ParseToken accepted %q: body does not round-trip (%v)", s, err)
		}
	})
}
