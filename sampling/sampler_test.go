package sampling

import (
	"context"
	"fmt"
	"math"
	"strings"
	"testing"

	"go.opentelemetry.io/otel/baggage"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"
)

// withToken returns ctx whose baggage carries token under key.
func withToken(t testing.TB, ctx context.Context, key, token string) context.Context {
	t.Helper()
	m, err := baggage.NewMemberRaw(key, token)
	if err != nil {
		t.Fatal(err)
	}
	b, err := baggage.New(m)
	if err != nil {
		t.Fatal(err)
	}
	return baggage.ContextWithBaggage(ctx, b)
}

func newTP(s sdktrace.Sampler) (*sdktrace.TracerProvider, *tracetest.InMemoryExporter) {
	exp := tracetest.NewInMemoryExporter()
	return sdktrace.NewTracerProvider(sdktrace.WithSampler(s), sdktrace.WithSyncer(exp)), exp
}

// Known answers, computed outside Go (Python hashlib) from the documented
// rule: SHA-256(token)[:8] big-endian >> 1, divided by 2^63.
//
//	alice 0.17127  bob 0.50669  carol 0.29747  dave 0.38248  erin 0.48726
func TestUserSamplerKnownAnswers(t *testing.T) {
	tests := []struct {
		token string
		ratio float64
		want  bool
	}{
		{"alice", 0.3, true}, {"bob", 0.3, false}, {"carol", 0.3, true},
		{"dave", 0.3, false}, {"erin", 0.3, false},
		{"bob", 0.5, false}, {"erin", 0.5, true}, {"bob", 0.51, true},
		{"tok_k2_AAAAAAAAAAAAAAAAAAAAAAAAAA", 0.28, false},
		{"tok_k2_AAAAAAAAAAAAAAAAAAAAAAAAAA", 0.281, true},
		{"alice", 0, false}, {"alice", 1, true}, {"bob", math.NaN(), false}, {"bob", 7, true},
	}
	for _, tc := range tests {
		t.Run(fmt.Sprintf("%s@%v", tc.token, tc.ratio), func(t *testing.T) {
			tp, exp := newTP(sdktrace.ParentBased(NewUserSampler(tc.ratio)))
			ctx := withToken(t, context.Background(), DefaultBaggageKey, tc.token)
			_, span := tp.Tracer("t").Start(ctx, "req")
			span.End()
			if got := len(exp.GetSpans()) == 1; got != tc.want {
				t.Errorf("sampled = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestUserSamplerConsistentPerUser(t *testing.T) {
	// Two "services" with their own providers agree on every user.
	tpA, expA := newTP(sdktrace.ParentBased(NewUserSampler(0.25)))
	tpB, expB := newTP(sdktrace.ParentBased(NewUserSampler(0.25)))
	const users, perUser = 400, 4
	sampledUsers := 0
	for u := 0; u < users; u++ {
		ctx := withToken(t, context.Background(), DefaultBaggageKey, fmt.Sprintf("tok_user_%d", u))
		before := len(expA.GetSpans())
		for i := 0; i < perUser; i++ {
			_, s := tpA.Tracer("a").Start(ctx, "req")
			s.End()
			_, s = tpB.Tracer("b").Start(ctx, "req")
			s.End()
		}
		n := len(expA.GetSpans()) - before
		if n != 0 && n != perUser {
			t.Fatalf("user %d: %d of %d traces sampled; want all or none", u, n, perUser)
		}
		if n == perUser {
			sampledUsers++
		}
	}
	if len(expA.GetSpans()) != len(expB.GetSpans()) {
		t.Errorf("services disagree: %d vs %d spans", len(expA.GetSpans()), len(expB.GetSpans()))
	}
	if frac := float64(sampledUsers) / users; frac < 0.18 || frac > 0.32 {
		t.Errorf("sampled %.2f of users, want about 0.25", frac)
	}
}

func TestUserSamplerFallbackAndParent(t *testing.T) {
	tests := []struct {
		name    string
		sampler sdktrace.Sampler
		token   string
		parent  trace.TraceFlags // 0: no parent
		want    bool
	}{
		{"no token, fallback always", NewUserSampler(0, WithFallback(sdktrace.AlwaysSample())), "", 0, true},
		{"no token, fallback never", NewUserSampler(1, WithFallback(sdktrace.NeverSample())), "", 0, false},
		{"no token, default fallback ratio 1", NewUserSampler(1), "", 0, true},
		{"token beats fallback", NewUserSampler(1, WithFallback(sdktrace.NeverSample())), "bob", 0, true},
		{"parent sampled wins", sdktrace.ParentBased(NewUserSampler(0)), "alice", trace.FlagsSampled, true},
		{"parent unsampled wins", sdktrace.ParentBased(NewUserSampler(1)), "alice", 1 << 7, false},
		{"custom key", NewUserSampler(1, WithBaggageKey("uid"), WithFallback(sdktrace.NeverSample())), "alice", 0, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tp, exp := newTP(tc.sampler)
			ctx := context.Background()
			key := DefaultBaggageKey
			if strings.Contains(tc.name, "custom") {
				key = "uid"
			}
			if tc.token != "" {
				ctx = withToken(t, ctx, key, tc.token)
			}
			if tc.parent != 0 {
				sc := trace.SpanContextFromContext(traced(context.Background(), 1))
				ctx = trace.ContextWithRemoteSpanContext(ctx, sc.WithTraceFlags(tc.parent&trace.FlagsSampled))
			}
			_, s := tp.Tracer("t").Start(ctx, "req")
			s.End()
			if got := len(exp.GetSpans()) == 1; got != tc.want {
				t.Errorf("sampled = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestUserSamplerDescription(t *testing.T) {
	d := NewUserSampler(0.25, WithBaggageKey("uid")).Description()
	for _, want := range []string{"UserSampler", `"uid"`, "0.25", "TraceIDRatioBased"} {
		if !strings.Contains(d, want) {
			t.Errorf("Description %q lacks %q", d, want)
		}
	}
}
