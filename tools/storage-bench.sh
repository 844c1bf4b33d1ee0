#!/usr/bin/env bash
# Storage benchmark: raw fsync rate, 4 KiB append+sync latency, group-commit throughput.
# Usage: tools/storage-bench.sh [secondsPerPhase [directory]]  (results in target/benchmarks/storage.json)
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -ntp -q test-compile
exec java -cp target/classes:target/test-classes dev.ratchet.storage.bench.StorageBenchmark "$@"
