package scan

import (
	"slices"
	"strings"
	"testing"
)

// redact replaces every match by its kind's placeholder and returns the new
// text and the placeholders' spans in it.
func redact(text string, ms []Match) (string, []Match) {
	var b strings.Builder
	var spans []Match
	last := 0
	for _, m := range ms {
		b.WriteString(text[last:m.Start])
		p := m.Kind.Placeholder()
		spans = append(spans, Match{Start: b.Len(), End: b.Len() + len(p), Kind: m.Kind})
		b.WriteString(p)
		last = m.End
	}
	b.WriteString(text[last:])
	return b.String(), spans
}

func FuzzScan(f *testing.F) {
	for _, name := range []string{"testdata/benign.log", "testdata/positive.txt"} {
		for _, l := range readLines(f, name) {
			if strings.Contains(l, "«") {
				l, _ = plant(f, l)
			}
			f.Add(l)
		}
	}
	for _, seed := range []string{"", "@", "::", "=", "+1 (", "-----BEGIN PRIVATE KEY-----", "\xff\xfe@a.co",
		"password=\"", `\"token\":\"`, "4111 1111 1111 1111 1111", "https://a:b@", "Bearer ", "eyJ.eyJ.", "AKIA",
		"Cookie: a=", `"Cookie":[`, "Password:[", "[]string{", "<password>", `\u003cpassword\u003e`, "token%3D", "@tcp(", "[-password ",
		"PASSWORD ('", "IDENTIFIED BY ", "&sig=", "sq0csp-", "EAAA",
		"mysql -p'", "curl -u a:", "curl --user=", "sshpass -p ", "redis-cli -a ",
		"invalid token ", "api key \"", "password is ", "secret key ",
		"(password) VALUES ('", "(`token`,`password`)VALUES(N'", "(password) VALUES (f('x', g('", "jdbc:oracle:thin:a/b@", "conn a/b@",
		"openssl x -passin pass:", "smbclient -U a\\b%", "ldapsearch -w"} {
		f.Add(seed)
	}
	s := New(All)
	f.Fuzz(func(t *testing.T, text string) {
		ms := s.Scan(nil, text)
		checkMatches(t, text, ms)

		// Deterministic, and appending after existing matches leaves them alone.
		prefix := []Match{{Start: 1, End: 2, Kind: Email}}
		again := s.Scan(slices.Clip(prefix), text)
		if again[0] != prefix[0] || !slices.Equal(again[1:], ms) {
			t.Fatalf("second scan differs:\n%v\n%v", ms, again[1:])
		}

		// A placeholder is never matched again.
		red, holes := redact(text, ms)
		for _, m := range s.Scan(nil, red) {
			for _, h := range holes {
				if m.Start < h.End && h.Start < m.End {
					t.Fatalf("rescan of %q matched %v %q over placeholder %q", red, m.Kind, red[m.Start:m.End], red[h.Start:h.End])
				}
			}
		}
	})
}
