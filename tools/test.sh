#!/usr/bin/env bash
# The one entry point for Ratchet's tests, used by README, .ci/run and the GitLab pipeline.
#
#   tools/test.sh                 # the full default suite: ./mvnw verify (what CI's .ci/run runs)
#   tools/test.sh unit            # everything except the simulation, real-process and deploy tests
#   tools/test.sh simulation      # the deterministic Raft simulation (dev.ratchet.raft.sim)
#   tools/test.sh cluster         # real-process cluster tests (@Tag("cluster"))
#   tools/test.sh failover        # real processes under faults with fast rotation (@Tag("failover"))
#   tools/test.sh deploy          # Dockerfile, Helm chart and pipeline checks (dev.ratchet.deploy)
#
# Extra arguments go to Maven, e.g. `tools/test.sh -Psoak` or `tools/test.sh simulation -Dratchet.sim.seeds=50`.
# A suite runs `verify` with test-selection flags; each suite runs at least one test or fails.
set -euo pipefail
cd "$(dirname "$0")/.."
# The suite needs Prometheus/promtool, Node.js tools, strace and prlimit: install what is missing
# (idempotent, quick when everything is there) so this one command works on a fresh machine.
# RATCHET_SKIP_PREREQS=1 skips it (for a machine where someone installs them another way).
if [ -z "${RATCHET_SKIP_PREREQS:-}" ]; then
  bash tools/test_prereqs.sh
fi
if [ -n "${CI:-}${GITLAB_CI:-}" ]; then
  echo "test.sh: running under CI (CI=${CI:-} GITLAB_CI=${GITLAB_CI:-}); test waits are scaled up"
fi
suite=()
case "${1:-}" in
  unit)
    shift
    suite=(-DexcludedGroups=cluster,failover "-Dtest=!dev/ratchet/raft/sim/**,!dev/ratchet/deploy/**") ;;
  simulation)
    shift
    suite=("-Dtest=dev/ratchet/raft/sim/**") ;;
  cluster)
    shift
    suite=(-Dgroups=cluster) ;;
  failover)
    shift
    suite=(-Dgroups=failover) ;;
  deploy)
    shift
    suite=("-Dtest=dev/ratchet/deploy/**") ;;
  all)
    shift ;;
esac
exec ./mvnw -B -ntp verify "${suite[@]}" "$@"
