package redact

import (
	"log/slog"
	"testing"
	"time"
)

// fastRedactors are policies under which walker.try must agree with
// walker.attr.
func fastRedactors(t testing.TB) []*Redactor {
	return []*Redactor{
		mustNew(t),
		mustNew(t, WithTokenizer(testTokenizer(t))),
		mustNew(t, WithStrict("k", "user.*")),
		mustNew(t, WithRule(Key("k"), Drop()), WithRule(Key("v"), Keep())),
		mustNew(t, WithLimits(Limits{MaxString: 64, MaxRecord: 100})),
		mustNew(t, WithoutDetectors(detectorNames()...)),
	}
}

// checkFast compares walker.try with walker.attr on a, with budget bytes
// left in the record: try must give the result attr gives, whether it took
// its fast path or not, and leave the same budget. Each is run twice, so
// that the second run of try meets texts in the clean-text cache.
func checkFast(t *testing.T, r *Redactor, a slog.Attr, budget int) {
	t.Helper()
	allowed := !r.strict
	for range 2 {
		fw, sw := r.newWalker(), r.newWalker()
		fw.st.budget, sw.st.budget = budget, budget
		var p pending
		same := fw.try(a, &scope{r.root, allowed, 0}, &p)
		na, keep, ch := sw.attr(a, r.root, allowed, 0)
		switch {
		case same:
			if !keep || ch {
				t.Errorf("try(%v) = same; attr = %v keep=%v changed=%v", a, na, keep, ch)
			}
		case p.res == fastText:
			if !keep || !ch || na.Key != a.Key || na.Value.Kind() != slog.KindString || na.Value.String() != p.text {
				t.Errorf("try(%v) = %q; attr = %v keep=%v changed=%v", a, p.text, na, keep, ch)
			}
		case p.res == fastSlow:
			if p.keep != keep || !ch || (keep && (p.attr.Key != na.Key || !p.attr.Value.Equal(na.Value))) {
				t.Errorf("try(%v) = %v keep=%v; attr = %v keep=%v changed=%v", a, p.attr, p.keep, na, keep, ch)
			}
		default:
			t.Fatalf("try(%v): unknown result %d", a, p.res)
		}
		if fw.st.budget != sw.st.budget {
			t.Errorf("try(%v) left budget %d; attr left %d", a, fw.st.budget, sw.st.budget)
		}
	}
}

func fastAttrs(key, val string, n int64) []slog.Attr {
	return []slog.Attr{
		slog.String(key, val), slog.Int64(key, n), slog.Uint64(key, uint64(n)),
		slog.Bool(key, n%2 == 0), slog.Float64(key, float64(n)), slog.Duration(key, time.Duration(n)),
		slog.Time(key, time.Unix(n, 0)), slog.Any(key, val),
	}
}

// fastVals and fastNums are the values the fast paths of slog attributes
// and OpenTelemetry values are checked on: clean and dirty texts, tokens,
// placeholders, invalid UTF-8, and integers on both sides of maxPlainInt.
var (
	fastVals = []string{"", "GET", "alice@example.com", "tok_k1_aaaaaaaaaaaaaaaaaaaaaaaaaa",
		"login from 10.0.0.1 by bob@example.org", "4111 1111 1111 1111", "SELECT 1 FROM t WHERE a = 'x'",
		"https://bob:pw@example.com/?token=abc", "password=hunter2", "[EMAIL]", "\xff\xfe",
		string(make([]byte, 200))}
	fastNums = []int64{0, 42, -7, 99_999_999_999, 100_000_000_000, 4111111111111111, -4111111111111111}
)

func TestFastAgreesWithAttr(t *testing.T) {
	keys := []string{"k", "v", "msg", "password", "user", "user.email", "db.statement", "url.full",
		"alice@example.com", "", "x.y.z"}
	vals, nums := fastVals, fastNums
	for _, r := range fastRedactors(t) {
		for _, k := range keys {
			for i, v := range vals {
				for _, a := range fastAttrs(k, v, nums[i%len(nums)]) {
					for _, budget := range []int{r.lim.MaxRecord, 10, 0} {
						checkFast(t, r, a, budget)
					}
				}
			}
			for _, n := range nums {
				for _, a := range fastAttrs(k, "", n) {
					checkFast(t, r, a, r.lim.MaxRecord)
				}
			}
		}
	}
}

func FuzzFast(f *testing.F) {
	fuzzSeeds(f)
	rs := fastRedactors(f)
	f.Fuzz(func(t *testing.T, msg, key, val string) {
		n := int64(len(msg)) * 1_000_003_777
		for _, r := range rs {
			for _, a := range fastAttrs(key, val, n) {
				checkFast(t, r, a, r.lim.MaxRecord)
				checkFast(t, r, a, len(val))
			}
		}
	})
}
