#!/usr/bin/env bash
# Runs every benchmark of the benchmarks module COUNT times and prints a benchstat table.
#   ./run.sh                 # all benchmarks, -count 6
#   COUNT=3 ./run.sh Redact  # only benchmarks matching Redact
set -euo pipefail
cd "$(dirname "$0")"
COUNT=${COUNT:-6}
PATTERN=${1:-.}
BENCHSTAT=golang.org/x/perf/cmd/benchstat@v0.0.0-20260908200009-22c9c6c9d4da
mkdir -p out
go test -run '^$' -bench "$PATTERN" -benchmem -count "$COUNT" ./... | tee out/bench.txt
go run "$BENCHSTAT" out/bench.txt
