package token

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base32"
	"strings"
	"testing"
)

// b32 is encoding/base32 with the token alphabet and no padding: the
// reference for appendBase32 and the decoder of token bodies in tests.
var b32 = base32.NewEncoding(b32Alphabet).WithPadding(base32.NoPadding)

// maxTokenLen is the longest token: "tok_" + 16-byte id + "_" + base32 of 32 bytes.
const maxTokenLen = 4 + maxKeyIDLen + 1 + 52

// refMAC is crypto/hmac's HMAC-SHA-256, the reference for padStates.sum.
func refMAC(key, msg []byte) []byte {
	h := hmac.New(sha256.New, key)
	h.Write(msg)
	return h.Sum(nil)
}

// TestPadStatesMatchHMAC checks the precomputed-state HMAC against
// crypto/hmac for keys shorter than, equal to and longer than the SHA-256
// block (which RFC 2104 hashes first) and messages around block boundaries.
func TestPadStatesMatchHMAC(t *testing.T) {
	for _, keyLen := range []int{32, 34, 63, 64, 65, 100, 200} {
		key := make([]byte, keyLen)
		for i := range key {
			key[i] = byte(i*31 + keyLen)
		}
		p, err := newPadStates(key)
		if err != nil {
			t.Fatal(err)
		}
		for msgLen := 0; msgLen <= 200; msgLen++ {
			msg := bytes.Repeat([]byte{byte(msgLen)}, msgLen)
			var got [sha256.Size]byte
			p.sum(&got, msg)
			if want := refMAC(key, msg); !bytes.Equal(got[:], want) {
				t.Fatalf("key %d bytes, message %d bytes: MAC %x, want %x", keyLen, msgLen, got, want)
			}
		}
	}
}

// TestLongValues covers MAC inputs too long for the stack buffer, which are
// built in a pooled buffer, against crypto/hmac over appendMACInput.
func TestLongValues(t *testing.T) {
	tk := katTokenizer(t, WithBits(256))
	for _, c := range []struct{ kind, value string }{
		{UserID, strings.Repeat("u", stackInput)},
		{UserID, strings.Repeat("v", 10000)}, // larger than the pooled buffers kept
		{Email, strings.Repeat("a", 200) + "@example.com"},
		{strings.Repeat("Bad Kind", 20), "x"},
		{"custom", strings.Repeat("0123456789", 30)},
	} {
		for range 2 { // fresh and reused pooled buffers
			body, _ := strings.CutPrefix(tk.Token(c.kind, c.value), "tok_k1_")
			mac, err := b32.DecodeString(body)
			if err != nil {
				t.Fatal(err)
			}
			want := refMAC(katK1, tk.cfg.appendMACInput(nil, c.kind, c.value))
			if !bytes.Equal(mac, want) {
				t.Errorf("Token(%.20q…, %.20q…): MAC %x, want %x", c.kind, c.value, mac, want)
			}
		}
	}
}

// FuzzMAC checks tokens against crypto/hmac over appendMACInput for any
// kind and value, on both sides of the stack buffer's size.
func FuzzMAC(f *testing.F) {
	f.Add(Email, "Alice@Example.com")
	f.Add(UserID, strings.Repeat("x", stackInput))
	f.Add("Bad Kind", "")
	tk := katTokenizer(f, WithBits(256))
	f.Fuzz(func(t *testing.T, kind, value string) {
		body, _ := strings.CutPrefix(tk.Token(kind, value), "tok_k1_")
		mac, err := b32.DecodeString(body)
		if err != nil {
			t.Fatal(err)
		}
		if want := refMAC(katK1, tk.cfg.appendMACInput(nil, kind, value)); !bytes.Equal(mac, want) {
			t.Fatalf("MAC %x, want %x", mac, want)
		}
	})
}

// FuzzAppendBase32 checks the hand-written encoder against encoding/base32.
func FuzzAppendBase32(f *testing.F) {
	f.Add([]byte("p"), bytes.Repeat([]byte{0xff}, 32))
	f.Add([]byte(nil), []byte{0})
	f.Fuzz(func(t *testing.T, dst, src []byte) {
		want := string(dst) + b32.EncodeToString(src)
		if got := string(appendBase32(bytes.Clone(dst), src)); got != want {
			t.Fatalf("appendBase32(%q, % x) = %q, want %q", dst, src, got, want)
		}
	})
}

// TestDirectSumMatchesHMAC checks sum with room for the padding after the
// message (the direct finish), as the stack input buffer gives it, against
// crypto/hmac, for every message length the direct finish takes and some
// beyond.
func TestDirectSumMatchesHMAC(t *testing.T) {
	if !directSum {
		t.Skip("this build's SHA-256 does not allow the direct finish")
	}
	for _, keyLen := range []int{16, 32, 64, 65} {
		key := bytes.Repeat([]byte{byte(keyLen)}, keyLen)
		p, err := newPadStates(key)
		if err != nil {
			t.Fatal(err)
		}
		for msgLen := 0; msgLen <= 200; msgLen++ {
			for _, spare := range []int{0, 9, 64, 128} {
				buf := make([]byte, msgLen, msgLen+spare)
				for i := range buf {
					buf[i] = byte(i*7 + msgLen)
				}
				want := refMAC(key, buf)
				var got [sha256.Size]byte
				p.sum(&got, buf)
				if !bytes.Equal(got[:], want) {
					t.Fatalf("key %d bytes, message %d bytes, %d spare: MAC %x, want %x", keyLen, msgLen, spare, got, want)
				}
				if !bytes.Equal(buf, refMsg(msgLen)) {
					t.Fatalf("message %d bytes: sum modified the message", msgLen)
				}
			}
		}
	}
}

func refMsg(n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(i*7 + n)
	}
	return b
}
