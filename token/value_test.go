package token

import (
	"bytes"
	"encoding"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"log/slog"
	"strings"
	"testing"
)

// TestValueNeverRendersRaw logs and prints a marked value through everything
// that is not veil's redactor and checks only the placeholder comes out.
func TestValueNeverRendersRaw(t *testing.T) {
	const raw = "canary.person@example.com"
	v := Of(Email, raw)
	type withValue struct {
		User  Value
		hid   Value // unexported: fmt prints it by reflection
		Inner struct{ v Value }
	}
	w := withValue{User: v, hid: v}
	w.Inner.v = v

	var outs []string
	for _, arg := range []any{v, &v, w, &w, []Value{v}, map[string]Value{"u": v}, map[Value]int{v: 1}} {
		for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%d", "%10.3s", "%-8v", "%T", "%p"} {
			outs = append(outs, fmt.Sprintf(verb, arg))
		}
		outs = append(outs, fmt.Sprint(arg), fmt.Sprintln(arg))
		js, err := json.Marshal(arg)
		if err != nil && !strings.Contains(err.Error(), "unsupported type") { // map[Value]int keys use MarshalText
			t.Errorf("json.Marshal(%T): %v", arg, err)
		}
		outs = append(outs, string(js))
	}
	var tm encoding.TextMarshaler = v
	b, _ := tm.MarshalText()
	outs = append(outs, string(b), v.String(), v.GoString(), v.LogValue().String())
	err := fmt.Errorf("login failed for %v", v)
	outs = append(outs, err.Error(), fmt.Errorf("wrap: %w", err).Error(), errors.Unwrap(fmt.Errorf("w: %w", err)).Error())

	var buf bytes.Buffer
	for _, h := range []slog.Handler{
		slog.NewJSONHandler(&buf, &slog.HandlerOptions{AddSource: true}),
		slog.NewTextHandler(&buf, nil),
	} {
		l := slog.New(h)
		l.Info("login", "user", v)
		l.Info("login", slog.Any("user", v), slog.Group("g", slog.Any("u", v)))
		l.With("user", v).Info("with")
		l.WithGroup("req").Info("grouped", "user", v, "s", w)
		l.Info(fmt.Sprint(v))
	}
	var lb bytes.Buffer
	log.New(&lb, "", 0).Printf("%v %+v %#v", v, w, &w)
	outs = append(outs, buf.String(), lb.String())

	for _, out := range outs {
		if strings.Contains(out, raw) || strings.Contains(out, "canary.person") {
			t.Errorf("raw value leaked: %q", out)
		}
	}
	if !strings.Contains(buf.String(), `"user":"[EMAIL]"`) || !strings.Contains(buf.String(), `user=[EMAIL]`) {
		t.Errorf("slog output lacks the placeholder:\n%s", buf.String())
	}
	if got := fmt.Sprintf("%v|%+v|%#v|%q", v, v, v, v); got != `[EMAIL]|[EMAIL]|[EMAIL]|"[EMAIL]"` {
		t.Errorf("fmt = %s", got)
	}
	if js, _ := json.Marshal(map[string]Value{"u": v}); string(js) != `{"u":"[EMAIL]"}` {
		t.Errorf("json = %s", js)
	}
}

func TestValueTokenWith(t *testing.T) {
	tk := New(mustKeyring(t, Key{ID: "k1", Secret: katK1}))
	tests := []struct {
		kind, value, placeholder string
	}{
		{Email, "Alice@Example.com", "[EMAIL]"},
		{Phone, "+1 555 010 9999", "[PHONE]"},
		{IP, "10.0.0.1", "[IP]"},
		{UserID, "u-1", "[USER_ID]"},
		{"tenant", "acme", "[TENANT]"},
		{"Bad Kind", "secret@example.com", "[REDACTED]"},
		{"", "", "[REDACTED]"},
	}
	for _, tt := range tests {
		v := Of(tt.kind, tt.value)
		if v.Kind() != tt.kind {
			t.Errorf("Kind() = %q, want %q", v.Kind(), tt.kind)
		}
		if got, want := v.TokenWith(tk), tk.Token(tt.kind, tt.value); got != want {
			t.Errorf("Of(%q, %q).TokenWith = %q, want %q", tt.kind, tt.value, got, want)
		}
		if got := v.String(); got != tt.placeholder {
			t.Errorf("Of(%q, …).String() = %q, want %q", tt.kind, got, tt.placeholder)
		}
	}
	var zero Value
	if zero.String() != "[REDACTED]" || zero.TokenWith(tk) != tk.Token("", "") {
		t.Errorf("zero Value: %q / %q", zero.String(), zero.TokenWith(tk))
	}
	// Of does not allocate: the value is referenced, not copied.
	s := strings.Repeat("x", 64)
	if n := testing.AllocsPerRun(100, func() { _ = Of(Email, s) }); n != 0 {
		t.Errorf("Of allocates %v times", n)
	}
}
