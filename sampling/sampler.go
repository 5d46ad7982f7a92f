package sampling

import (
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"math"
	"strconv"

	"go.opentelemetry.io/otel/baggage"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"
)

// userSampler keeps or drops all the traces of one user together.
type userSampler struct {
	ratio    float64
	bound    uint64
	key      string
	fallback sdktrace.Sampler
	desc     string
}

// NewUserSampler returns a sampler that samples whole users rather than
// single traces: the traces of a user, identified by the token carried in
// the baggage of the parent context (member [DefaultBaggageKey], see
// [WithBaggageKey]), are all kept or all dropped, in every service that
// uses the same ratio.
//
// The decision is deterministic across processes and languages: take the
// SHA-256 digest of the token's bytes, read its first 8 bytes as a
// big-endian unsigned integer, shift it right by one bit, and sample when
// the result is below ratio × 2^63. A ratio ≥ 1 samples every user, a ratio
// ≤ 0 (or NaN) none.
//
// Contexts without a token are decided by the fallback sampler (default
// sdktrace.TraceIDRatioBased(ratio); see [WithFallback]). Wrap the sampler
// in sdktrace.ParentBased so that child spans follow their parent's
// decision. Options read: [WithBaggageKey], [WithFallback].
func NewUserSampler(ratio float64, opts ...Option) sdktrace.Sampler {
	c := newConfig(opts)
	if math.IsNaN(ratio) || ratio < 0 {
		ratio = 0
	}
	if ratio > 1 {
		ratio = 1
	}
	s := &userSampler{ratio: ratio, bound: ratioBound(ratio), key: c.baggageKey, fallback: c.fallback}
	if s.fallback == nil {
		s.fallback = sdktrace.TraceIDRatioBased(ratio)
	}
	s.desc = fmt.Sprintf("UserSampler{key=%s,ratio=%s,fallback=%s}",
		strconv.Quote(s.key), strconv.FormatFloat(ratio, 'g', -1, 64), s.fallback.Description())
	return s
}

// ratioBound returns ratio × 2^63 for comparisons with 63-bit hashes.
func ratioBound(ratio float64) uint64 {
	if ratio >= 1 {
		return 1 << 63
	}
	if !(ratio > 0) {
		return 0
	}
	return uint64(ratio * (1 << 63))
}

// tokenSampled reports whether token falls under bound; see NewUserSampler.
func tokenSampled(token string, bound uint64) bool {
	sum := sha256.Sum256([]byte(token))
	return binary.BigEndian.Uint64(sum[:8])>>1 < bound
}

// ShouldSample implements sdktrace.Sampler.
func (s *userSampler) ShouldSample(p sdktrace.SamplingParameters) sdktrace.SamplingResult {
	tok := baggage.FromContext(p.ParentContext).Member(s.key).Value()
	if tok == "" {
		return s.fallback.ShouldSample(p)
	}
	d := sdktrace.Drop
	if tokenSampled(tok, s.bound) {
		d = sdktrace.RecordAndSample
	}
	return sdktrace.SamplingResult{
		Decision:   d,
		Tracestate: trace.SpanContextFromContext(p.ParentContext).TraceState(),
	}
}

// Description implements sdktrace.Sampler.
func (s *userSampler) Description() string { return s.desc }
