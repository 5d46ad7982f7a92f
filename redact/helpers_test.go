package redact

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"strings"
	"testing"

	"github.com/veilhq/veil/token"
)

// dropTime removes the time so that output is deterministic.
func dropTime(groups []string, a slog.Attr) slog.Attr {
	if len(groups) == 0 && a.Key == slog.TimeKey {
		return slog.Attr{}
	}
	return a
}

func mustNew(t testing.TB, opts ...Option) *Redactor {
	t.Helper()
	r, err := New(opts...)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return r
}

// jsonLogger returns a logger writing JSON lines through r into buf.
func jsonLogger(r *Redactor, buf *bytes.Buffer) *slog.Logger {
	return slog.New(r.Handler(slog.NewJSONHandler(buf, &slog.HandlerOptions{ReplaceAttr: dropTime})))
}

func textLogger(r *Redactor, buf *bytes.Buffer) *slog.Logger {
	return slog.New(r.Handler(slog.NewTextHandler(buf, &slog.HandlerOptions{ReplaceAttr: dropTime})))
}

// veilJSONLogger writes JSON lines through r's own encoder (JSONHandler),
// without their time: a canary's digits must not be found in it.
func veilJSONLogger(r *Redactor, buf *bytes.Buffer) *slog.Logger {
	return slog.New(r.JSONHandler(timeless{buf}, nil))
}

// timeless writes lines of JSON to w without their leading "time" member
// (JSONHandler writes each record with one Write).
type timeless struct{ w io.Writer }

func (t timeless) Write(p []byte) (int, error) {
	q := p
	if rest, ok := bytes.CutPrefix(p, []byte(`{"time":"`)); ok {
		if i := bytes.Index(rest, []byte(`",`)); i >= 0 {
			q = append([]byte{'{'}, rest[i+2:]...)
		}
	}
	if _, err := t.w.Write(q); err != nil {
		return 0, err
	}
	return len(p), nil
}

// canaryLoggers are the outputs every canary goes through.
var canaryLoggers = []func(r *Redactor, b *bytes.Buffer) *slog.Logger{jsonLogger, textLogger, veilJSONLogger}

// lastLine decodes the last JSON line in buf.
func lastLine(t testing.TB, buf *bytes.Buffer) map[string]any {
	t.Helper()
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	var m map[string]any
	if err := json.Unmarshal([]byte(lines[len(lines)-1]), &m); err != nil {
		t.Fatalf("bad JSON %q: %v", lines[len(lines)-1], err)
	}
	return m
}

// testTokenizer returns a tokenizer with a fixed test key.
func testTokenizer(t testing.TB) *token.Tokenizer {
	t.Helper()
	kr, err := token.NewKeyring(token.Key{ID: "k1", Secret: bytes.Repeat([]byte{7}, 32)})
	if err != nil {
		t.Fatalf("NewKeyring: %v", err)
	}
	return token.New(kr)
}

// logOne logs one record with attrs through a fresh JSON logger and returns
// the decoded line.
func logOne(t testing.TB, r *Redactor, msg string, args ...any) map[string]any {
	t.Helper()
	var buf bytes.Buffer
	jsonLogger(r, &buf).Info(msg, args...)
	return lastLine(t, &buf)
}
