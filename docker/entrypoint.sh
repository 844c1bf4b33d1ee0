#!/bin/bash
# Starts the node with java as PID 1 (exec), so SIGTERM reaches the JVM and the node shuts down
# gracefully. RATCHET_JVM_FLAGS holds the image's container-aware defaults; JAVA_OPTS adds to them.
#
# RATCHET_BOOTSTRAP_NODE (set by the Helm chart to "<release>-0"): this node bootstraps when its
# RATCHET_NODE_ID equals it. Bootstrap acts only on an empty data directory, so a restarted pod-0
# with its volume simply rejoins; an explicit RATCHET_BOOTSTRAP always wins.
set -euo pipefail
if [ -z "${RATCHET_BOOTSTRAP:-}" ] && [ -n "${RATCHET_BOOTSTRAP_NODE:-}" ]; then
  if [ "${RATCHET_NODE_ID:-}" = "$RATCHET_BOOTSTRAP_NODE" ]; then
    export RATCHET_BOOTSTRAP=true
  else
    export RATCHET_BOOTSTRAP=false
  fi
fi
# Word splitting of the flag variables is intended: each holds several JVM options.
# shellcheck disable=SC2086
# The chart's restore (values restore.enabled) names a backup that only pod-0 has; the node refuses to
# start when ratchet.admin.restore-from names a missing file, so it is set only where the file exists.
if [ -n "${RATCHET_RESTORE_FROM_IF_PRESENT:-}" ] && [ -z "${RATCHET_ADMIN_RESTORE_FROM:-}" ] \
    && [ -f "$RATCHET_RESTORE_FROM_IF_PRESENT" ]; then
  export RATCHET_ADMIN_RESTORE_FROM="$RATCHET_RESTORE_FROM_IF_PRESENT"
fi
exec java ${RATCHET_JVM_FLAGS:-} ${JAVA_OPTS:-} -cp /app org.springframework.boot.loader.launch.JarLauncher "$@"
