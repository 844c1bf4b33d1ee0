#!/usr/bin/env bash
# Upload throughput of a large artifact into a local 3-node cluster and the time until every node holds
# it, against the raw disk write rate. Writes target/benchmarks/artifacts.json.
# Usage: tools/artifact-benchmark.sh [MiB]   (default 1024)
set -euo pipefail
cd "$(dirname "$0")/.."
MIB="${1:-1024}"
./mvnw -B -ntp -q test -Dtest=ArtifactBenchmark -Dratchet.benchmark=true -Dratchet.benchmark.mib="$MIB" -Dratchet.test.full-jit=true \
  -Dsurefire.failIfNoSpecifiedTests=false
cat target/benchmarks/artifacts.json
