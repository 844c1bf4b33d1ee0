#!/usr/bin/env bash
# Starts a 3-node Ratchet cluster on this machine: separate processes, mutual TLS between peers, and
# trust-root rotation accelerated to seconds so you can watch it happen. Ctrl-C stops every node.
#
#   tools/local-cluster.sh            # build if needed, start, wait for a leader, print the URLs
#   RATCHET_DATA=/tmp/rc tools/local-cluster.sh   # keep data elsewhere (default: ./cluster-data)
set -euo pipefail
cd "$(dirname "$0")/.."

DATA=${RATCHET_DATA:-$PWD/cluster-data}
JAR=target/ratchet-0.1.0-SNAPSHOT.jar
if [ ! -f "$JAR" ] || [ -n "$(find src pom.xml -newer "$JAR" -print -quit 2>/dev/null)" ]; then
  echo "building $JAR ..."
  ./mvnw -B -q -ntp -DskipTests package
fi
mkdir -p "$DATA"
TOKEN_FILE="$DATA/join-token"
[ -f "$TOKEN_FILE" ] || head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$TOKEN_FILE"
ADMIN_FILE="$DATA/admin-token"
[ -f "$ADMIN_FILE" ] || head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$ADMIN_FILE"
JOIN_TOKEN=$(cat "$TOKEN_FILE")
ADMIN_TOKEN=$(cat "$ADMIN_FILE")

PEERS="node-1@127.0.0.1:7101,node-2@127.0.0.1:7102,node-3@127.0.0.1:7103"
pids=()
stop() {
  trap - INT TERM EXIT
  echo
  echo "stopping the cluster ..."
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap stop INT TERM EXIT

start_node() {
  local n=$1; shift
  java -jar "$JAR" \
    --server.port=$((8080 + n)) \
    --ratchet.node-id=node-$n \
    --ratchet.data-dir="$DATA/node-$n" \
    --ratchet.peer.host=127.0.0.1 --ratchet.peer.port=$((7100 + n)) \
    --ratchet.peers="$PEERS" \
    --ratchet.join-token="$JOIN_TOKEN" --ratchet.admin-token="$ADMIN_TOKEN" --ratchet.api.anonymous=none \
    --ratchet.trust.root-cert-expire=90s --ratchet.trust.max-trust-roots=3 --ratchet.trust.cert-grace=5s \
    "$@" > "$DATA/node-$n.log" 2>&1 &
  pids+=($!)
}

wait_ready() {
  local url=$1
  for _ in $(seq 1 240); do
    if curl -fs "$url/actuator/health/readiness" >/dev/null 2>&1; then return 0; fi
    sleep 0.5
  done
  echo "node at $url did not become ready; see $DATA/*.log" >&2
  return 1
}

# All three start at once and list every node as a seed. node-1 may found the cluster, but only once
# all three answered that they are fresh (bootstrap-expect=3); on later runs, or if node-1's directory
# was deleted while the others have data, it finds their cluster and joins it instead of founding one.
SEEDS=http://127.0.0.1:8081,http://127.0.0.1:8082,http://127.0.0.1:8083
start_node 1 --ratchet.join-addresses=$SEEDS --ratchet.bootstrap-expect=3 --ratchet.bootstrap=true
start_node 2 --ratchet.join-addresses=$SEEDS --ratchet.bootstrap-expect=3
start_node 3 --ratchet.join-addresses=$SEEDS --ratchet.bootstrap-expect=3
wait_ready http://127.0.0.1:8081
wait_ready http://127.0.0.1:8082
wait_ready http://127.0.0.1:8083
# Data-plane requests need a credential (as in the Helm chart): mint an API token for this session.
API_TOKEN=$(curl -fsS -X POST -H "Authorization: Bearer $ADMIN_TOKEN" -H 'Content-Type: application/json' \
  -d '{"name":"local-dev","grants":["kv:readwrite:","artifacts:readwrite:"]}' \
  http://127.0.0.1:8081/api/v1/admin/tokens | sed -n 's/.*"token":"\([^"]*\)".*/\1/p')

cat <<MSG

Ratchet is running: 3 nodes, mutual TLS between peers, roots rotating every 30 seconds.
  node-1  http://127.0.0.1:8081   (log: $DATA/node-1.log)
  node-2  http://127.0.0.1:8082   (log: $DATA/node-2.log)
  node-3  http://127.0.0.1:8083   (log: $DATA/node-3.log)
Admin token: $ADMIN_TOKEN
API token (read-write on every key and artifact): $API_TOKEN

Try:
  curl -H "Authorization: Bearer $API_TOKEN" -X PUT --data-binary 'hello' http://127.0.0.1:8081/api/v1/kv/greeting
  curl -H "Authorization: Bearer $API_TOKEN" http://127.0.0.1:8083/api/v1/kv/greeting
  curl -H "Authorization: Bearer $API_TOKEN" http://127.0.0.1:8082/api/v1/cluster
  curl -H "Authorization: Bearer $ADMIN_TOKEN" http://127.0.0.1:8081/actuator/consensus
  curl -H "Authorization: Bearer $ADMIN_TOKEN" http://127.0.0.1:8081/actuator/roots
  curl http://127.0.0.1:8081/actuator/prometheus | grep ^ratchet_
See docs/operations.md for the admin API (rotation, leadership, members, backup).
Press Ctrl-C to stop every node.
MSG
wait
