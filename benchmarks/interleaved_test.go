package benchmarks

import (
	"io"
	"log/slog"
	"testing"
	"time"
)

// interleaveBlock is how many records each side logs in turn.
const interleaveBlock = 128

// BenchmarkRedactInterleaved measures the ratio of the slog targets with
// the sides interleaved finely: each iteration logs a block of
// interleaveBlock records through the bare JSON handler and a block
// through veil in front of it (in alternating order), timing each block,
// and the benchmark reports veil's total time over bare's as veil/bare.
// BenchmarkRedact runs each side for a second in turn, so a change of the
// machine's load between them moves its ratio; here both sides see the
// same load to within a block (~0.2 ms), which makes the ratio steadier
// from run to run. The rebuild floor is measured the same way
// (rebuild/bare). ns/op is the time of one iteration (both blocks, all
// sides) and means little.
func BenchmarkRedactInterleaved(b *testing.B) {
	r := redactSides(b)
	bare, veil := r[0].logger(io.Discard), r[1].logger(io.Discard)
	rebuild := slog.New(rebuildHandler{slog.NewJSONHandler(io.Discard, nil)})
	for _, rec := range []struct {
		name  string
		msg   string
		attrs []slog.Attr
	}{
		{"clean", "request handled", cleanAttrs()},
		{"pii", "login failed", piiAttrs()},
	} {
		b.Run("rec="+rec.name, func(b *testing.B) {
			sides := []*slog.Logger{bare, veil, rebuild}
			var total [3]time.Duration
			block := func(i int) {
				l := sides[i]
				start := time.Now()
				for range interleaveBlock {
					l.LogAttrs(ctx, slog.LevelInfo, rec.msg, rec.attrs...)
				}
				total[i] += time.Since(start)
			}
			turn := 0
			for b.Loop() {
				// Each side leads in turn, so that none always follows the
				// same other side (whose code and data it evicts).
				for j := range sides {
					block((turn + j) % len(sides))
				}
				turn++
			}
			b.ReportMetric(float64(total[1])/float64(total[0]), "veil/bare")
			b.ReportMetric(float64(total[2])/float64(total[0]), "rebuild/bare")
		})
	}
}
