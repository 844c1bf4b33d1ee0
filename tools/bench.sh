#!/usr/bin/env bash
# Ratchet's benchmark (issue 9) on real node processes on loopback; writes target/benchmarks/ratchet.json
# and target/benchmarks/report.md (Ratchet vs Ratis when tools/ratis-bench.sh has written ratis.json).
#   tools/bench.sh                         # every default part, default sizes (hours on a small machine)
#   tools/bench.sh parts=matrix nodes=3 clients=1,32,64 sizes=100 warmup=120 duration=30
#   tools/bench.sh parts=failover failover=20
#   tools/bench.sh warmup=5 duration=5 clients=1,16 sizes=100 nodes=3 failover=3 keys=5000 stability=0  # smoke
#   tools/bench.sh report                  # only regenerate report.md from the JSON files
#   tools/bench.sh parts=etcd,disk,matrix nodes=3 clients=1,16,64 workloads=write,write-spread warmup=30 duration=20
#   tools/bench.sh parts=slowdisk warmup=60 duration=30    # writes with +30 ms per leader fsync vs healthy (LD_PRELOAD)
#   RATCHET_BENCH_FSYNC_DELAY_MS=0 tools/bench.sh parts=slowdisk   # control: the same run with no delay at all.
#   RATCHET_BENCH_FSYNC_INJECTION=strace tools/bench.sh parts=slowdisk   # the delay from strace -p (stops every syscall).
#   tools/bench.sh parts=http2 clients=16,64 warmup=20 duration=20   # HTTP/1.1 vs h2c through h2load (nghttp2-client)
#   RATCHET_BENCH_NODE_HEAP=2g tools/bench.sh parts=memory keys=1000000   # heap per document, snapshots, restart
# Keys: parts=etcd,disk,matrix,stability,failover,startup,watch,txn,memory,rejoin,slowdisk,http2|report nodes= sizes= clients= workloads=
#   warmup= duration= failover= writers= rejoin=1,2,4 root-life=60 keys= memory-clients= startups= stability=
#   watchers=1000 watch-rate=100 (parts watch,txn: SSE fan-out and compare-and-set txn throughput) out=
#   ratis= etcd= report=
# Workloads: write, write-spread, read-linearizable, read-linearizable-spread, read-stale ("spread" goes to every
# node in turn, as a Kubernetes Service spreads clients). The etcd part runs the same matrix against a 3-member
# etcd 3.4 (Debian's etcd-server: peer mutual TLS, default fsync) through its JSON gateway into etcd.json; the
# disk part measures one fsync of this disk, the floor for a write's latency. The slowdisk part (only when named:
# it builds tools/fsync-delay/fsync_delay.c with gcc, checked first) runs write and write-spread with 100-byte values
# on its own 3-node cluster, every node preloading that library, healthy and then with 30 ms added after each of the
# leader's fsyncs (clients=16,64 unless given).
# Run it on a quiet machine: every node, client and disk write shares the same cores.
set -euo pipefail
cd "$(dirname "$0")/.."
# The etcd part (on by default) needs Debian's etcd-server; install it unless the parts given leave it out.
parts_arg=$(printf '%s\n' "$@" | sed -n 's/^parts=//p' | tail -1)
if { [[ -z "$parts_arg" && "${1:-}" != report ]] || [[ ",$parts_arg," == *,etcd,* ]]; } && ! command -v etcd >/dev/null; then
  echo "bench: installing Debian's etcd-server for the etcd part"
  sudo_cmd=""; [[ $(id -u) -ne 0 ]] && sudo_cmd="sudo"
  $sudo_cmd apt-get install -y -q etcd-server >/dev/null || { $sudo_cmd apt-get update -q >/dev/null \
    && $sudo_cmd apt-get install -y -q etcd-server >/dev/null; }
fi
if [[ ",$parts_arg," == *,http2,* ]] && ! command -v h2load >/dev/null; then
  echo "bench: installing Debian's nghttp2-client (h2load) for the http2 part"
  sudo_cmd=""; [[ $(id -u) -ne 0 ]] && sudo_cmd="sudo"
  $sudo_cmd apt-get install -y -q nghttp2-client >/dev/null || { $sudo_cmd apt-get update -q >/dev/null \
    && $sudo_cmd apt-get install -y -q nghttp2-client >/dev/null; }
fi
./mvnw -B -q -ntp test-compile dependency:build-classpath -Dmdep.outputFile=target/test-classpath.txt \
  -Dmdep.includeScope=test
CP="target/test-classes:target/classes:$(cat target/test-classpath.txt)"
# Node JVMs get -Xmx256m unless RATCHET_BENCH_NODE_HEAP says more (a million keys need 2g). They run with the
# full JIT (C2), as the Ratis peers of tools/ratis-bench.sh do: a fair comparison; and with G1, as the image
# runs them (RATCHET_BENCH_NODE_GC=Serial for the collector the test suite uses), logging each collection
# to <node>-gc-<pid>.log beside the node's log. RATCHET_BENCH_NODE_JFR=true leaves a flight recording
# (<node>-start<n>.jfr, default settings) beside each node's log, dumped by jcmd before the node is killed; the
# dump takes a few seconds of CPU, so failover figures taken with it on are not comparable.
exec java -Dratchet.test.full-jit=true -Dratchet.test.node-gc="${RATCHET_BENCH_NODE_GC:-G1}" -Dratchet.test.node-gc-log=true \
  -Dratchet.test.node-jfr="${RATCHET_BENCH_NODE_JFR:-false}" -Dratchet.test.node-heap="${RATCHET_BENCH_NODE_HEAP:-256m}" -cp "$CP" dev.ratchet.bench.RatchetBenchmark "$@"
