#!/usr/bin/env bash
# Apache Ratis reference benchmark (issue 9): builds bench/ratis (a stand-alone Maven module, not part of
# the product build) and runs dev.ratchet.bench.ratis.RatisLoadBenchmark, passing key=value args through.
#   tools/ratis-bench.sh                                              # full matrix: 120 s warm-up, 30 s windows
#   tools/ratis-bench.sh warmup=10 duration=5 clients=1,16 sizes=100  # smoke run
# Results: target/benchmarks/ratis.json (out=...). Run the full matrix on a quiet machine.
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -q -ntp -f bench/ratis/pom.xml package
exec java ${RATIS_BENCH_DRIVER_JVM:--Xmx1g} -jar bench/ratis/target/ratchet-ratis-bench.jar "$@"
