// Package token turns identifiers into keyed, deterministic pseudonyms.
//
// STUB: signatures fixed for other packages; the token helper replaces the bodies.
package token

import "log/slog"

// Well-known kinds. Any other kind matching [a-z0-9_.-]{1,32} is accepted and
// normalized generically (trimmed).
const (
	Email  = "email"
	Phone  = "phone"
	IP     = "ip"
	UserID = "user_id"
)

// Tokenizer computes HMAC-SHA-256 tokens under a Keyring.
type Tokenizer struct{}

// Token returns the token of value under the primary key, e.g. "tok_k2_<base32>".
func (t *Tokenizer) Token(kind, value string) string { return "" }

// AppendToken appends the token of value to dst.
func (t *Tokenizer) AppendToken(dst []byte, kind, value string) []byte { return dst }

// Candidates returns the token of value under every key, primary first.
func (t *Tokenizer) Candidates(kind, value string) []string { return nil }

// Placeholder returns the fixed placeholder for kind, e.g. "[EMAIL]".
func Placeholder(kind string) string { return "[" + kind + "]" }

// Value is an identifier marked for tokenization; see Of.
type Value struct{ kind, v string }

// Of marks value as an identifier of the given kind.
func Of(kind, value string) Value { return Value{kind, value} }

// Kind reports the kind of identifier.
func (v Value) Kind() string { return v.kind }

// TokenWith returns the token of the marked value under t.
func (v Value) TokenWith(t *Tokenizer) string { return t.Token(v.kind, v.v) }

// String returns the placeholder.
func (v Value) String() string { return Placeholder(v.kind) }

// LogValue returns the placeholder.
func (v Value) LogValue() slog.Value { return slog.StringValue(v.String()) }
