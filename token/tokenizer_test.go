package token

import (
	"bytes"
	"fmt"
	"strings"
	"sync"
	"testing"
)

func mustKeyring(t testing.TB, keys ...Key) *Keyring {
	t.Helper()
	kr, err := NewKeyring(keys...)
	if err != nil {
		t.Fatal(err)
	}
	return kr
}

func TestRotation(t *testing.T) {
	old := New(mustKeyring(t, Key{ID: "k1", Secret: katK1}))
	stored := old.Token(Email, "Alice@Example.com")

	// k2 becomes primary; k1 stays for lookup.
	rotated := New(mustKeyring(t, Key{ID: "k2", Secret: katK2}, Key{ID: "k1", Secret: katK1}))
	now := rotated.Token(Email, "alice@example.com")
	if now == stored {
		t.Fatal("token did not change after rotation")
	}
	if id, _ := ParseToken(now); id != "k2" {
		t.Errorf("new token %q not made with k2", now)
	}
	if id, _ := ParseToken(stored); id != "k1" {
		t.Errorf("old token %q not made with k1", stored)
	}
	c := rotated.Candidates(Email, " ALICE@example.com ")
	if len(c) != 2 || c[0] != now || c[1] != stored {
		t.Errorf("Candidates = %q, want [%q %q] (primary first)", c, now, stored)
	}
	// After k1 is retired the old token can no longer be found.
	retired := New(mustKeyring(t, Key{ID: "k2", Secret: katK2}))
	for _, cand := range retired.Candidates(Email, "alice@example.com") {
		if cand == stored {
			t.Error("retired key still produces the old token")
		}
	}
	// Same secret under another id gives another token string.
	renamed := New(mustKeyring(t, Key{ID: "k9", Secret: katK1})).Token(Email, "alice@example.com")
	if renamed == stored || strings.TrimPrefix(renamed, "tok_k9_") != strings.TrimPrefix(stored, "tok_k1_") {
		t.Errorf("renamed key: %q vs %q; want same MAC, different id", renamed, stored)
	}
}

func TestDeterministicAcrossInstances(t *testing.T) {
	a := New(mustKeyring(t, Key{ID: "k1", Secret: bytes.Clone(katK1)}))
	b := New(mustKeyring(t, Key{ID: "k1", Secret: bytes.Clone(katK1)}), WithCache(64))
	for _, kind := range []string{Email, Phone, IP, UserID, "custom", "BAD KIND"} {
		for _, v := range []string{"alice@example.com", "+1 555 010 9999", "::1", "u1", "", "\xff"} {
			for range 3 { // exercise pool reuse and cache hits
				if x, y := a.Token(kind, v), b.Token(kind, v); x != y {
					t.Fatalf("Token(%q, %q): %q != %q", kind, v, x, y)
				}
			}
		}
	}
}

// TestBadInput covers empty, invalid UTF-8, huge and oddly-kinded input:
// each gets a well-formed token, distinct where the inputs differ.
func TestBadInput(t *testing.T) {
	tk := New(mustKeyring(t, Key{ID: "k1", Secret: katK1}))
	big := strings.Repeat("a", 1<<20)
	tests := []struct {
		name        string
		kind, value string
		differFrom  [2]string // (kind, value) that must get another token
	}{
		{"empty", Email, "", [2]string{Email, "\x00"}},
		{"empty vs other kind", Email, "", [2]string{UserID, ""}},
		{"invalid utf8 vs U+FFFD", Email, "a\xff@example.com", [2]string{Email, "a\uFFFD@example.com"}},
		{"invalid utf8 user_id", UserID, "\xff", [2]string{UserID, "\uFFFD"}},
		{"invalid utf8 phone", Phone, "+1555\xff0109999", [2]string{Phone, "+15550109999"}},
		{"1 MB", UserID, big, [2]string{UserID, big[1:]}},
		{"1 MB email", Email, big + "@example.com", [2]string{Email, big[1:] + "@example.com"}},
		{"unknown kind", "order_id", "42", [2]string{UserID, "42"}},
		{"invalid kind", "Email", "alice@example.com", [2]string{Email, "alice@example.com"}},
		{"invalid kinds differ", "A", "x", [2]string{"B", "x"}},
		{"empty kind", "", "x", [2]string{"!", "x"}},
		{"kind with NUL", "a\x00b", "c", [2]string{"a", "b\x00c"}},
		{"huge kind", big, "x", [2]string{big[1:], "x"}},
		{"not-an-ip", IP, "not-an-ip", [2]string{UserID, "not-an-ip"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tok := tk.Token(tt.kind, tt.value)
			if _, ok := ParseToken(tok); !ok || len(tok) != len("tok_k1_")+26 {
				t.Fatalf("Token = %q, not a well-formed 128-bit token", tok)
			}
			if again := tk.Token(tt.kind, tt.value); again != tok {
				t.Errorf("not deterministic: %q then %q", tok, again)
			}
			if other := tk.Token(tt.differFrom[0], tt.differFrom[1]); other == tok {
				t.Errorf("(%.20q, %.20q) and (%.20q, %.20q) share token %q", tt.kind, tt.value, tt.differFrom[0], tt.differFrom[1], tok)
			}
			if len(tt.value) < 1000 && strings.Contains(tok, tt.value) && tt.value != "" {
				t.Errorf("token %q contains the value", tok)
			}
		})
	}
	// Generic fallback is the same as the generic kind's rule: a rejected ip
	// normalizes exactly like the same text would under user_id.
	c := newConfig(nil)
	if _, v := normalize(&c, IP, " not-an-ip "); v != "not-an-ip" {
		t.Errorf("fallback for ip = %q", v)
	}
}

func TestWithBits(t *testing.T) {
	tests := []struct {
		in, wantBits int
	}{
		{-1, 96}, {0, 96}, {95, 96}, {96, 96}, {97, 104}, {100, 104}, {128, 128},
		{129, 136}, {255, 256}, {256, 256}, {257, 256}, {1 << 30, 256},
	}
	kr := mustKeyring(t, Key{ID: "k1", Secret: katK1})
	for _, tt := range tests {
		tk := New(kr, WithBits(tt.in))
		if tk.cfg.bits != tt.wantBits {
			t.Errorf("WithBits(%d): bits = %d, want %d", tt.in, tk.cfg.bits, tt.wantBits)
		}
		tok := tk.Token(Email, "alice@example.com")
		body := strings.TrimPrefix(tok, "tok_k1_")
		if want := (tt.wantBits/8*8 + 4) / 5; len(body) != want {
			t.Errorf("WithBits(%d): token %q has %d characters, want %d", tt.in, tok, len(body), want)
		}
		if _, ok := ParseToken(tok); !ok {
			t.Errorf("WithBits(%d): ParseToken(%q) failed", tt.in, tok)
		}
	}
	if got := New(kr).cfg.bits; got != 128 {
		t.Errorf("default bits = %d, want 128", got)
	}
}

func TestParseToken(t *testing.T) {
	valid := New(mustKeyring(t, Key{ID: "key-2024-01", Secret: katK1})).Token(Email, "a@b.c")
	tests := []struct {
		in     string
		wantID string // "" means not a token
	}{
		{valid, "key-2024-01"},
		{"tok_k1_mjsyfkohgzemshivrhqo4eiqmm", "k1"},
		{"tok_k1_mjsyfkohgzemshivrhqa", "k1"},                                   // 96 bits
		{"tok_k1_mjsyfkohgzemshivrhqo4eiqmm3bkymla7ewsdhmrbl3mljnsuzq", "k1"},   // 256 bits
		{"tok_abcdefghijklmnop_mjsyfkohgzemshivrhqo4eiqmm", "abcdefghijklmnop"}, // 16-char id
		{"tok_abcdefghijklmnopq_mjsyfkohgzemshivrhqo4eiqmm", ""},                // 17-char id
		{"tok__mjsyfkohgzemshivrhqo4eiqmm", ""},                                 // empty id
		{"tok_K1_mjsyfkohgzemshivrhqo4eiqmm", ""},                               // upper-case id
		{"tok_k1_MJSYFKOHGZEMSHIVRHQO4EIQMM", ""},                               // upper-case body
		{"tok_k1_mjsyfkohgzemshivrhqo4eiqm", ""},                                // bad length
		{"tok_k1_mjsyfkohgzemshivrhqo4eiqmn", ""},                               // non-zero trailing bits
		{"tok_k1_mjsyfkohgzemshivrhqo4eiqm1", ""},                               // '1' not in alphabet
		{"tok_k1_mjsyfkohgzemshivrhq", ""},                                      // 15 bytes: too short
		{"tok_k1_mjsyfkohgzemshivrhqo4eiqmm3bkymla7ewsdhmrbl3mljnsuzqaa", ""},   // too long
		{"tok_k1_mjsyfkohgzemshivrhqo4eiqmm ", ""},                              // trailing space
		{"tok_k1_mjsyfkohgzemshivrhqo4eiqmm=", ""},                              // padding
		{"tok_k1", ""}, {"tok_", ""}, {"tok", ""}, {"", ""}, {"[EMAIL]", ""},
		{"xtok_k1_mjsyfkohgzemshivrhqo4eiqmm", ""},
	}
	for _, tt := range tests {
		id, ok := ParseToken(tt.in)
		if ok != (tt.wantID != "") || id != tt.wantID {
			t.Errorf("ParseToken(%q) = %q, %v; want %q, %v", tt.in, id, ok, tt.wantID, tt.wantID != "")
		}
	}
}

func TestUnusableTokenizerFailsClosed(t *testing.T) {
	for name, tk := range map[string]*Tokenizer{
		"nil tokenizer": nil,
		"nil keyring":   New(nil),
		"empty keyring": New(&Keyring{}),
	} {
		if got := tk.Token(Email, "alice@example.com"); got != "[EMAIL]" {
			t.Errorf("%s: Token = %q, want [EMAIL]", name, got)
		}
		if got := string(tk.AppendToken([]byte("x="), IP, "10.0.0.1")); got != "x=[IP]" {
			t.Errorf("%s: AppendToken = %q, want x=[IP]", name, got)
		}
		if got := tk.Candidates(Email, "alice@example.com"); got != nil {
			t.Errorf("%s: Candidates = %q, want nil", name, got)
		}
		if got := Of(Email, "alice@example.com").TokenWith(tk); got != "[EMAIL]" {
			t.Errorf("%s: TokenWith = %q, want [EMAIL]", name, got)
		}
	}
}

func TestAppendTokenAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector makes sync.Pool drop items")
	}
	tk := New(mustKeyring(t, Key{ID: "k1", Secret: katK1}))
	buf := make([]byte, 0, 128)
	for _, c := range [][2]string{{Email, "alice@example.com"}, {Email, " Alice.Smith+Tag@Mail.Example.COM. "}, {Phone, "+1 555 010 9999"}, {IP, "2001:db8::1"}, {UserID, "u-123"}, {"custom", "x"}} {
		tk.AppendToken(buf[:0], c[0], c[1]) // warm the pool
		if n := testing.AllocsPerRun(100, func() { buf = tk.AppendToken(buf[:0], c[0], c[1]) }); n != 0 {
			t.Errorf("AppendToken(%q, %q): %v allocs, want 0", c[0], c[1], n)
		}
		if n := testing.AllocsPerRun(100, func() { _ = tk.Token(c[0], c[1]) }); n != 1 {
			t.Errorf("Token(%q, %q): %v allocs, want 1 (the string)", c[0], c[1], n)
		}
	}
}

func TestPlaceholder(t *testing.T) {
	tests := map[string]string{
		Email: "[EMAIL]", Phone: "[PHONE]", IP: "[IP]", UserID: "[USER_ID]",
		"order.id": "[ORDER.ID]", "x-9": "[X-9]",
		"": "[REDACTED]", "Email": "[REDACTED]", "alice@example.com": "[REDACTED]",
		strings.Repeat("a", 33): "[REDACTED]", "a b": "[REDACTED]", "\xff": "[REDACTED]",
	}
	for kind, want := range tests {
		if got := Placeholder(kind); got != want {
			t.Errorf("Placeholder(%q) = %q, want %q", kind, got, want)
		}
	}
}

func TestTokenizerConcurrent(t *testing.T) {
	for _, opts := range [][]Option{nil, {WithCache(8)}} {
		tk := New(mustKeyring(t, Key{ID: "k2", Secret: katK2}, Key{ID: "k1", Secret: katK1}), opts...)
		ref := New(mustKeyring(t, Key{ID: "k2", Secret: katK2}, Key{ID: "k1", Secret: katK1}))
		var wg sync.WaitGroup
		for g := range 8 {
			wg.Go(func() {
				buf := make([]byte, 0, 80)
				for i := range 300 {
					v := fmt.Sprintf("user%d@example.com", (i*7+g)%40)
					if got, want := tk.Token(Email, v), ref.Token(Email, v); got != want {
						t.Errorf("concurrent Token(%q) = %q, want %q", v, got, want)
						return
					}
					buf = tk.AppendToken(buf[:0], UserID, v)
					if want := ref.Token(UserID, v); string(buf) != want {
						t.Errorf("concurrent AppendToken(%q) = %q, want %q", v, buf, want)
						return
					}
					_ = tk.Candidates(IP, "10.0.0.1")
				}
			})
		}
		wg.Wait()
	}
}

// TestTokenizerNoLeak prints a Tokenizer (with a warm cache holding raw
// identifiers) every way and checks that neither secrets nor cached values
// appear.
func TestTokenizerNoLeak(t *testing.T) {
	const canaryValue = "canary.person@example.com"
	tk := New(mustKeyring(t, Key{ID: "k1", Secret: canarySecret}), WithCache(4))
	tok := tk.Token(Email, canaryValue)
	var outs []string
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%d"} {
		outs = append(outs, fmt.Sprintf(verb, tk), fmt.Sprintf(verb, *tk))
	}
	outs = append(outs, tok)
	for _, out := range outs {
		assertNoSecret(t, "Tokenizer output", out, canarySecret)
		if strings.Contains(out, canaryValue) || strings.Contains(out, "canary.person") {
			t.Errorf("Tokenizer output leaks a cached value: %q", out)
		}
	}
}

func TestAppendBase32(t *testing.T) {
	src := make([]byte, 40)
	for i := range src {
		src[i] = byte(i*37 + 11)
	}
	for n := 0; n <= len(src); n++ {
		for _, fill := range []byte{0x00, 0xff} {
			in := bytes.Clone(src[:n])
			if fill == 0xff {
				for i := range in {
					in[i] |= 0xf0
				}
			}
			if got, want := string(appendBase32([]byte("p"), in)), "p"+b32.EncodeToString(in); got != want {
				t.Errorf("appendBase32(% x) = %q, want %q", in, got, want)
			}
		}
	}
}
