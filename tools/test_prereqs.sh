#!/usr/bin/env bash
# Installs what the test suite needs on a fresh Debian machine beyond a JDK 17+. Idempotent: run it
# as often as you like. The Maven wrapper fetches Maven itself.
#   - prometheus (with promtool): the metrics integration test scrapes a real 3-node cluster with it,
#     and the alert rules in docs/alerts/ are checked and unit-tested with promtool.
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
