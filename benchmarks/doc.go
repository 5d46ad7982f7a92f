// Package benchmarks measures veil side by side with the libraries teams use today
// (the bare slog and OpenTelemetry pipelines, github.com/m-mizutani/masq,
// github.com/samber/slog-sampling, go.uber.org/zap, Go's regexp,
// github.com/DataDog/go-sqllexer) on the same inputs,
// in one run, so that every figure in README.md is a ratio to a baseline measured
// beside it. Run ./run.sh for the tables; the tests check that every side of
// every comparison does the work it is credited with.
package benchmarks
