package sanitize

import (
	"net/url"
	"strings"
	"testing"
)

var (
	sqlSmall  = "SELECT id, name FROM users WHERE email = 'a@example.com' LIMIT 1"                                                                                                                                                           // ~60 B
	sqlMedium = strings.TrimSpace(strings.Repeat("SELECT o.id, o.total, c.name FROM orders o JOIN customers c ON c.id = o.customer_id WHERE o.status = 'paid' AND o.total > 100.50 AND c.email IN ('a@x.io', 'b@y.io') /* app=shop */ ", 3)) // ~600 B
	sqlLarge  = strings.Repeat(sqlMedium+" UNION ALL ", 10)                                                                                                                                                                                  // ~6 KB
)

// BenchmarkSQL measures SQL against the go-sqllexer Obfuscator run over the
// same statements (the baseline it builds on) in the same run.
func BenchmarkSQL(b *testing.B) {
	for _, c := range []struct{ name, q string }{{"small", sqlSmall}, {"medium", sqlMedium}, {"large", sqlLarge}} {
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(len(c.q)))
			b.ReportAllocs()
			for b.Loop() {
				_ = SQL(c.q)
			}
		})
		b.Run(c.name+"/postgresql", func(b *testing.B) {
			b.SetBytes(int64(len(c.q)))
			b.ReportAllocs()
			for b.Loop() {
				_ = SQLFor("postgresql", c.q)
			}
		})
		b.Run(c.name+"/baseline-sqllexer", func(b *testing.B) {
			b.SetBytes(int64(len(c.q)))
			b.ReportAllocs()
			for b.Loop() {
				_ = obfuscator.Obfuscate(c.q)
			}
		})
	}
}

// BenchmarkURL measures URL against url.Parse + String of the same URL as a
// baseline in the same run.
func BenchmarkURL(b *testing.B) {
	for _, c := range []struct{ name, u string }{
		{"clean", "https://api.example.com/v1/orders/123/items?page=2&per_page=50&sort=desc#top"},
		{"presigned", "https://bucket.s3.amazonaws.com/path/to/object.bin?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAEXAMPLE%2F20240101%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20240101T000000Z&X-Amz-Expires=3600&X-Amz-SignedHeaders=host&X-Amz-Signature=0123456789abcdef"},
		{"userinfo", "https://alice:hunter2@db.example.com:5432/app?sslmode=require"},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(len(c.u)))
			b.ReportAllocs()
			for b.Loop() {
				_ = URL(c.u, nil)
			}
		})
		b.Run(c.name+"/baseline-net-url", func(b *testing.B) {
			b.SetBytes(int64(len(c.u)))
			b.ReportAllocs()
			for b.Loop() {
				u, err := url.Parse(c.u)
				if err == nil {
					_ = u.String()
				}
			}
		})
	}
}

func BenchmarkDefaultSensitiveParam(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		_ = DefaultSensitiveParam("X-Amz-Credential")
		_ = DefaultSensitiveParam("per_page")
	}
}

func BenchmarkDefaultHeaderDenied(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		_ = DefaultHeaderDenied("http.request.header.x_api_key")
		_ = DefaultHeaderDenied("Content-Type")
	}
}
