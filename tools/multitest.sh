#!/usr/bin/env bash
# Runs the deterministic Raft simulation over many seeds, split into disjoint seed ranges (shards) that
# run in parallel on this machine, or one shard of them (the CI matrix). A failing seed prints its
# replay command; each shard's JUnit report lands in target/multitest/shard-K/.
#
#   tools/multitest.sh                          # 2000 seeds in 4 shards, as many at once as there are cores
#   tools/multitest.sh --seeds 20000 --shards 8 -j 2
#   tools/multitest.sh --seeds 4000 --shards 4 --shard 1   # seeds 1001..2000 only (CI's parallel matrix)
set -euo pipefail
cd "$(dirname "$0")/.."

seeds=2000 shards=4 only="" jobs=$(nproc 2>/dev/null || echo 2)
usage() { sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
while [ $# -gt 0 ]; do
  case "$1" in
    --seeds) seeds=${2:?}; shift 2 ;;
    --shards) shards=${2:?}; shift 2 ;;
    --shard) only=${2:?}; shift 2 ;;
    -j) jobs=${2:?}; shift 2 ;;
    -h|--help) usage ;;
    *) echo "multitest: unknown argument '$1'" >&2; usage ;;
  esac
done
for n in "$seeds" "$shards" "$jobs" ${only:+"$only"}; do
  case "$n" in ''|*[!0-9]*) echo "multitest: '$n' is not a whole number" >&2; exit 2 ;; esac
done
if [ "$shards" -lt 1 ] || [ "$shards" -gt 64 ] || [ "$seeds" -lt "$shards" ] || [ "$jobs" -lt 1 ]; then
  echo "multitest: need 1 <= shards <= 64, seeds >= shards, -j >= 1" >&2; exit 2
fi
if [ -n "$only" ] && [ "$only" -ge "$shards" ]; then
  echo "multitest: --shard must be below --shards ($shards)" >&2; exit 2
fi

# Compile once; the shards then run surefire alone, so they never race on target/classes.
./mvnw -B -ntp -q test-compile
per=$(( (seeds + shards - 1) / shards ))
run_shard() {
  local k=$1 offset=$(( $1 * per )) count=$per
  if [ $(( offset + count )) -gt "$seeds" ]; then count=$(( seeds - offset )); fi
  local dir=target/multitest/shard-$k
  mkdir -p "$dir"
  echo "shard $k: seeds $(( offset + 1 ))..$(( offset + count ))"
  if ./mvnw -B -ntp -q surefire:test -Dtest=RaftSimulationTest -Dsurefire.failIfNoSpecifiedTests=true \
      -Dratchet.sim.seeds="$count" -Dratchet.sim.seed-offset="$offset" -Dratchet.reports.dir="$PWD/$dir" -DtempDir="surefire-shard-$k" \
      > "$dir/output.log" 2>&1; then
    echo "shard $k: passed"
  else
    echo "shard $k: FAILED (log: $dir/output.log)"
    grep -E "seeds failed|replay:" "$dir/output.log" | head -5 || true
    return 1
  fi
}

if [ -n "$only" ]; then
  run_shard "$only"
  exit
fi
failed=0 running=0
pids=()
for (( k = 0; k < shards; k++ )); do
  run_shard "$k" & pids+=($!)
  running=$(( running + 1 ))
  if [ "$running" -ge "$jobs" ]; then
    wait -n || failed=$(( failed + 1 ))
    running=$(( running - 1 ))
  fi
done
while [ "$running" -gt 0 ]; do
  wait -n || failed=$(( failed + 1 ))
  running=$(( running - 1 ))
done
echo "multitest: $(( shards - failed )) passed, $failed failed"
[ "$failed" -eq 0 ]
