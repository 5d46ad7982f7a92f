package benchmarks

import (
	"io"
	"log/slog"
	"testing"
	"time"
)

// interleaveBlock is how many records each side logs in its turn.
const interleaveBlock = 128

// BenchmarkRedactInterleaved measures the slog targets with the sides
// interleaved finely. Each iteration logs a block of interleaveBlock records
// through every side in turn — the bare JSON handler, veil in front of it,
// and three floors in front of it: forward (passes each record on), iterate
// (reads every attribute, then passes the record on) and rebuild (passes on a
// copy) — timing each block; the side that goes first changes from one
// iteration to the next. It reports each side's total time over the bare
// handler's (veil/bare, forward/bare, ...).
//
// BenchmarkRedact runs each side for a second in turn, so a change in the
// machine's load between two sides moves their ratio; here every side sees
// the same load to within a few blocks (a block takes ~0.15 ms), and the
// ratio holds steady from run to run. ns/op is the time of one iteration
// (one block of every side) and means little.
func BenchmarkRedactInterleaved(b *testing.B) {
	all := redactSides(b)
	veilSide, jsonSide := all[1], all[len(all)-1]
	sides := []struct {
		name   string
		logger *slog.Logger
	}{
		{"bare", slog.New(slog.NewJSONHandler(io.Discard, nil))},
		{"veil", veilSide.logger(io.Discard)},
		{"forward", slog.New(&forwardHandler{slog.NewJSONHandler(io.Discard, nil)})},
		{"iterate", slog.New(&iterateHandler{slog.NewJSONHandler(io.Discard, nil)})},
		{"rebuild", slog.New(rebuildHandler{slog.NewJSONHandler(io.Discard, nil)})},
		{"veil-json", jsonSide.logger(io.Discard)},
	}
	for _, rec := range []struct {
		name  string
		msg   string
		attrs []slog.Attr
	}{
		{"clean", "request handled", cleanAttrs()},
		{"pii", "login failed", piiAttrs()},
	} {
		b.Run("rec="+rec.name, func(b *testing.B) {
			total := make([]time.Duration, len(sides))
			block := func(i int) {
				l := sides[i].logger
				start := time.Now()
				for range interleaveBlock {
					l.LogAttrs(ctx, slog.LevelInfo, rec.msg, rec.attrs...)
				}
				total[i] += time.Since(start)
			}
			turn := 0
			for b.Loop() {
				for j := range sides {
					block((turn + j) % len(sides))
				}
				turn++
			}
			for i, s := range sides[1:] {
				b.ReportMetric(float64(total[i+1])/float64(total[0]), s.name+"/bare")
			}
		})
	}
}
