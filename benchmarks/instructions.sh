#!/usr/bin/env bash
# Counts the instructions each named benchmark executes per operation, under
# valgrind: a figure that does not move with the machine's load, for
# comparing code changes when time/op is too noisy to show them. It is not
# time: a side that runs fewer instructions may still be slower (lower IPC,
# cache misses, GC work on another core). Needs valgrind (apt-get install
# valgrind); not run by CI.
#
#   ./instructions.sh Redact/rec=clean/side=bare Redact/rec=clean/side=veil
#
# Each figure is (instructions at N ops − instructions at 1 op) / (N − 1),
# with GOMAXPROCS=1 and asynchronous preemption off (valgrind serializes
# threads and mishandles the preemption signal).
set -euo pipefail
cd "$(dirname "$0")"
N=${N:-30000}
mkdir -p out
go test -c -o out/bench.test .
count() { # regex, iterations
	GODEBUG=asyncpreemptoff=1 valgrind --tool=cachegrind --cache-sim=no --cachegrind-out-file=/dev/null \
		out/bench.test -test.run '^$' -test.bench "$1" -test.benchtime "${2}x" -test.cpu 1 2>&1 |
		awk '/I *refs/ { gsub(",", "", $NF); print $NF }'
}
for name in "$@"; do
	re=$(echo "Benchmark$name" | awk -F/ '{ for (i = 1; i <= NF; i++) printf "%s^%s$", (i > 1 ? "/" : ""), $i }')
	one=$(count "$re" 1)
	many=$(count "$re" "$N")
	echo "$name $(((many - one) / (N - 1))) instructions/op"
done
