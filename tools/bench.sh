#!/usr/bin/env bash
# Ratchet's benchmark (issue 9) on real node processes on loopback; writes target/benchmarks/ratchet.json
# and target/benchmarks/report.md (Ratchet vs Ratis when tools/ratis-bench.sh has written ratis.json).
#   tools/bench.sh                         # everything, default sizes (hours on a small machine)
#   tools/bench.sh parts=matrix nodes=3 clients=1,32,64 sizes=100 warmup=120 duration=30
#   tools/bench.sh parts=failover failover=20
#   tools/bench.sh warmup=5 duration=5 clients=1,16 sizes=100 nodes=3 failover=3 keys=5000 stability=0  # smoke
#   tools/bench.sh report                  # only regenerate report.md from the JSON files
# Keys: parts=matrix,stability,failover,startup,memory,rejoin|report nodes= sizes= clients= workloads=
#   warmup= duration= failover= writers= rejoin=1,2,4 root-life=60 keys= memory-clients= startups= stability= out= ratis= report=
# Run it on a quiet machine: every node, client and disk write shares the same cores.
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -q -ntp test-compile dependency:build-classpath -Dmdep.outputFile=target/test-classpath.txt \
  -Dmdep.includeScope=test
# Node JVMs are started with -Xmx256m (NodeProcess); a million keys need more. _JAVA_OPTIONS is read after
# the command line, so it overrides that for every node (and this client JVM): RATCHET_BENCH_NODE_HEAP=1g.
if [[ -n "${RATCHET_BENCH_NODE_HEAP:-}" ]]; then
  export _JAVA_OPTIONS="-Xmx${RATCHET_BENCH_NODE_HEAP}"
fi
CP="target/test-classes:target/classes:$(cat target/test-classpath.txt)"
# Nodes run with the full JIT (C2), as the Ratis peers of tools/ratis-bench.sh do: a fair comparison.
exec java -Dratchet.test.full-jit=true -cp "$CP" dev.ratchet.bench.RatchetBenchmark "$@"
