package scan

import (
	"regexp"
	"strings"
	"testing"
)

// cleanLog is about 1 KB of realistic log text with no personal data or
// secrets: timestamps, durations, UUIDs, trace ids, paths, versions,
// key=value pairs, ports and order numbers.
var cleanLog = fit(`2024-05-14T09:21:07.412Z INFO http request method=GET path=/api/v2/orders/ORD-48213377 status=200 dur=12.4ms bytes=5821 trace_id=4bf92f3577b34da6a3ce929d0e0e4736 span_id=00f067aa0ba902b7
2024-05-14T09:21:07.415Z DEBUG cache hit key=orders:48213377 ttl=300s shard=7 node=cache-3.internal:6379 version=v1.18.2
2024-05-14T09:21:07.433Z INFO worker finished job_id=3f2b8c1e-9a4d-4e7b-b1c2-7d5e6f8a9b0c queue=billing attempts=1 elapsed=1.52s build=2.4.1-rc3
2024-05-14T09:21:07.470Z WARN slow query table=line_items rows=1284 took=250ms plan=seq_scan sha256=e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
2024-05-14T09:21:07.501Z INFO listening addr=:8080 pid=31337 go=go1.22.3 commit=9fceb02d0ae598e95dc970b74767f19372d61af8 uptime=72h3m0.5s
2024-05-14T09:21:07.522Z ERROR handler panic at /srv/app/internal/orders/service.go:214:9 goroutine 88 [running] +0x1a5 0xc000123456
2024-05-14T09:21:07.540Z INFO retry scheduled in 500ms (attempt 2/5) region=eu-west-1 az=eu-west-1b instance=i-0abc123def4567890
`)

// piiLog is cleanLog's shape with a few planted personal data and secrets.
var piiLog = fit(`2024-05-14T09:21:07.412Z INFO login failed for alice.smith@example.com from 203.0.113.42 method=POST path=/api/v2/login status=401 dur=12.4ms trace_id=4bf92f3577b34da6a3ce929d0e0e4736
2024-05-14T09:21:07.415Z DEBUG cache hit key=orders:48213377 ttl=300s shard=7 node=cache-3.internal:6379 version=v1.18.2
2024-05-14T09:21:07.433Z INFO payment card=4111 1111 1111 1111 phone=+1 415 555 0132 job_id=3f2b8c1e-9a4d-4e7b-b1c2-7d5e6f8a9b0c elapsed=1.52s
2024-05-14T09:21:07.470Z WARN upstream auth header="Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1MSJ9.c2lnbmF0dXJl" took=250ms
2024-05-14T09:21:07.501Z INFO config loaded password=hunter2xyz api_key=AKIAIOSFODNN7EXAMPLE db=postgres://app:s3cret@db.internal:5432/app
2024-05-14T09:21:07.522Z ERROR handler panic at /srv/app/internal/orders/service.go:214:9 goroutine 88 [running] +0x1a5 0xc000123456
2024-05-14T09:21:07.540Z INFO client ip=2001:db8::8a2e:370:7334 ssn=123-45-6789 retry in 500ms region=eu-west-1
`)

// fit repeats s and cuts it to exactly 1 KiB at a line end or space.
func fit(s string) string {
	for len(s) < 1024 {
		s += s
	}
	s = s[:1024]
	if k := strings.LastIndexAny(s, " \n"); k > 900 {
		s = s[:k] + strings.Repeat(" ", 1024-k)
	}
	return s
}

func benchScan(b *testing.B, text string) {
	s := New(All)
	dst := make([]Match, 0, 64)
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		dst = s.Scan(dst[:0], text)
	}
}

func BenchmarkScanClean1K(b *testing.B) { benchScan(b, cleanLog) }
func BenchmarkScanPII1K(b *testing.B)   { benchScan(b, piiLog) }

// BenchmarkScanPathological1M scans 1 MiB inputs built to defeat naive
// re-validation: long runs of digits, '@', ':', '=', and repeated
// near-miss anchors. Time per byte must stay close to the clean case.
func BenchmarkScanPathological1M(b *testing.B) {
	for _, c := range pathological() {
		b.Run(c.name, func(b *testing.B) { benchScan(b, c.text) })
	}
}

// regexpBaseline is a Go regexp alternation of patterns equivalent to the
// detectors (without the validation that follows a candidate), the usual way
// of doing this.
var regexpBaseline = regexp.MustCompile(strings.Join([]string{
	`[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}`,
	`\b(?:\d[ -]?){13,19}\b`,
	`\b\d{3}-\d{2}-\d{4}\b`,
	`\+[1-9][0-9 ().-]{7,20}\d`,
	`\(?\b[2-9]\d{2}\)?[ .-]?\d{3}[ .-]\d{4}\b`,
	`\b(?:\d{1,3}\.){3}\d{1,3}\b`,
	`\b(?:[0-9A-Fa-f]{1,4}:){2,7}[0-9A-Fa-f]{0,4}\b`,
	`\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?\b`,
	`\beyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*`,
	`\b(?:AKIA|ASIA|AGPA|AIDA|AROA)[A-Z0-9]{16}\b`,
	`\bgh[pousr]_[A-Za-z0-9]{36,}`,
	`\bglpat-[A-Za-z0-9_-]{20,}`,
	`\bxox[bpaesr]-[A-Za-z0-9-]{10,}`,
	`\b[spr]k_(?:live|test)_[A-Za-z0-9]{24,}`,
	`\bAIza[A-Za-z0-9_-]{35}`,
	`-----BEGIN [A-Z ]*PRIVATE KEY-----`,
	`(?i)\b(?:bearer|basic)\s+[A-Za-z0-9._~+/-]+=*`,
	`[a-z][a-z0-9+.-]*://[^/\s:@]+:[^/\s@]+@`,
	`(?i)(?:password|passwd|pwd|secret|token|api_?key|access_?key|private_?key|client_?secret|auth|credentials?)["']?\s*[:=]\s*["']?[^\s"',;&]+`,
}, "|"))

func benchRegexp(b *testing.B, text string) {
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		regexpBaseline.FindAllStringIndex(text, -1)
	}
}

// BenchmarkRegexpBaseline measures the regexp alternation over the same
// inputs as BenchmarkScanClean1K and BenchmarkScanPII1K, in the same run, so
// the ratio between the two is visible.
func BenchmarkRegexpBaseline(b *testing.B) {
	b.Run("Clean1K", func(b *testing.B) { benchRegexp(b, cleanLog) })
	b.Run("PII1K", func(b *testing.B) { benchRegexp(b, piiLog) })
}

// BenchmarkScanShort scans the short values typical of slog attributes,
// where the fixed cost of a call dominates.
func BenchmarkScanShort(b *testing.B) {
	for _, c := range []struct{ name, s string }{
		{"msg", "request handled"}, {"method", "GET"}, {"path", "/api/v1/items/42"},
		{"uuid", "3f2a9c1e-7b4d-4e8a-9f0c-2d6b8a1e5c7f"}, {"email", "alice@example.com"},
	} {
		b.Run(c.name, func(b *testing.B) { benchScan(b, c.s) })
	}
}
