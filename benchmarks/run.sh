#!/usr/bin/env bash
# Runs every benchmark of the benchmarks module COUNT times (and the scanner's
# own benchmarks in the main module), then prints benchstat tables: one per
# comparison, with the sides as columns and each side's difference to the
# first column (the baseline) computed from the same run.
#
# The test binary is built once and run COUNT times with -count 1, so the
# sides of a comparison are interleaved: on a shared or throttled machine,
# load changes hit every side alike instead of one side's six samples.
#
#   ./run.sh                 # everything, -count 6
#   COUNT=3 ./run.sh Redact  # only benchmarks matching Redact
#   SCAN=0 ./run.sh          # skip the main module's internal/scan benchmarks
#
# Raw results are kept in out/bench.txt and out/scan.txt.
set -euo pipefail
cd "$(dirname "$0")"
COUNT=${COUNT:-6}
PATTERN=${1:-.}
SCAN=${SCAN:-1}
BENCHSTAT=golang.org/x/perf/cmd/benchstat@v0.0.0-20260908200009-22c9c6c9d4da
benchstat() { go run "$BENCHSTAT" "$@"; }

mkdir -p out
out=$PWD/out
go test -c -o "$out/bench.test" .
for _ in $(seq "$COUNT"); do
	"$out/bench.test" -test.run '^$' -test.bench "$PATTERN" -test.benchmem -test.timeout 0
done | tee "$out/bench.txt"
if [ "$SCAN" = 1 ]; then
	(cd .. && go test -c -o "$out/scan.test" ./internal/scan/)
	for _ in $(seq "$COUNT"); do
		(cd ../internal/scan && "$out/scan.test" -test.run '^$' -test.bench 'Scan(Clean|PII)1K|RegexpBaseline' -test.benchmem -test.timeout 0)
	done | tee "$out/scan.txt"
fi

echo
echo "## All benchmarks (medians)"
benchstat out/bench.txt

# One table per comparison; the first side listed is the baseline ("vs base").
compare() { # family, side order
	if grep -q "^Benchmark$1/" out/bench.txt; then
		echo
		echo "## $1: sides against ${2%% *}"
		benchstat -filter ".name:$1" -col "/side@($2)" out/bench.txt
	fi
}
compare Redact "bare veil veil-json veil-tokenize masq rebuild"
if grep -q "^BenchmarkRedactInterleaved/" out/bench.txt; then
	echo
	echo "## RedactInterleaved: each side's time over bare's, sides interleaved in 128-record blocks"
	benchstat -filter ".name:RedactInterleaved" out/bench.txt
fi
compare SamplingDecision "zap veil slog-sampling"
compare SamplingLogger "bare-slog veil slog-sampling bare-zap zap"
compare Detect "regexp veil"
compare SQL "sqllexer veil"
compare Tokenize "bare-hmac veil veil-append veil-cached"
compare Span "bare veil"
compare LogRecord "bare veil"
if [ "$SCAN" = 1 ] && [ -s out/scan.txt ]; then
	echo
	echo "## internal/scan (main module)"
	benchstat out/scan.txt
fi
