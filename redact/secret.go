package redact

import (
	"fmt"
	"io"
	"log/slog"
	"strconv"
)

// Secret holds a value that must never be printed, marshaled or logged. Every
// way of rendering it (fmt with any verb, encoding/json, encoding/text,
// log/slog with any handler) yields "[REDACTED]"; only [Secret.Reveal] gives
// the value back. The zero Secret holds the zero value of T.
type Secret[T any] struct{ v T }

// NewSecret wraps v.
func NewSecret[T any](v T) Secret[T] { return Secret[T]{v} }

// Reveal returns the wrapped value. Call it only where the value is used,
// never to log it.
func (s Secret[T]) Reveal() T { return s.v }

// String returns "[REDACTED]".
func (Secret[T]) String() string { return Redacted }

// GoString returns "[REDACTED]", for the %#v verb.
func (Secret[T]) GoString() string { return Redacted }

// Format writes "[REDACTED]" for every verb, quoted for %q.
func (Secret[T]) Format(f fmt.State, verb rune) {
	if verb == 'q' {
		io.WriteString(f, strconv.Quote(Redacted))
		return
	}
	io.WriteString(f, Redacted)
}

// MarshalJSON returns the JSON string "[REDACTED]".
func (Secret[T]) MarshalJSON() ([]byte, error) { return []byte(`"` + Redacted + `"`), nil }

// MarshalText returns "[REDACTED]".
func (Secret[T]) MarshalText() ([]byte, error) { return []byte(Redacted), nil }

// LogValue returns "[REDACTED]", so that any slog handler hides the value.
func (Secret[T]) LogValue() slog.Value { return slog.StringValue(Redacted) }

func (Secret[T]) veilSecret() {}
