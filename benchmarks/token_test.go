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
	{"20B", "alice.smith@ex.com.x"[:20]},
	{"64B", strings.Repeat("bob.jones+orders@", 4)[:64]},
}

func benchKeyring(b *testing.B) *token.Keyring {
	kr, err := token.NewKeyring(token.Key{ID: "k1", Secret: []byte(strings.Repeat("k", 32))})
	if err != nil {
		b.Fatal(err)
	}
	return kr
}

// BenchmarkTokenize compares veil's tokenizer with a bare HMAC-SHA-256 whose key
// was set up once: the floor any keyed tokenization pays.
func BenchmarkTokenize(b *testing.B) {
	for _, in := range tokenInputs {
		b.Run("bare-hmac/"+in.name, func(b *testing.B) {
			m := hmac.New(sha256.New, []byte(strings.Repeat("k", 32)))
			var sum [sha256.Size]byte
			b.ReportAllocs()
			for b.Loop() {
				m.Reset()
				m.Write([]byte(in.value))
				m.Sum(sum[:0])
			}
		})
		b.Run("veil/"+in.name, func(b *testing.B) {
			t := token.New(benchKeyring(b))
			b.ReportAllocs()
			for b.Loop() {
				_ = t.Token(token.UserID, in.value)
			}
		})
		b.Run("veil-cached/"+in.name, func(b *testing.B) {
			t := token.New(benchKeyring(b), token.WithCache(1024))
			b.ReportAllocs()
			for b.Loop() {
				_ = t.Token(token.UserID, in.value)
			}
		})
	}
}
