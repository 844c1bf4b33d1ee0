#!/bin/bash
# Docker HEALTHCHECK: the readiness group (member of a cluster with a leader, caught up). Uses bash's
# /dev/tcp so the JRE image needs no curl or wget.
set -euo pipefail
port=${SERVER_PORT:-8080}
exec 3<>"/dev/tcp/127.0.0.1/${port}"
printf 'GET /actuator/health/readiness HTTP/1.0\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n' >&3
read -r -t 3 status_line <&3
exec 3<&-
case "$status_line" in
  "HTTP/1."?" 200"*) exit 0 ;;
  *) echo "readiness: ${status_line:-no answer}" >&2; exit 1 ;;
esac
