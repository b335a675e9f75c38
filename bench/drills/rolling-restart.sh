#!/usr/bin/env bash
# Drill 1: rolling restart under load. Two instances of the sample behind HAProxy, which
# health-checks /health/ready every INTER and takes a server out after FALL failed checks; wrk
# keeps a steady load through HAProxy while each instance is restarted in turn with SIGTERM,
# ROUNDS rounds, the next one stopped only once HAProxy has the restarted one UP again. Passes
# when wrk saw no non-2xx answer and no socket error, with HAProxy's retries off (RETRIES=0, the
# default here) or on. Nothing about the shutdown is set: the drain watches the probes and the
# traffic (DRAIN=3s sets a fixed SHUTDOWN_DRAIN_DELAY instead; DRAIN=0s shows the drill failing).
# Usage: [INTER=300ms FALL=1 ROUNDS=3 RETRIES=0 DRAIN=] bench/drills/rolling-restart.sh [jar]
#   (needs haproxy, wrk, curl; JAVA_HOME a JDK 21+)
set -euo pipefail
cd "$(dirname "$0")/../.."
JAR=${1:-samples/notes/target/notes.jar}
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
ROUNDS=${ROUNDS:-3}
RETRIES=${RETRIES:-0}
INTER=${INTER:-300ms}
FALL=${FALL:-1}
DRAIN=${DRAIN:-}
for tool in haproxy wrk curl; do
  command -v "$tool" >/dev/null || { echo "$tool is missing: apt-get install $tool" >&2; exit 1; }
done
# The sample's development switch (its .env.example): without DATABASE_URL it does not start.
H2='jdbc:h2:mem:notes;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1'
[ -f "$JAR" ] || { echo "$JAR is missing: mvn -B -q package -DskipTests first" >&2; exit 1; }

work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]:-}"; do { kill -9 "$p" && wait "$p"; } 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
front=$(free_port); stats=$(free_port); port_a=$(free_port); port_b=$(free_port)

declare -A pid_of
start() { # NAME PORT: starts an instance and waits until it is ready
  # LOG_LEVEL=warn, but the drain's decision is logged: it is what the drill is about.
  env ${DRAIN:+SHUTDOWN_DRAIN_DELAY=$DRAIN} PORT=$2 HOST=127.0.0.1 HTTP_ACCESS_LOG=false LOG_LEVEL=warn \
    LOG_LEVELS=dev.skiff.http.drain.internal.TrafficAwareDrain=info NOTES_API_TOKEN=drill-token-123 DATABASE_URL="$H2" "$JAVA" -jar "$JAR" >>"$work/$1.log" 2>&1 &
  pid_of[$1]=$!
  pids+=("$!")
  for _ in $(seq 600); do
    # /health/started, as an orchestrator waits for a start: a probe of readiness by hand from the
    # balancer's address, followed by its traffic, could be a balancer that has just begun, and
    # the next shutdown would wait for it to its limit.
    [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$2/health/started")" = 200 ] && return 0
    kill -0 "${pid_of[$1]}" 2>/dev/null || { echo "instance $1 exited while starting:" >&2; cat "$work/$1.log" >&2; exit 1; }
    sleep 0.1
  done
  echo "instance $1 did not become ready in 60 s" >&2; exit 1
}
stop() { # NAME: SIGTERM, then wait for its exit status
  kill -TERM "${pid_of[$1]}"
  local status=0
  wait "${pid_of[$1]}" || status=$?
  [ "$status" -eq 0 ] || { echo "instance $1 exited with $status after SIGTERM:" >&2; tail -5 "$work/$1.log" >&2; exit 1; }
  # The drain's decision, as the instance logged it.
  grep -o '"message":"drained for[^"]*"' "$work/$1.log" | tail -1 | sed 's/^"message":/  /' || true
}
until_up() { # NAME: waits until HAProxy has the server UP again (rise 2 checks), as an orchestrator would
  for _ in $(seq 300); do
    curl -s "http://127.0.0.1:$stats/stats;csv" | awk -F, -v s="$1" '$1 == "notes" && $2 == s { print $18 }' \
      | grep -qx UP && return 0
    sleep 0.1
  done
  echo "HAProxy did not put $1 back in 30 s" >&2; exit 1
}

cat >"$work/haproxy.cfg" <<CFG
global
  maxconn 1000
defaults
  mode http
  timeout connect 2s
  timeout client 30s
  timeout server 30s
  retries $RETRIES
$( [ "$RETRIES" -gt 0 ] && echo "  option redispatch" )
frontend front
  bind 127.0.0.1:$front
  default_backend notes
backend notes
  option httpchk GET /health/ready
  http-check expect status 200
  default-server inter $INTER fall $FALL rise 2
  server a 127.0.0.1:$port_a check
  server b 127.0.0.1:$port_b check
frontend stats
  bind 127.0.0.1:$stats
  stats enable
  stats uri /stats
CFG

start a "$port_a"
start b "$port_b"
haproxy -f "$work/haproxy.cfg" -db >"$work/haproxy.log" 2>&1 &
pids+=("$!")
until_up a
until_up b

# Long enough for every restart; ended early once they are done.
wrk -t1 -c16 -d600s "http://127.0.0.1:$front/hello" >"$work/wrk.txt" 2>&1 &
wrk_pid=$!
pids+=("$wrk_pid")
sleep 2
for round in $(seq "$ROUNDS"); do
  for name in a b; do
    port=$port_a; [ "$name" = b ] && port=$port_b
    stop "$name"
    start "$name" "$port"
    until_up "$name"
    echo "round $round: restarted $name"
  done
done
sleep 1
kill -INT "$wrk_pid"; wait "$wrk_pid" || true

requests=$(awk '/requests in/ { print $1 }' "$work/wrk.txt")
non2xx=$(awk '/Non-2xx or 3xx responses/ { print $NF }' "$work/wrk.txt")
socket=$(grep -o 'Socket errors:.*' "$work/wrk.txt" || true)
echo "rolling restart, check every $INTER, fall $FALL, retries $RETRIES, drain ${DRAIN:-watching the traffic}: $requests requests, ${non2xx:-0} non-2xx, ${socket:-no socket errors}"
if [ -n "${non2xx:-}" ] || [ -n "$socket" ] || [ -z "$requests" ]; then
  cat "$work/wrk.txt" >&2
  echo "FAILED: requests were lost during the rolling restart" >&2
  exit 1
fi
echo "PASSED"
