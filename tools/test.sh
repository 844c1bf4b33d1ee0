#!/usr/bin/env bash
# The one entry point for Ratchet's tests, used by README, .ci/run and the GitLab pipeline.
# Extra arguments go to Maven, e.g. `tools/test.sh -Psoak` or `tools/test.sh -Dtest=SimulationTest`.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -n "${CI:-}${GITLAB_CI:-}" ]; then
  echo "test.sh: running under CI (CI=${CI:-} GITLAB_CI=${GITLAB_CI:-}); test waits are scaled up"
fi
exec ./mvnw -B -ntp verify "$@"
