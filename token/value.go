package token

import (
	"fmt"
	"log/slog"
	"unsafe"
)

// Value is an identifier marked for tokenization, made by [Of]. It lets an
// application log an identifier directly:
//
//	logger.Info("login", slog.Any("user", token.Of(token.Email, addr)))
//
// veil's redactor replaces it with the token ([Value.TokenWith]), or with the
// placeholder when no Tokenizer is configured. Everywhere else it renders as
// [Placeholder] of its kind, e.g. "[EMAIL]", never as the raw value: through
// fmt with any verb (including %#v and %+v), String, LogValue (any slog
// handler), encoding/json, encoding.TextMarshaler and errors built with
// fmt.Errorf.
//
// The raw value is held behind a pointer, so even reflection-based printing
// of a struct with an unexported Value field shows an address, not the value.
// The zero Value has kind "" and renders as "[REDACTED]".
type Value struct {
	kind string
	p    *byte // unsafe.StringData of the value, as log/slog stores strings
	n    int
}

// Of marks value as an identifier of the given kind (Email, Phone, IP,
// UserID, or a custom kind; see Placeholder). It does not copy or inspect
// value.
func Of(kind, value string) Value {
	return Value{kind: kind, p: unsafe.StringData(value), n: len(value)}
}

// Kind reports the kind of identifier.
func (v Value) Kind() string { return v.kind }

func (v Value) raw() string { return unsafe.String(v.p, v.n) }

// TokenWith returns the token of the marked value under t. With a nil or
// unusable t it returns the placeholder, never the raw value.
func (v Value) TokenWith(t *Tokenizer) string { return t.Token(v.kind, v.raw()) }

// String returns Placeholder(v.Kind()).
func (v Value) String() string { return Placeholder(v.kind) }

// GoString returns the placeholder, so %#v is safe.
func (v Value) GoString() string { return v.String() }

// Format writes the placeholder for every fmt verb; %q quotes it.
func (v Value) Format(f fmt.State, verb rune) { formatSafe(f, verb, v.String()) }

// LogValue returns the placeholder as a string, so handlers other than
// veil's print "[EMAIL]" and the like.
func (v Value) LogValue() slog.Value { return slog.StringValue(v.String()) }

// MarshalText returns the placeholder.
func (v Value) MarshalText() ([]byte, error) { return []byte(v.String()), nil }

// MarshalJSON returns the placeholder as a JSON string.
func (v Value) MarshalJSON() ([]byte, error) { return []byte(`"` + v.String() + `"`), nil }
