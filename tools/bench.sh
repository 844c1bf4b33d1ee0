#!/usr/bin/env bash
# Runs Ratchet's load benchmark against a real 3-node cluster on this machine and writes JSON results.
#   tools/bench.sh                                  # 120 s warm-up, 60 s per case, 1 and 64 clients
#   tools/bench.sh warmup=30 duration=20 clients=1,16,64 out=target/benchmarks/kv-quick.json
# Run it on a quiet machine: every node, client and disk write shares the same cores.
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -q -ntp test-compile dependency:build-classpath -Dmdep.outputFile=target/test-classpath.txt \
  -Dmdep.includeScope=test
CP="target/test-classes:target/classes:$(cat target/test-classpath.txt)"
exec java -cp "$CP" dev.ratchet.bench.KvLoadBenchmark "$@"
