package noise

import (
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"math/bits"
	"sync"
)

// Option configures a mechanism.
type Option func(*config)

type config struct {
	rand io.Reader
}

// WithRand makes the mechanism read its random bits from r instead of
// crypto/rand. Reads from r are serialized, so r need not be safe for
// concurrent use. A fixed stream (such as a math/rand/v2 ChaCha8) makes
// results reproducible; use it only in tests. A nil r keeps crypto/rand.
func WithRand(r io.Reader) Option {
	return func(c *config) {
		if r != nil {
			c.rand = r
		}
	}
}

// source is where a mechanism reads random bytes. Custom readers are read
// under a mutex; crypto/rand is safe for concurrent use without one.
type source struct {
	r  io.Reader
	mu *sync.Mutex
}

func newSource(opts []Option) source {
	c := config{rand: rand.Reader}
	for _, o := range opts {
		if o != nil {
			o(&c)
		}
	}
	if c.rand == rand.Reader {
		return source{r: c.rand}
	}
	return source{r: c.rand, mu: new(sync.Mutex)}
}

// bitsBuf is a per-call buffer of random bytes, taken from a pool so that
// Apply does not allocate.
type bitsBuf struct {
	src source
	buf [64]byte
	i   int
	err error
}

var bufPool = sync.Pool{New: func() any { return new(bitsBuf) }}

func (s source) get() *bitsBuf {
	b := bufPool.Get().(*bitsBuf)
	b.src, b.i, b.err = s, len(b.buf), nil
	return b
}

func (b *bitsBuf) put() {
	b.src = source{}
	bufPool.Put(b)
}

// errRand wraps a failed read from the random source.
var errRand = errors.New("noise: reading random bits failed")

// uint64 returns 64 uniform random bits. After a read error it returns 0 and
// records the error in b.err; callers check it once at the end.
func (b *bitsBuf) uint64() uint64 {
	if b.err != nil {
		return 0
	}
	if b.i+8 > len(b.buf) {
		if b.src.mu != nil {
			b.src.mu.Lock()
		}
		_, err := io.ReadFull(b.src.r, b.buf[:])
		if b.src.mu != nil {
			b.src.mu.Unlock()
		}
		if err != nil {
			b.err = fmt.Errorf("%w: %w", errRand, err)
			return 0
		}
		b.i = 0
	}
	v := binary.LittleEndian.Uint64(b.buf[b.i:])
	b.i += 8
	return v
}

// uintn returns a uniform integer in [0, n), n > 0, by rejection.
func (b *bitsBuf) uintn(n uint64) uint64 {
	if n&(n-1) == 0 {
		return b.uint64() & (n - 1)
	}
	// Lemire's multiply-shift with rejection of the biased low range.
	hi, lo := bits.Mul64(b.uint64(), n)
	if lo < n {
		thresh := -n % n
		for lo < thresh && b.err == nil {
			hi, lo = bits.Mul64(b.uint64(), n)
		}
	}
	return hi
}

// bernoulli returns true with probability p exactly, for p a float64 in
// [0, 1]: it compares a uniform random binary fraction with the (finite)
// binary expansion of p, 64 bits at a time.
func (b *bitsBuf) bernoulli(p float64) bool {
	if p >= 1 {
		return true
	}
	if !(p > 0) {
		return false
	}
	frac, exp := math.Frexp(p) // p = frac·2^exp, frac in [0.5, 1), exp <= 0
	m := uint64(frac * (1 << 53))
	k := 53 - exp // p = m·2^-k, m < 2^53
	for j := 0; b.err == nil; j++ {
		// Bits 64j+1 .. 64j+64 of p's expansion.
		var c uint64
		switch s := 64*(j+1) - k; {
		case s >= 64 || s <= -64:
			c = 0
		case s >= 0:
			c = m << uint(s)
		default:
			c = m >> uint(-s)
		}
		r := b.uint64()
		if r != c {
			return r < c
		}
		if 64*(j+1) >= k {
			return false // p's expansion ended: the uniform is >= p
		}
	}
	return false
}

// bernoulliExpNeg returns true with probability exp(-x), x >= 0, from
// Bernoulli trials alone (Canonne, Kamath, Steinke 2020, Algorithm 1,
// applied to the integer part and the fraction separately).
func (b *bitsBuf) bernoulliExpNeg(x float64) bool {
	for x > 1 {
		if !b.bernoulliExpNeg01(1) {
			return false
		}
		x--
	}
	return b.bernoulliExpNeg01(x)
}

func (b *bitsBuf) bernoulliExpNeg01(x float64) bool {
	k := 1.0
	for b.err == nil && b.bernoulli(x/k) {
		k++
	}
	return int64(k)%2 == 1
}

// uniform01 returns a float64 uniform in (0, 1) with full precision: the
// exponent comes from counting leading zero bits (so values near 0 keep 52
// bits of mantissa) and the mantissa from 52 fresh bits.
func (b *bitsBuf) uniform01() float64 {
	e := -1
	for b.err == nil {
		w := b.uint64()
		if w != 0 {
			e -= bits.LeadingZeros64(w)
			break
		}
		e -= 64
		if e < -1074 {
			return math.SmallestNonzeroFloat64
		}
	}
	mant := b.uint64() >> 12
	return math.Ldexp(1+float64(mant)/(1<<52), e)
}
