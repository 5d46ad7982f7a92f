package benchmarks

import (
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/DataDog/go-sqllexer"

	"github.com/veilhq/veil/redact"
)

// SQL statements of three sizes, with literals that carry personal data.
var (
	sqlSmall  = "SELECT id, name FROM users WHERE email = 'alice.smith@example.com' LIMIT 1"
	sqlMedium = strings.TrimSpace(strings.Repeat("SELECT o.id, o.total, c.name FROM orders o JOIN customers c ON c.id = o.customer_id "+
		"WHERE o.status = 'paid' AND o.total > 100.50 AND c.email IN ('bob@example.org', 'carol@example.net') /* user=alice */ ", 3))
	sqlLarge = strings.Repeat(sqlMedium+" UNION ALL ", 10)

	sqlCases = []struct{ name, q string }{{"small", sqlSmall}, {"medium", sqlMedium}, {"large", sqlLarge}}
)

// BenchmarkSQL measures veil's db.query.text sanitizer as applications meet
// it: a record with the statement under db.query.text, handled by a
// Redactor's slog handler in front of a handler that discards it (so no
// encoding is measured). The baseline is go-sqllexer's Obfuscator, which
// veil's sanitizer builds on, run on the same statement. MB/s are of the
// statement.
func BenchmarkSQL(b *testing.B) {
	r, err := redact.New()
	if err != nil {
		b.Fatal(err)
	}
	h := r.Handler(nopHandler{})
	obf := sqllexer.NewObfuscator()
	now := time.Now()
	for _, c := range sqlCases {
		b.Run("size="+c.name+"/side=veil", func(b *testing.B) {
			b.SetBytes(int64(len(c.q)))
			b.ReportAllocs()
			for b.Loop() {
				rec := slog.NewRecord(now, slog.LevelInfo, "query", 0)
				rec.AddAttrs(slog.String("db.query.text", c.q))
				_ = h.Handle(ctx, rec)
			}
		})
		b.Run("size="+c.name+"/side=sqllexer", func(b *testing.B) {
			b.SetBytes(int64(len(c.q)))
			b.ReportAllocs()
			for b.Loop() {
				_ = obf.Obfuscate(c.q)
			}
		})
	}
}
