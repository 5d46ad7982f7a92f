package benchmarks

import (
	"regexp"
	"strings"
	"testing"

	"github.com/veilhq/veil/redact"
)

// cleanText is 1 KiB of log lines without personal data or secrets, full of
// what looks close to it: timestamps, durations, UUIDs, hashes, versions,
// ports, paths and key=value pairs.
var cleanText = kib(`ts=2026-11-25T21:07:41.219Z level=info msg="request done" method=GET route=/api/v2/orders/{id} status=200 dur=18.2ms size=5821 span=00f067aa0ba902b7
ts=2026-11-25T21:07:41.231Z level=debug msg="cache hit" key=orders:48213377 ttl=300s shard=7 node=cache-3.internal:6379 build=v1.18.2
ts=2026-11-25T21:07:41.240Z level=info msg="job finished" job=3f2b8c1e-9a4d-4e7b-b1c2-7d5e6f8a9b0c queue=billing attempts=1 took=1.52s
ts=2026-11-25T21:07:41.262Z level=warn msg="slow query" table=line_items rows=1284 took=250ms plan=seq_scan digest=e3b0c44298fc1c149afbf4c8996fb924
ts=2026-11-25T21:07:41.301Z level=info msg=listening addr=:8080 pid=31337 go=go1.26.8 uptime=72h3m0.5s region=eu-west-1 az=eu-west-1b
`)

// piiText is cleanText's shape with personal data and secrets planted, one
// of each kind both sides detect.
var piiText = kib(`ts=2026-11-25T21:07:41.219Z level=info msg="login failed for alice.smith@example.com" ip=203.0.113.42 route=/api/v2/login status=401
ts=2026-11-25T21:07:41.231Z level=info msg=payment card="4111 1111 1111 1111" phone="+1 415 555 0132" ssn=123-45-6789 iban=DE89370400440532013000
ts=2026-11-25T21:07:41.240Z level=warn msg=upstream auth="Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1MSJ9.c2lnbmF0dXJl" peer=2001:db8::8a2e:370:7334
ts=2026-11-25T21:07:41.262Z level=info msg=config password=hunter2xyz aws=AKIAIOSFODNN7EXAMPLE dsn=postgres://app:s3cretpw@db.internal:5432/app
ts=2026-11-25T21:07:41.301Z level=info msg=tokens gh=ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789 stripe=sk_live_4eC39HqLyjWDarjtT1zdp7dc
`)

// piiCanaries are the planted values of piiText that both sides must remove.
var piiCanaries = []string{
	"alice.smith@example.com", "203.0.113.42", "4111 1111 1111 1111", "415 555 0132", "123-45-6789",
	"DE89370400440532013000", "eyJhbGciOiJIUzI1NiJ9", "2001:db8::8a2e:370:7334", "hunter2xyz",
	"AKIAIOSFODNN7EXAMPLE", "s3cretpw", "ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789", "sk_live_4eC39HqLyjWDarjtT1zdp7dc",
}

// kib repeats s and cuts it at a line end or space to exactly 1 KiB.
func kib(s string) string {
	for len(s) < 1024 {
		s += s
	}
	s = s[:1024]
	if k := strings.LastIndexAny(s, " \n"); k > 900 {
		s = s[:k] + strings.Repeat(" ", 1024-k)
	}
	return s
}

// detectRE is the usual alternative to a scanner: one Go regexp alternation
// of the same detectors (email, card, SSN, phone, IPv4, IPv6, IBAN, JWT, AWS,
// GitHub, Slack, Stripe, Google, PEM, Bearer, URL credentials, key=value),
// without the validation veil does after a candidate (Luhn, IBAN mod-97,
// IIN ranges, netip, JWT header decoding).
var detectRE = regexp.MustCompile(strings.Join([]string{
	`[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}`,     // email
	`\b\d{4}(?:[ -]?\d{4}){2}[ -]?\d{1,7}\b`,                                // card
	`\b\d{3}-\d{2}-\d{4}\b`,                                                 // SSN
	`\+[1-9]\d{0,2}(?:[ .-]?\(?\d{1,4}\)?){2,5}`,                            // phone, international
	`\(?\b[2-9]\d{2}\)?[ .-]\d{3}[ .-]\d{4}\b`,                              // phone, North American
	`\b(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|1?\d?\d)\b`, // IPv4
	`\b(?:[0-9A-Fa-f]{1,4}:){7}[0-9A-Fa-f]{1,4}\b|(?:\b[0-9A-Fa-f]{1,4}(?::[0-9A-Fa-f]{1,4}){0,6})?::(?:[0-9A-Fa-f]{1,4}(?::[0-9A-Fa-f]{1,4}){0,6}\b)?`, // IPv6: 8 groups, or "::"
	`\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){3,7}(?: ?[A-Z0-9]{1,3})?\b`,                                                                                       // IBAN
	`\beyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+`,                                                                                               // JWT
	`\b(?:AKIA|ASIA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA|APKA)[A-Z0-9]{16}\b`,                                                                                  // AWS
	`\b(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_\w{80,})`,                                                                                               // GitHub
	`\bxox[baprse]-[A-Za-z0-9-]{10,}`,                                                                                                                   // Slack
	`\b(?:[spr]k_(?:live|test)_|whsec_)[A-Za-z0-9]{24,}`,                                                                                                // Stripe
	`\bAIza[A-Za-z0-9_-]{35}`,                                                                                                                           // Google
	`-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----`,                                                                        // PEM
	`(?i)\bbearer\s+[A-Za-z0-9._~+/-]+=*`,                                                                                                               // Bearer
	`[a-z][a-z0-9+.-]*://[^/\s:@]+:[^/\s@]+@`,                                                                                                           // URL credentials
	`(?i)\b(?:password|passwd|pwd|secret|token|api_?key|private_?key|client_?secret)\s*[:=]\s*[^\s"',;&]+`,                                              // key=value
}, "|"))

// BenchmarkDetect runs veil's scanner (Redactor.Redact with the default
// detectors: find and replace) and the regexp alternation
// (ReplaceAllString: find and replace) over the same 1 KiB texts.
func BenchmarkDetect(b *testing.B) {
	r, err := redact.New()
	if err != nil {
		b.Fatal(err)
	}
	for _, in := range []struct{ name, text string }{{"clean1K", cleanText}, {"pii1K", piiText}} {
		b.Run("in="+in.name+"/side=veil", func(b *testing.B) {
			b.SetBytes(int64(len(in.text)))
			b.ReportAllocs()
			for b.Loop() {
				_ = r.Redact(in.text)
			}
		})
		b.Run("in="+in.name+"/side=regexp", func(b *testing.B) {
			b.SetBytes(int64(len(in.text)))
			b.ReportAllocs()
			for b.Loop() {
				_ = detectRE.ReplaceAllString(in.text, "[REDACTED]")
			}
		})
	}
}
