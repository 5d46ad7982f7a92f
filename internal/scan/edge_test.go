package scan

import (
	"slices"
	"strings"
	"sync"
	"testing"
)

func TestEmptyAndNil(t *testing.T) {
	if got := New(All).Scan(nil, ""); got != nil {
		t.Errorf("Scan(nil, \"\") = %v, want nil", got)
	}
	dst := []Match{{Start: 0, End: 1, Kind: Card}}
	if got := New(All).Scan(dst, ""); !slices.Equal(got, dst) {
		t.Errorf("Scan(dst, \"\") changed dst: %v", got)
	}
	var nilScanner *Scanner
	if got := nilScanner.Scan(dst, "alice@example.com"); !slices.Equal(got, dst) {
		t.Errorf("nil scanner changed dst: %v", got)
	}
	if got := New(0).Scan(nil, "alice@example.com 4111111111111111"); len(got) != 0 {
		t.Errorf("empty set matched %v", got)
	}
}

// TestInvalidUTF8 puts invalid UTF-8 around and inside values: no panic, the
// contract holds, and values next to invalid bytes are still found.
func TestInvalidUTF8(t *testing.T) {
	runCases(t, []detectCase{
		{"\xffalice@example.com\xfe", []string{"email:\xffalice@example.com"}}, // non-ASCII bytes belong to a local part
		{"\xc3(10.1.2.3\xa0", []string{"ipv4:10.1.2.3"}},
		{"password=\xff\xfehunter2 x", []string{"generic_secret:\xff\xfehunter2"}},
		{"\xed\xa0\x80 4111111111111111 \xf4\x90\x80\x80", []string{"card:4111111111111111"}},
		{"Bearer \xffabc", nil},
		{"ali\xffce@example.com", []string{"email:ali\xffce@example.com"}},
	})
	bad := strings.Repeat("\xff\xfe\xc0\xaf@:=+(-", 1000)
	checkMatches(t, bad, New(All).Scan(nil, bad))
}

// TestHugeValues scans 1 MiB values under and around every anchor: no panic,
// the contract holds, and a huge value under a secret key is matched whole.
func TestHugeValues(t *testing.T) {
	big := strings.Repeat("a1", 1<<19)
	cases := []struct {
		text string
		want []string
	}{
		{"password=" + big, []string{"generic_secret:" + big}},
		{`{"token":"` + big + `"}`, []string{"generic_secret:" + big}},
		{`{"token":"` + big, []string{"generic_secret:" + big}}, // unterminated: to the end
		{"-----BEGIN PRIVATE KEY-----" + big, []string{"private_key:-----BEGIN PRIVATE KEY-----" + big}},
		{big + "@example.com", []string{"email:" + big[len(big)-64:] + "@example.com"}}, // local part over 64 bytes: its last 64
		{"x@" + big + ".com", nil}, // domain over 253 bytes
		{"Bearer " + big, []string{"bearer_token:" + big}},
		{strings.Repeat("9", 1<<20), nil},
	}
	for _, c := range cases {
		got := found(t, c.text)
		if c.want == nil {
			c.want = []string{}
		}
		if !slices.Equal(got, c.want) {
			t.Errorf("Scan(%q): got %d matches %q, want %q", clip(c.text), len(got), clipAll(got), clipAll(c.want))
		}
	}
}

func clipAll(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = clip(s)
	}
	return out
}

// TestSetFiltering scans the positive corpus with one detector at a time:
// only that kind is reported, and every planted value of that kind is found.
func TestSetFiltering(t *testing.T) {
	lines := readLines(t, "testdata/positive.txt")
	for k := Kind(1); k < numKinds; k++ {
		s := New(SetOf(k))
		for _, l := range lines {
			text, want := plant(t, l)
			got := s.Scan(nil, text)
			checkMatches(t, text, got)
			for _, m := range got {
				if m.Kind != k {
					t.Errorf("New(%v) reported %v %q", k, m.Kind, text[m.Start:m.End])
				}
			}
			for _, w := range want {
				if w.Kind == k && !slices.Contains(got, w) {
					t.Errorf("New(%v) missed %q in %q (got %s)", k, text[w.Start:w.End], text, render(text, got))
				}
			}
		}
	}
}

func TestZeroAllocs(t *testing.T) {
	s := New(All)
	dst := make([]Match, 0, 64)
	for name, text := range map[string]string{"clean": cleanLog, "pii": piiLog} {
		if n := testing.AllocsPerRun(100, func() { dst = s.Scan(dst[:0], text) }); n != 0 {
			t.Errorf("%s: %v allocations per Scan, want 0", name, n)
		}
		// A buffer on the caller's stack stays there: Scan's dst does not
		// escape (redact scans into a per-record buffer).
		if n := testing.AllocsPerRun(100, func() {
			var buf [16]Match
			if len(s.Scan(buf[:0], text)) > len(buf) {
				t.Fatal("more matches than the buffer holds")
			}
		}); n != 0 {
			t.Errorf("%s: %v allocations per Scan into a stack buffer, want 0", name, n)
		}
	}
	if len(s.Scan(dst[:0], piiLog)) < 8 {
		t.Errorf("piiLog has fewer planted values than expected: %s", render(piiLog, s.Scan(nil, piiLog)))
	}
}

func TestConcurrentUse(t *testing.T) {
	s := New(All)
	want := s.Scan(nil, piiLog)
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			var dst []Match
			for range 200 {
				dst = s.Scan(dst[:0], piiLog)
				if !slices.Equal(dst, want) {
					t.Error("concurrent Scan gave a different result")
					return
				}
			}
		})
	}
	wg.Wait()
}

// TestCanary plants known secrets in many shapes of text, replaces every
// match by its placeholder, and asserts that no byte of a canary survives as
// a substring of the output.
func TestCanary(t *testing.T) {
	const canary = "Zq7Kx9Vw2Lm4Np8R"
	texts := []string{
		"password=" + canary,
		`{"client_secret":"` + canary + `"}`,
		`msg="{\"api_key\":\"` + canary + `\"}"`,
		"Authorization: Bearer " + canary,
		"Authorization: Basic " + "WnE3S3g5VncyTG00TnA4UjpacTdLeDlWdzJMbTROcDhS", // canary:canary
		"https://u:" + canary + "@host/",
		"https://" + canary + "@host/",
		"token: " + canary + " next",
		"-----BEGIN PRIVATE KEY-----\n" + canary + "\n-----END PRIVATE KEY-----",
		"-----BEGIN PRIVATE KEY-----\n" + canary,
		"X-Auth-Token: " + canary,
		"secret='" + canary + "'",
		"SESSION_TOKEN=" + canary + "&",
	}
	s := New(All)
	for _, text := range texts {
		out, _ := redact(text, s.Scan(nil, text))
		if strings.Contains(out, canary) || strings.Contains(out, "WnE3S3g5") {
			t.Errorf("canary survived: %q -> %q", text, out)
		}
	}
}
