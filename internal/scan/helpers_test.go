package scan

import "testing"

// checkMatches asserts the Scan contract: spans in range, non-empty, ordered,
// not overlapping, with a valid kind.
func checkMatches(t testing.TB, text string, ms []Match) {
	t.Helper()
	prev := 0
	for i, m := range ms {
		if m.Start < prev || m.Start >= m.End || m.End > len(text) {
			t.Fatalf("match %d %+v out of order, empty or out of range (previous end %d, len %d) in %q", i, m, prev, len(text), clip(text))
		}
		if !m.Kind.valid() {
			t.Fatalf("match %d has invalid kind %d", i, m.Kind)
		}
		prev = m.End
	}
}

func clip(s string) string {
	if len(s) > 200 {
		return s[:200] + "…"
	}
	return s
}

// found scans text with every detector and renders the matches as
// "kind:span", checking the Scan contract on the way.
func found(t testing.TB, text string) []string {
	t.Helper()
	ms := New(All).Scan(nil, text)
	checkMatches(t, text, ms)
	out := []string{}
	for _, m := range ms {
		out = append(out, m.Kind.String()+":"+text[m.Start:m.End])
	}
	return out
}
