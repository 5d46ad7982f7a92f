package redact

import (
	"fmt"

	"github.com/veilhq/veil/token"
)

// An Option configures a [Redactor]; see [New].
type Option func(*config)

type ruleSpec struct {
	m Matcher
	a Action
}

type config struct {
	tok     *token.Tokenizer
	rules   []ruleSpec
	strict  bool
	allow   []string
	limits  Limits
	only    []string
	onlySet bool
	without []string
	errs    []error
	ext     extConfig // WithMeterProvider, WithNoiseRand (metrics.go)
}

// Limits bound the work done on, and the size of, each record. A zero field
// takes its default. Values beyond a limit are cut and marked, never emitted
// whole.
type Limits struct {
	// MaxDepth is the deepest nesting of groups, structs, maps, slices,
	// pointers and LogValuers that is walked (default 8).
	MaxDepth int
	// MaxString is the longest string, in bytes, that is scanned and emitted
	// (default 64 KiB). Longer strings are cut at a word boundary.
	MaxString int
	// MaxAttrs is the largest number of attributes kept per group, per
	// record and per With call (default 256).
	MaxAttrs int
	// MaxRecord is the most string bytes emitted per record (default 1 MiB).
	MaxRecord int
}

// DefaultLimits are the limits used when [WithLimits] is not given.
var DefaultLimits = Limits{MaxDepth: 8, MaxString: 64 << 10, MaxAttrs: 256, MaxRecord: 1 << 20}

// WithTokenizer tokenizes identifiers (email, phone, IP, token.Of values and
// [Tokenize] rules) with t. Without it, identifiers become typed placeholders.
func WithTokenizer(t *token.Tokenizer) Option {
	return func(c *config) {
		if t == nil {
			c.errs = append(c.errs, fmt.Errorf("WithTokenizer(nil): pass a *token.Tokenizer from token.New, or leave the option out"))
		}
		c.tok = t
	}
}

// WithRule adds a rule: values matched by m get action a. See the package
// documentation for how rules take precedence over each other.
func WithRule(m Matcher, a Action) Option {
	return func(c *config) {
		if a == nil {
			c.errs = append(c.errs, fmt.Errorf("WithRule(%v, nil): the action is nil; use Drop(), Mask(n), Replace(s), Tokenize(kind), Truncate(n) or Keep()", m))
			return
		}
		c.rules = append(c.rules, ruleSpec{m, a})
	}
}

// WithStrict switches to allowlist mode: only attributes whose key matches
// one of the allow patterns (same syntax as [Key]), or that have an explicit
// rule other than Drop, are emitted; every other attribute is dropped.
// Allowed values are still scanned by the detectors. Allowing a group name
// allows everything inside it. The message is always kept (and scanned).
func WithStrict(allow ...string) Option {
	return func(c *config) {
		c.strict = true
		c.allow = append(c.allow, allow...)
	}
}

// WithLimits replaces [DefaultLimits]; zero fields keep their default.
func WithLimits(l Limits) Option {
	return func(c *config) { c.limits = l }
}

// WithDetectors runs only the named detectors, e.g. WithDetectors("email",
// "card"). With no names, no detector runs. Unknown names make [New] fail.
func WithDetectors(names ...string) Option {
	return func(c *config) {
		c.onlySet = true
		c.only = append(c.only, names...)
	}
}

// WithoutDetectors switches off the named detectors, e.g.
// WithoutDetectors("phone"). Unknown names make [New] fail.
func WithoutDetectors(names ...string) Option {
	return func(c *config) { c.without = append(c.without, names...) }
}
