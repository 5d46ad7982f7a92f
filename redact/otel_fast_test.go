package redact

import (
	"slices"
	"sync"
	"testing"

	"go.opentelemetry.io/otel/attribute"

	"github.com/veilhq/veil/internal/otelredact"
)

// checkOTelFast compares owalker.fast with owalker.value on kv (whose key
// must be plain and allowed for fast to be used), with budget bytes left:
// fast must either decline having done nothing, or give the result value
// gives and leave the same budget.
func checkOTelFast(t *testing.T, r *Redactor, kv attribute.KeyValue, budget int) {
	t.Helper()
	fw := otelPolicy{r}.walker(1, true)
	sw := otelPolicy{r}.walker(1, false)
	fw.st.budget, sw.st.budget = budget, budget
	n := r.child(r.root, string(kv.Key))
	if !n.plain || (r.strict && !n.allowed) {
		return
	}
	s, res := fw.fast(&kv.Value)
	if res == fastSlow {
		if fw.st.budget != budget {
			t.Errorf("fast(%v) declined but spent budget: %d -> %d", kv, budget, fw.st.budget)
		}
		return
	}
	v, keep, ch := sw.value(kv.Value, n, true, 0)
	switch res {
	case fastSame:
		if !keep || ch {
			t.Errorf("fast(%v) = same; value = %v keep=%v changed=%v", kv, v.String(), keep, ch)
		}
	case fastText:
		if !keep || !ch || v.Type() != attribute.STRING || v.AsString() != s {
			t.Errorf("fast(%v) = %q; value = %v keep=%v changed=%v", kv, s, v.String(), keep, ch)
		}
	default:
		t.Fatalf("fast(%v): unknown result %d", kv, res)
	}
	if fw.st.budget != sw.st.budget {
		t.Errorf("fast(%v) left budget %d; value left %d", kv, fw.st.budget, sw.st.budget)
	}
}

func TestOTelFastAgreesWithValue(t *testing.T) {
	keys := []string{"k", "v", "msg", "password", "user", "user.email", "db.statement", "url.full",
		"alice@example.com", "x.y.z", "http.request.header.authorization"}
	vals, nums := fastVals, fastNums
	for _, r := range fastRedactors(t) {
		for _, k := range keys {
			for i, v := range vals {
				n := nums[i%len(nums)]
				for _, kv := range []attribute.KeyValue{attribute.String(k, v), attribute.Int64(k, n),
					attribute.Bool(k, n%2 == 0), attribute.Float64(k, float64(n)),
					attribute.StringSlice(k, []string{v}), attribute.Map(k, attribute.String("a", v))} {
					for _, budget := range []int{r.lim.MaxRecord, 10, 0} {
						checkOTelFast(t, r, kv, budget)
					}
				}
			}
		}
	}
}

// TestOTelBodyFast compares the fast path of a scalar log body with the
// full walk.
func TestOTelBodyFast(t *testing.T) {
	vals := []attribute.Value{attribute.StringValue(""), attribute.StringValue("order served in 12ms"),
		attribute.StringValue("mail alice@example.com now"), attribute.StringValue("alice@example.com"),
		attribute.StringValue("password=hunter2"), attribute.StringValue(string(make([]byte, 200))),
		attribute.Int64Value(42), attribute.Int64Value(4111111111111111), attribute.BoolValue(true),
		attribute.Float64Value(1.5)}
	for _, r := range fastRedactors(t) {
		for _, v := range vals {
			got, gch := otelPolicy{r}.Value(4, v)
			w := otelPolicy{r}.walker(4, false)
			want, keep, wch := w.value(v, r.root, true, 0)
			if !keep {
				want, wch = attribute.StringValue(Redacted), true
			}
			if got != want || gch != wch {
				t.Errorf("Value(%v) = %v, %v; full walk %v, %v", v.String(), got.String(), gch, want.String(), wch)
			}
		}
	}
}

// TestPrefixPolicyAgrees compares the policy of the processors
// (cleanPrefix) with the plain walk on lists of attributes, where the byte
// budget and the attribute limit carry from one attribute to the next.
func TestPrefixPolicyAgrees(t *testing.T) {
	lists := [][]attribute.KeyValue{
		benchSpanAttrs(false), benchSpanAttrs(true),
		append(benchSpanAttrs(false), attribute.String("note", "mail bob@example.org"), attribute.Int("n", 4111111111111111)),
		{attribute.String("a", string(make([]byte, 60))), attribute.String("b", string(make([]byte, 60))), attribute.String("c", "x")},
		{attribute.StringSlice("tags", []string{"a", "alice@example.com"}), attribute.String("k", "v"), attribute.Bool("b", true)},
		{attribute.String("password", "x"), attribute.String("url.full", "https://u:p@h/?token=1"), attribute.String("", "e")},
		{attribute.Map("user", attribute.String("email", "a@b.co")), attribute.String("user.name", "bob")},
	}
	many := make([]attribute.KeyValue, 200)
	for i := range many {
		many[i] = attribute.Int64("k"+string(rune('a'+i%26)), int64(i))
	}
	lists = append(lists, many)
	for _, r := range append(fastRedactors(t), mustNew(t, WithLimits(Limits{MaxAttrs: 3}))) {
		cp := r.otelPolicy()
		for _, sig := range []otelredact.Signal{otelredact.Span, otelredact.Resource} {
			for _, kvs := range lists {
				for range 2 { // the second time with the nodes cached
					got, gch := cp.Attrs(sig, kvs)
					want, wch := otelPolicy{r}.Attrs(sig, kvs)
					if gch != wch || !slices.Equal(got, want) {
						t.Errorf("sig %v: cached policy: %v, %v; plain walk: %v, %v", sig, got, gch, want, wch)
					}
				}
			}
		}
	}
}

// TestCachedTextAgrees checks the processors' Text, which goes through the
// Redactor's clean-text cache, against Redactor.Redact, which never does,
// for texts seen once and many times, clean or not, and that a known text
// costs no allocation.
func TestCachedTextAgrees(t *testing.T) {
	texts := []string{"GET /api/v1/orders", "login alice@example.com", "password=hunter2", "exception",
		"", "[EMAIL]", string(make([]byte, 300)), "tok_k1_aaaaaaaaaaaaaaaaaaaaaaaaaa", "server 10.0.0.1"}
	for _, r := range append(fastRedactors(t), mustNew(t, WithLimits(Limits{MaxString: 8}))) {
		cp := r.otelPolicy()
		for range 4 {
			for _, s := range texts {
				got, gch := cp.Text(otelredact.Span, s)
				want := r.Redact(s)
				if got != want || gch != (want != s) {
					t.Errorf("Text(%q) = %q, %v; Redact gives %q", s, got, gch, want)
				}
			}
		}
	}
	cp := mustNew(t).otelPolicy()
	cp.Text(otelredact.Span, "GET /api/v1/orders")
	cp.Text(otelredact.Span, "GET /api/v1/orders")
	if n := testing.AllocsPerRun(100, func() { cp.Text(otelredact.Span, "GET /api/v1/orders") }); n != 0 {
		t.Errorf("Text of a known clean text: %v allocs", n)
	}
	i := 0
	names := make([]string, 1000)
	for j := range names {
		names[j] = "GET /api/v1/orders/" + string(rune('a'+j%26)) + string(rune('a'+j/26%26)) + string(rune('a'+j/676))
	}
	if n := testing.AllocsPerRun(500, func() { cp.Text(otelredact.Span, names[i%len(names)]); i++ }); n > 0.1 {
		t.Errorf("Text of texts seen once: %v allocs", n)
	}
}

// TestPrefixPolicyConcurrent runs the processors' policy, with its
// clean-prefix loop and the Redactor's clean-text cache, from several
// goroutines (run with -race): every result must be the plain policy's.
func TestPrefixPolicyConcurrent(t *testing.T) {
	r := mustNew(t)
	cp := r.otelPolicy()
	lists := [][]attribute.KeyValue{benchSpanAttrs(false), benchSpanAttrs(true)}
	texts := []string{"GET /a", "GET /b", "mail alice@example.com", "exception"}
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			for i := range 500 {
				kvs := lists[(g+i)%2]
				got, _ := cp.Attrs(otelredact.Span, kvs)
				want, _ := otelPolicy{r}.Attrs(otelredact.Span, kvs)
				if !slices.Equal(got, want) {
					t.Errorf("Attrs: %v, want %v", got, want)
					return
				}
				s := texts[(g+i)%len(texts)]
				if got, _ := cp.Text(otelredact.Event, s); got != r.Redact(s) {
					t.Errorf("Text(%q) = %q", s, got)
					return
				}
			}
		})
	}
	wg.Wait()
}
