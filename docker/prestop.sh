#!/bin/bash
# Kubernetes preStop hook: waits $1 seconds (default 5, at most 60) so Services and peers stop routing
# new requests here before the kubelet sends SIGTERM. On SIGTERM the node itself drains HTTP, hands
# leadership to the most caught-up voter (NodeShutdown), and stops.
set -euo pipefail
delay=${1:-5}
case "$delay" in
  ''|*[!0-9]*) echo "ratchet-prestop: the delay must be whole seconds, got '$delay'" >&2; exit 2 ;;
esac
if [ "$delay" -gt 60 ]; then delay=60; fi
sleep "$delay"
