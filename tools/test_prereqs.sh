#!/usr/bin/env bash
# Installs what the test suite needs on a fresh Debian machine beyond a JDK 17+.
# The Maven wrapper fetches Maven itself; nothing else is needed yet.
set -euo pipefail
if ! command -v java >/dev/null 2>&1; then
  echo "test_prereqs: a JDK 17 or newer is required (apt-get install openjdk-17-jdk-headless)" >&2
  exit 1
fi
