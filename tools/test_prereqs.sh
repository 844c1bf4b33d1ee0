#!/usr/bin/env bash
# Installs what the test suite needs on a fresh Debian machine beyond a JDK 17+.
# The Maven wrapper fetches Maven itself; nothing else is needed yet.
set -euo pipefail
if ! command -v java >/dev/null 2>&1; then
  echo "test_prereqs: a JDK 17 or newer is required (apt-get install openjdk-17-jdk-headless)" >&2
  exit 1
fi

# Node.js 20+ and npm run the Dockerfile linters, the Kubernetes schema check of the Helm chart and
# gitlab-ci-local (tools/node, pinned by package-lock.json); rsync is what gitlab-ci-local copies with.
need_apt=()
command -v node >/dev/null 2>&1 || need_apt+=(nodejs)
command -v npm >/dev/null 2>&1 || need_apt+=(npm)
command -v rsync >/dev/null 2>&1 || need_apt+=(rsync)
command -v git >/dev/null 2>&1 || need_apt+=(git)
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
