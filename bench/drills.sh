#!/usr/bin/env bash
# The reliability drills that fit in a few minutes, on loopback, each ending every process it
# starts. CI runs them after the test command. Needs the build's output (mvn -B install or
# package) and haproxy, wrk, slowhttptest (Debian packages), python3, curl, taskset.
set -euo pipefail
cd "$(dirname "$0")/.."
# Drill 1 sets nothing about the shutdown: the drain watches HAProxy's probes and requests.
echo "== drill 1: rolling restart behind HAProxy, checks every 300 ms, fall 1, retries off, 3 rounds"
bash bench/drills/rolling-restart.sh
echo "== drill 1: rolling restart behind HAProxy, retries on, 1 round"
RETRIES=3 ROUNDS=1 bash bench/drills/rolling-restart.sh
echo "== drill 1: rolling restart behind HAProxy at every check cadence and fall count, 1 round each"
for inter in 200ms 1s 3s; do
  for fall in 1 2 3; do
    if [ "$inter" = 3s ] && [ "$fall" = 3 ]; then
      # Three checks 3 s apart take 9 s, more than the default budget (docker stop's 10 s, less 2 s
      # for the exit, less the reserve) lets the drain wait: this one needs the platform's real
      # grace period, as docs/lifecycle.md says.
      SHUTDOWN_GRACE_PERIOD=15s INTER=$inter FALL=$fall ROUNDS=1 bash bench/drills/rolling-restart.sh
    else
      INTER=$inter FALL=$fall ROUNDS=1 bash bench/drills/rolling-restart.sh
    fi
  done
done
echo "== drill 1: the same on one core (every process pinned to it)"
for cadence in "200ms 3" "1s 2" "3s 1" "3s 2"; do
  set -- $cadence
  INTER=$1 FALL=$2 ROUNDS=1 taskset -c 0 bash bench/drills/rolling-restart.sh
done
echo "== drill 2: requests in flight at SIGTERM"
python3 bench/drills/in-flight.py
echo "== drill 5: secrets in no output, answer or command"
python3 bench/drills/secrets.py
echo "== drill 6: hostile HTTP while good clients are served"
bash bench/drills/hostile-http.sh
echo "== drill 7: memory and good clients under stalled bodies, slow readers, 2,000 connections, racing timeouts"
python3 bench/drills/resources.py
echo "== drill 8: the drain where nothing routes here: at once, or Kubernetes' floor"
python3 bench/drills/drain.py
echo "== drill 9: no client can shorten the drain: probes and requests forged through HAProxy"
python3 bench/drills/drain-attacks.py
echo "== drill 10: a stdout nobody reads stalls no request, no probe and not the shutdown"
python3 bench/drills/unread-stdout.py
echo "== all drills passed (drills 3 and 4 run as tests in the test command: see bench/README.md)"
