package benchmarks

import (
	"crypto/hmac"
	"crypto/sha256"
	"strings"
	"testing"

	"github.com/veilhq/veil/token"
)

var tokenInputs = []struct {
	name  string
	value string
}{
	{"20B", "alice.smith@ex.com.x"},
	{"64B", strings.Repeat("bob.jones+orders@", 4)[:64]},
}

var benchSecret = []byte(strings.Repeat("k", 32))

func benchKeyring(tb testing.TB) *token.Keyring {
	kr, err := token.NewKeyring(token.Key{ID: "k1", Secret: benchSecret})
	if err != nil {
		tb.Fatal(err)
	}
	return kr
}

// macInput is the exact message veil's tokenizer MACs for a user_id value
// (see the token package documentation, "Token construction"), so the bare
// baseline hashes the same bytes.
func macInput(value string) []byte {
	return []byte("veil-token-v1\x00" + token.UserID + "\x00" + value)
}

// BenchmarkTokenize compares veil's tokenizer with a bare HMAC-SHA-256 of the
// same message, whose key was set up once and whose input was built once:
// the floor any keyed tokenization pays. veil adds building the message
// (normalization), base32 and the returned string (one allocation);
// veil-append writes into a caller's buffer; veil-cached is a cache hit.
func BenchmarkTokenize(b *testing.B) {
	for _, in := range tokenInputs {
		b.Run("in="+in.name+"/side=bare-hmac", func(b *testing.B) {
			m := hmac.New(sha256.New, benchSecret)
			msg := macInput(in.value)
			var sum [sha256.Size]byte
			b.ReportAllocs()
			for b.Loop() {
				m.Reset()
				m.Write(msg)
				m.Sum(sum[:0])
			}
		})
		b.Run("in="+in.name+"/side=veil", func(b *testing.B) {
			t := token.New(benchKeyring(b))
			b.ReportAllocs()
			for b.Loop() {
				_ = t.Token(token.UserID, in.value)
			}
		})
		b.Run("in="+in.name+"/side=veil-append", func(b *testing.B) {
			t := token.New(benchKeyring(b))
			buf := make([]byte, 0, 64)
			b.ReportAllocs()
			for b.Loop() {
				buf = t.AppendToken(buf[:0], token.UserID, in.value)
			}
		})
		b.Run("in="+in.name+"/side=veil-cached", func(b *testing.B) {
			t := token.New(benchKeyring(b), token.WithCache(1024))
			b.ReportAllocs()
			for b.Loop() {
				_ = t.Token(token.UserID, in.value)
			}
		})
	}
}
