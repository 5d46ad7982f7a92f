package main

import (
	"bytes"
	"strings"
	"testing"
)

// canaries are the raw values planted in the example's logging calls.
var canaries = []string{
	"alice@example.com", "203.0.113.7", "bob@example.org", "hunter2!",
	"4111 1111 1111 1111", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxODQyIn0.c2lnbmF0dXJl",
	"AKIAIOSFODNN7EXAMPLE", "carol@example.net", "9081", "dave@example.com", "s3cr3tT0k3n",
	"erin@example.com",
}

func TestQuickstartEmitsNoCanary(t *testing.T) {
	var buf bytes.Buffer
	if err := run(&buf, "k1:a2V5LWZvci10aGUtcXVpY2tzdGFydC10ZXN0LW9ubHktMDAwMDA="); err != nil {
		t.Fatal(err)
	}
	var emitted, code strings.Builder
	lines := 0
	for _, line := range strings.Split(buf.String(), "\n") {
		switch {
		case strings.HasPrefix(line, "  veil: "):
			emitted.WriteString(line)
			lines++
		case strings.HasPrefix(line, "  code: "):
			code.WriteString(line)
		}
	}
	if lines != len(calls) {
		t.Fatalf("veil emitted %d lines for %d calls:\n%s", lines, len(calls), buf.String())
	}
	for _, c := range canaries {
		if !strings.Contains(code.String(), c) {
			t.Errorf("canary %q is not planted in any call: the test is out of date", c)
		}
		if strings.Contains(emitted.String(), c) {
			t.Errorf("canary %q leaked:\n%s", c, buf.String())
		}
	}
	// The useful parts survive.
	for _, keep := range []string{"login failed for tok_k1_", "ORD-20261125-0042", `"plan":"pro"`, "eu-west-1"} {
		if !strings.Contains(emitted.String(), keep) {
			t.Errorf("output lost %q:\n%s", keep, buf.String())
		}
	}
}
