package scan

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// TestUUIDSkip checks that skipping UUIDs whole changes no result: texts
// with UUIDs (random hex, all-digit groups, card-like and phone-like groups,
// letters that start prefixes and IBANs) in many contexts scan the same with
// and without the skip.
func TestUUIDSkip(t *testing.T) {
	groups := [][]string{
		{"3f2a9c1e", "12345678", "41111111", "AB12CD34", "DE891234", "ABCDEF12", "be12ab34", "eeeeeeee", "00000000", "55501234"},
		{"7b4d", "4111", "1111", "1234", "BEEF", "ba12", "0000", "5550"},
		{"4e8a", "4111", "1111", "2001", "DB8A", "ae12"},
		{"9f0c", "4111", "1111", "0132", "ffff", "AB12"},
		{"2d6b8a1e5c7f", "111111111111", "411111111111", "123456789012", "ABCDEF123456", "4155550132ab", "a1b2c3d4e5f6"},
	}
	prefixes := []string{"", " ", "id=", "id:", "uuid: ", "card 4111 ", "card 4111-1111-", "+1 ", "+", "(", "@", "a@", "x-",
		"x", "_", "1.", "1-", "Bearer ", "Basic ", "\\n", "%2F", "/", "token=", "password: ", "ssn 123-45-", "-----BEGIN ", "::",
		"2001:db8::", "AKIA", "DE89 ", "alice%40"}
	suffixes := []string{"", " ", "@example.com", ":", ":8080", ".", ".5", "-", "-4111", "-1111 1111", "=", "=x", "x", "_1", "\\n",
		"%40example.com", " 1111 1111", "/", "::1", ".example.com"}
	rng := rand.New(rand.NewPCG(1, 2))
	hex := "0123456789abcdefABCDEF"
	s := New(All)
	check := func(text string) {
		t.Helper()
		noUUIDSkip = false
		got := s.Scan(nil, text)
		noUUIDSkip = true
		want := s.Scan(nil, text)
		noUUIDSkip = false
		if !slices.Equal(got, want) {
			t.Fatalf("Scan(%q) = %v with the UUID skip, %v without", text, got, want)
		}
	}
	defer func() { noUUIDSkip = false }()
	n := 0
	for _, p := range prefixes {
		for _, x := range suffixes {
			for range 40 {
				var b strings.Builder
				b.WriteString(p)
				for g, opts := range groups {
					if g > 0 {
						b.WriteByte('-')
					}
					if rng.IntN(2) == 0 {
						b.WriteString(opts[rng.IntN(len(opts))])
					} else {
						for range len(opts[0]) {
							b.WriteByte(hex[rng.IntN(len(hex))])
						}
					}
				}
				b.WriteString(x)
				check(b.String())
				n++
			}
		}
	}
	// Near misses: a group too short or too long, a non-hex byte.
	for _, text := range []string{
		"3f2a9c1e-7b4d-4e8a-9f0c-2d6b8a1e5c7", "3f2a9c1e-7b4d-4e8a-9f0c-2d6b8a1e5c7fa", "3f2a9c1e-7b4d-4e8a-9f0c_2d6b8a1e5c7f",
		"3f2a9c1e-7b4d-4e8a-9f0g-2d6b8a1e5c7f", "41111111-1111-1111-1111-111111111111", "4111-1111-1111-1111-111111111111",
		"12345678-1234-1234-1234-123456789012 alice@example.com",
	} {
		check(text)
	}
	if n == 0 {
		t.Fatal("no texts")
	}
}
