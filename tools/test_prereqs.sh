#!/usr/bin/env bash
# Installs what the test suite needs on a fresh Debian machine beyond a JDK 17+. Idempotent: run it
# as often as you like. The Maven wrapper fetches Maven itself.
#   - prometheus (with promtool): the metrics integration test scrapes a real 3-node cluster with it,
#     and the alert rules in docs/alerts/ are checked and unit-tested with promtool.
#   - Node.js 20+, npm, rsync, git: the Dockerfile linters, the Kubernetes schema check of the Helm chart
#     and gitlab-ci-local (tools/node, pinned by package-lock.json).
#   - strace and prlimit (util-linux): the failover suite injects a slow fsync into a running node and
#     a file-size limit ("disk full") into another.
set -euo pipefail
if ! command -v java >/dev/null 2>&1; then
  echo "test_prereqs: a JDK 17 or newer is required (apt-get install openjdk-17-jdk-headless)" >&2
  exit 1
fi
if ! command -v prometheus >/dev/null 2>&1 || ! command -v promtool >/dev/null 2>&1; then
  if [ "$(id -u)" -ne 0 ] && ! command -v sudo >/dev/null 2>&1; then
    echo "test_prereqs: prometheus/promtool missing; run as root: apt-get update && apt-get install -y prometheus" >&2
    exit 1
  fi
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO=sudo
  $SUDO apt-get update
  # The package's own service is not wanted (tests start their own instance bound to 127.0.0.1).
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends prometheus
fi

# Node.js 20+ and npm run the Dockerfile linters, the Kubernetes schema check of the Helm chart and
# gitlab-ci-local (tools/node, pinned by package-lock.json); rsync is what gitlab-ci-local copies with.
need_apt=()
command -v node >/dev/null 2>&1 || need_apt+=(nodejs)
command -v npm >/dev/null 2>&1 || need_apt+=(npm)
command -v rsync >/dev/null 2>&1 || need_apt+=(rsync)
command -v git >/dev/null 2>&1 || need_apt+=(git)
command -v strace >/dev/null 2>&1 || need_apt+=(strace)
command -v prlimit >/dev/null 2>&1 || need_apt+=(util-linux)
if [ ${#need_apt[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ] && ! command -v sudo >/dev/null 2>&1; then
    echo "test_prereqs: missing ${need_apt[*]}; run as root: apt-get install -y ${need_apt[*]}" >&2
    exit 1
  fi
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO=sudo
  $SUDO apt-get update
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends "${need_apt[@]}"
fi
node_major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$node_major" -lt 20 ]; then
  echo "test_prereqs: Node.js 20 or newer is needed for tools/node, found $(node --version)" >&2
  exit 1
fi
tools_dir="$(cd "$(dirname "$0")" && pwd)/node"
stamp="$tools_dir/node_modules/.package-lock.json"
if [ ! -f "$stamp" ] || ! cmp -s "$tools_dir/package-lock.json" "$stamp.source" 2>/dev/null; then
  npm ci --prefix "$tools_dir" --no-audit --no-fund --loglevel=error
  cp "$tools_dir/package-lock.json" "$stamp.source"
fi
