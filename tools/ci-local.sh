#!/usr/bin/env bash
# Runs the GitLab pipeline (.gitlab-ci.yml) on this machine with gitlab-ci-local, no GitLab and no Docker:
# jobs that name an image run on the host (--force-shell-executor), each in its own copy of the
# repository under .gitlab-ci-local/builds (--shell-isolation), with CI=true like a real runner.
#
#   tools/ci-local.sh                 # build, then the unit tests (the jobs every change must pass)
#   tools/ci-local.sh --list          # the jobs, stages and needs; also validates the file's schema
#   tools/ci-local.sh test:chart      # one job (add --needs to run what it needs first)
#   tools/ci-local.sh --pipeline      # the whole pipeline, as GitLab would (takes long on 2 cores)
#
# Needs what tools/test_prereqs.sh installs (Node.js, tools/node, rsync); jobs see the host's JDK.
# Jobs see the files git tracks (gitlab-ci-local copies those): `git add` new files before a run.
set -euo pipefail
cd "$(dirname "$0")/.."
gcl=tools/node/node_modules/.bin/gitlab-ci-local
if [ ! -x "$gcl" ]; then
  echo "ci-local: gitlab-ci-local is not installed; run tools/test_prereqs.sh" >&2
  exit 1
fi
if [ $# -eq 0 ]; then
  set -- --needs test:unit
fi
# A runner's CI_PROJECT_DIR is a fake /builds/... path here: keep Maven on this machine's repository.
exec "$gcl" --force-shell-executor --shell-isolation --concurrency 1 --variable CI=true \
  --variable "MAVEN_OPTS=-Dmaven.repo.local=${HOME}/.m2/repository" "$@"
