package token

import (
	"encoding/hex"
	"strings"
	"testing"
)

// Test keys of the known-answer vectors.
var (
	// katK1 is bytes 0x00..0x1f: hexkey:000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f
	katK1 = func() []byte {
		b := make([]byte, 32)
		for i := range b {
			b[i] = byte(i)
		}
		return b
	}()
	// katK2 is the ASCII string below: hexkey:7665696c2d746573742d6b65792d74776f2d30313233343536373839616263646566
	katK2 = []byte("veil-test-key-two-0123456789abcdef")
)

func katTokenizer(t testing.TB, opts ...Option) *Tokenizer {
	t.Helper()
	kr, err := NewKeyring(Key{ID: "k1", Secret: katK1})
	if err != nil {
		t.Fatal(err)
	}
	return New(kr, opts...)
}

// TestKnownAnswers checks full tokens against values computed outside this
// package with Python's hmac module. Every vector's command is in its comment;
// the shared prefix is
//
//	python3 -c 'import hmac,hashlib,base64;m=hmac.new(KEY,MSG,hashlib.sha256).digest();print(base64.b32encode(m[:BITS//8]).decode().lower().rstrip("="))'
//
// with KEY=bytes(range(32)) for k1 and KEY=b"veil-test-key-two-0123456789abcdef" for k2.
func TestKnownAnswers(t *testing.T) {
	k2, err := NewKeyring(Key{ID: "k2", Secret: katK2}, Key{ID: "k1", Secret: katK1})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name        string
		tok         *Tokenizer
		kind, value string
		want        string
	}{
		// MSG=b"veil-token-v1\x00email\x00alice@example.com", KEY=k1, BITS=128
		{"email", katTokenizer(t), Email, "alice@example.com", "tok_k1_mjsyfkohgzemshivrhqo4eiqmm"},
		// Same MSG: case, white space and the trailing dot are normalized away.
		{"email normalized", katTokenizer(t), Email, "  ALICE@Example.COM. ", "tok_k1_mjsyfkohgzemshivrhqo4eiqmm"},
		// MSG=b"veil-token-v1\x00email\x00alice@xn--bcher-kva.de", KEY=k1, BITS=128
		{"email idn", katTokenizer(t), Email, " Alice@BÜCHER.de ", "tok_k1_nt7ju6wdaqcw7hqehzw4npzzsi"},
		// MSG=b"veil-token-v1\x00phone\x00+15550109999", KEY=k1, BITS=128
		{"phone", katTokenizer(t), Phone, "+1 (555) 010-9999", "tok_k1_tlxmknt7gagaj3jhfvqzqwmvxa"},
		// MSG=b"veil-token-v1\x00ip\x00192.0.2.1", KEY=k1, BITS=128
		{"ip mapped", katTokenizer(t), IP, "::ffff:192.0.2.1", "tok_k1_qbghtyhmhib5xdjvtu33xgq7rq"},
		// MSG=b"veil-token-v1\x00user_id\x00u-123", KEY=k1, BITS=128
		{"user_id", katTokenizer(t), UserID, "  u-123\t", "tok_k1_5hkbimovjc756qb4zlfrwwiyjm"},
		// MSG=b"veil-token-v1\x00!456d61696c\x00Alice@Example.com", KEY=k1, BITS=128 (invalid kind "Email")
		{"invalid kind", katTokenizer(t), "Email", "Alice@Example.com", "tok_k1_tqr4e3woii2ukhg2oxjwlrcb7u"},
		// MSG=b"veil-token-v1\x00email\x00\xff\xfe@example.com", KEY=k1, BITS=128 (invalid UTF-8, generic rule)
		{"invalid utf8", katTokenizer(t), Email, "\xff\xfe@example.com", "tok_k1_f5ww4wefh3eijmfupf3rlauss4"},
		// MSG=b"veil-token-v1\x00email\x00", KEY=k1, BITS=128
		{"empty", katTokenizer(t), Email, "", "tok_k1_mt3zp7w7kt3iupzgbtuyermbgi"},
		// MSG=b"veil-token-v1\x00email\x00alice@example.com", KEY=k1, BITS=96
		{"96 bits", katTokenizer(t, WithBits(96)), Email, "alice@example.com", "tok_k1_mjsyfkohgzemshivrhqa"},
		// Same, BITS=104: WithBits(100) rounds up to 104.
		{"100 bits", katTokenizer(t, WithBits(100)), Email, "alice@example.com", "tok_k1_mjsyfkohgzemshivrhqo4"},
		// Same, BITS=256
		{"256 bits", katTokenizer(t, WithBits(256)), Email, "alice@example.com", "tok_k1_mjsyfkohgzemshivrhqo4eiqmm3bkymla7ewsdhmrbl3mljnsuzq"},
		// MSG=b"veil-token-v1\x00email\x00alice@example.com", KEY=k2, BITS=128
		{"k2 primary", New(k2), Email, "alice@example.com", "tok_k2_4vmwtoylhv6kw7b6urtkpf7xza"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.tok.Token(tt.kind, tt.value); got != tt.want {
				t.Errorf("Token(%q, %q) = %q, want %q", tt.kind, tt.value, got, tt.want)
			}
			if got := string(tt.tok.AppendToken(nil, tt.kind, tt.value)); got != tt.want {
				t.Errorf("AppendToken(%q, %q) = %q, want %q", tt.kind, tt.value, got, tt.want)
			}
		})
	}
}

// TestKnownAnswersOpenSSL checks the raw MAC, decoded from the token, against
// full HMAC outputs computed with openssl.
func TestKnownAnswersOpenSSL(t *testing.T) {
	tests := []struct {
		kind, value string
		wantHex     string
	}{
		// printf 'veil-token-v1\x00email\x00alice@example.com' | openssl dgst -sha256 -mac HMAC -macopt hexkey:000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f
		{Email, "alice@example.com", "626582a9c73648c91d1589e0ee1110633615618b07c9690cec8857b62d2d9533"},
		// printf 'veil-token-v1\x00email\x00alice@xn--bcher-kva.de' | openssl dgst -sha256 -mac HMAC -macopt hexkey:000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f
		{Email, "alice@bücher.DE", "6cfe9a7ac304056f9e043e6dc6bf39925fe71afbb9e2d1484dc177a81d268ef0"},
		// printf 'veil-token-v1\x00phone\x00+15550109999' | openssl dgst -sha256 -mac HMAC -macopt hexkey:000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f
		{Phone, "001.555.010.9999", "9aeec5367f300c04ed272d61985995b83dfe8b288cd22f26482087b9da6517d0"},
		// printf 'veil-token-v1\x00ip\x00192.0.2.1' | openssl dgst -sha256 -mac HMAC -macopt hexkey:000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f
		{IP, "192.0.2.1", "804c79e0ec3a03db8d359d37bb9a1f8cb7042825c067e00b81a62cf0dd5c624e"},
		// printf 'veil-token-v1\x00user_id\x00u-123' | openssl dgst -sha256 -mac HMAC -macopt hexkey:000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f
		{UserID, "u-123", "e9d41431d548bfdf403ccacb1b59184becafd8f15520538a5871259d38f17ccb"},
		// printf 'veil-token-v1\x00!456d61696c\x00Alice@Example.com' | openssl dgst -sha256 -mac HMAC -macopt hexkey:000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f
		{"Email", "Alice@Example.com", "9c23c26ece4235451cda75d365c441fd0fd667b709b654e2f864e47b810d7808"},
	}
	tk := katTokenizer(t, WithBits(256))
	for _, tt := range tests {
		tok := tk.Token(tt.kind, tt.value)
		body, ok := strings.CutPrefix(tok, "tok_k1_")
		if !ok {
			t.Fatalf("Token(%q, %q) = %q, want prefix tok_k1_", tt.kind, tt.value, tok)
		}
		mac, err := b32.DecodeString(body)
		if err != nil {
			t.Fatalf("decoding %q: %v", body, err)
		}
		if got := hex.EncodeToString(mac); got != tt.wantHex {
			t.Errorf("MAC of (%q, %q) = %s, want %s", tt.kind, tt.value, got, tt.wantHex)
		}
	}
}
