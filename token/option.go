package token

// Option configures a Tokenizer; see New.
type Option interface {
	apply(*config)
}

type optionFunc func(*config)

func (f optionFunc) apply(c *config) { f(c) }

// config is the private configuration New builds from Options.
type config struct {
	bits        int    // token MAC length in bits, multiple of 8 in [96, 256]
	cacheSize   int    // cache slots; 0 means no cache
	foldLocal   bool   // case-fold the local part of emails
	countryCode string // default country calling code for national phone numbers
}

const (
	defaultBits = 128
	minBits     = 96
	maxBits     = 256
)

func newConfig(opts []Option) config {
	c := config{bits: defaultBits, foldLocal: true}
	for _, o := range opts {
		if o != nil {
			o.apply(&c)
		}
	}
	return c
}

// WithBits sets how many bits of the HMAC-SHA-256 output a token keeps
// (default 128). Because New cannot fail, out-of-range values are adjusted,
// not rejected: n is clamped to [96, 256] and rounded up to a multiple of 8.
// Tokens of different lengths never compare equal, so changing this setting
// changes every token.
func WithBits(n int) Option {
	return optionFunc(func(c *config) {
		n = max(minBits, min(maxBits, n))
		c.bits = (n + 7) &^ 7
	})
}

// WithCache keeps the tokens of up to about n recently seen (kind, value)
// pairs in a fixed-size, concurrency-safe table, so hot identifiers are
// tokenized without hashing. n is rounded up to a power of two and capped at
// 1<<20; n <= 0 disables the cache (the default). Only values of at most 128
// bytes are cached, so the table's memory is bounded by about n × 300 bytes.
//
// The cache keeps copies of the raw identifiers in process memory, next to
// their tokens, for as long as they stay in the table. That is the same
// memory the identifiers already passed through, but it lengthens their life:
// leave the cache off if heap dumps of the service may leave its host.
func WithCache(n int) Option {
	return optionFunc(func(c *config) {
		if n <= 0 {
			c.cacheSize = 0
			return
		}
		size := 1
		for size < n && size < maxCacheSize {
			size <<= 1
		}
		c.cacheSize = size
	})
}

// WithEmailLocalFold sets whether the local part of an email address (before
// the '@') is case-folded before hashing. The default is true: in practice
// mailbox names are case-insensitive, so "Alice@example.com" and
// "alice@example.com" are one person and get one token. Set it to false to
// honour RFC 5321, under which the local part is case-sensitive. The domain is
// always folded.
func WithEmailLocalFold(fold bool) Option {
	return optionFunc(func(c *config) { c.foldLocal = fold })
}

// WithDefaultCountryCode sets the country calling code (1 to 3 digits, e.g.
// "1", "44", "358") assumed for phone numbers written without one. A national
// number then loses one leading trunk '0' and gains "+<code>", so
// "020 7946 0958" with code "44" and "+44 20 7946 0958" share a token.
//
// Without this option (the default), national numbers are hashed as their bare
// digits, which never equal an international number's "+digits" form. A code
// that is not 1 to 3 ASCII digits, or that starts with 0, is ignored, as if
// the option were not given.
func WithDefaultCountryCode(code string) Option {
	return optionFunc(func(c *config) {
		if len(code) == 0 || len(code) > 3 || code[0] == '0' {
			return
		}
		for i := 0; i < len(code); i++ {
			if code[i] < '0' || code[i] > '9' {
				return
			}
		}
		c.countryCode = code
	})
}
