package redact

import (
	"fmt"
	"log/slog"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/veilhq/veil/token"
)

// Redacted is the placeholder that replaces the value of a sensitive key, a
// [Secret] and anything masked without a visible suffix.
const Redacted = "[REDACTED]"

// maskFill is what Mask puts in front of the visible suffix. Its length is
// fixed so that a mask does not reveal the length of the value.
const maskFill = "****"

// An Action says what happens to a value selected by a rule: see [Drop],
// [Mask], [Replace], [Tokenize], [Truncate] and [Keep].
//
// Action is sealed: its methods are unexported so that every action is known
// to the walker, which applies actions to scalar values only and asks the
// action what to do with composite ones (groups, structs, maps).
type Action interface {
	// apply rewrites a scalar value (never a group, LogValuer or any).
	// It reports false when the attribute must be dropped.
	apply(r *Redactor, v slog.Value) (slog.Value, bool)
	// composite says what happens to a group, struct or map: replaced by
	// v (keep=true), dropped (keep=false), or walked as usual (descend=true).
	composite(r *Redactor) (v slog.Value, keep, descend bool)
	// final reports whether the result skips the detectors.
	final() bool
	// check validates the action against the compiled configuration.
	check(c *config) error
	fmt.Stringer
}

// Drop removes the attribute.
func Drop() Action { return dropAction{} }

// Mask replaces the value by "****" followed by its last n characters
// (runes). The suffix is shown only when at least as many characters stay
// hidden as are shown; Mask(0) always yields "****". Non-string values are
// masked in their text form.
func Mask(n int) Action { return maskAction{n} }

// Replace replaces the value by the fixed string s, typically a typed
// placeholder such as "[EMAIL]".
func Replace(s string) Action { return replaceAction{s} }

// Tokenize replaces the value by its token of the given kind (see package
// token). It requires [WithTokenizer]. Groups and structs cannot be
// tokenized: they are replaced by the kind's placeholder.
func Tokenize(kind string) Action { return tokenizeAction{kind} }

// Truncate keeps the first n characters (runes) of string values and appends
// "…". The kept prefix is still scanned by the detectors.
func Truncate(n int) Action { return truncateAction{n} }

// Keep exempts the value from key rules, including the default sensitive
// keys; the detectors still scan it. Use it for keys that look sensitive but
// are not, such as "token_count".
func Keep() Action { return keepAction{} }

type dropAction struct{}

func (dropAction) apply(*Redactor, slog.Value) (slog.Value, bool) { return slog.Value{}, false }
func (dropAction) composite(*Redactor) (slog.Value, bool, bool)   { return slog.Value{}, false, false }
func (dropAction) final() bool                                    { return true }
func (dropAction) check(*config) error                            { return nil }
func (dropAction) String() string                                 { return "Drop()" }

type maskAction struct{ n int }

func (a maskAction) apply(_ *Redactor, v slog.Value) (slog.Value, bool) {
	return slog.StringValue(mask(scalarText(v), a.n)), true
}
func (maskAction) composite(*Redactor) (slog.Value, bool, bool) {
	return slog.StringValue(maskFill), true, false
}
func (maskAction) final() bool { return true }
func (a maskAction) check(*config) error {
	if a.n < 0 {
		return fmt.Errorf("Mask(%d): the number of visible characters must be >= 0", a.n)
	}
	return nil
}
func (a maskAction) String() string { return fmt.Sprintf("Mask(%d)", a.n) }

func mask(s string, n int) string {
	if n <= 0 {
		return maskFill
	}
	c := utf8.RuneCountInString(s)
	if c < 2*n {
		return maskFill
	}
	i := len(s)
	for k := 0; k < n; k++ {
		_, size := utf8.DecodeLastRuneInString(s[:i])
		i -= size
	}
	return maskFill + s[i:]
}

type replaceAction struct{ s string }

func (a replaceAction) apply(*Redactor, slog.Value) (slog.Value, bool) {
	return slog.StringValue(a.s), true
}
func (a replaceAction) composite(*Redactor) (slog.Value, bool, bool) {
	return slog.StringValue(a.s), true, false
}
func (replaceAction) final() bool         { return true }
func (replaceAction) check(*config) error { return nil }
func (a replaceAction) String() string    { return fmt.Sprintf("Replace(%q)", a.s) }

var kindRE = regexp.MustCompile(`^[a-z0-9_.-]{1,32}$`)

type tokenizeAction struct{ kind string }

func (a tokenizeAction) apply(r *Redactor, v slog.Value) (slog.Value, bool) {
	if r.tok == nil {
		return slog.StringValue(token.Placeholder(a.kind)), true
	}
	return slog.StringValue(r.tok.Token(a.kind, scalarText(v))), true
}
func (a tokenizeAction) composite(*Redactor) (slog.Value, bool, bool) {
	return slog.StringValue(token.Placeholder(a.kind)), true, false
}
func (tokenizeAction) final() bool { return true }
func (a tokenizeAction) check(c *config) error {
	if !kindRE.MatchString(a.kind) {
		return fmt.Errorf("Tokenize(%q): a token kind must match [a-z0-9_.-]{1,32}, e.g. \"email\"", a.kind)
	}
	if c.tok == nil {
		return fmt.Errorf("Tokenize(%q) needs a tokenizer: add redact.WithTokenizer(t)", a.kind)
	}
	return nil
}
func (a tokenizeAction) String() string { return fmt.Sprintf("Tokenize(%q)", a.kind) }

type truncateAction struct{ n int }

func (a truncateAction) apply(_ *Redactor, v slog.Value) (slog.Value, bool) {
	if v.Kind() != slog.KindString {
		return v, true
	}
	s := v.String()
	if utf8.RuneCountInString(s) <= a.n {
		return v, true
	}
	i, k := 0, 0
	for k < a.n {
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
		k++
	}
	return slog.StringValue(strings.ToValidUTF8(s[:i], "\uFFFD") + "…"), true
}
func (truncateAction) composite(*Redactor) (slog.Value, bool, bool) { return slog.Value{}, true, true }
func (truncateAction) final() bool                                  { return false }
func (a truncateAction) check(*config) error {
	if a.n <= 0 {
		return fmt.Errorf("Truncate(%d): the length must be > 0; use Drop() to remove the value", a.n)
	}
	return nil
}
func (a truncateAction) String() string { return fmt.Sprintf("Truncate(%d)", a.n) }

type keepAction struct{}

func (keepAction) apply(_ *Redactor, v slog.Value) (slog.Value, bool) { return v, true }
func (keepAction) composite(*Redactor) (slog.Value, bool, bool)       { return slog.Value{}, true, true }
func (keepAction) final() bool                                        { return false }
func (keepAction) check(*config) error                                { return nil }
func (keepAction) String() string                                     { return "Keep()" }

// scalarText is the text form of a resolved scalar value.
func scalarText(v slog.Value) string {
	return v.String()
}
