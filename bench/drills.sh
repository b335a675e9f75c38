#!/usr/bin/env bash
# The reliability drills that fit in a few minutes, on loopback, each ending every process it
# starts. CI runs them after the test command. Needs the build's output (mvn -B install or
# package) and haproxy, wrk, slowhttptest (Debian packages), python3, curl.
set -euo pipefail
cd "$(dirname "$0")/.."
echo "== drill 1: rolling restart behind HAProxy, retries off, 3 rounds"
bash bench/drills/rolling-restart.sh
echo "== drill 1: rolling restart behind HAProxy, retries on, 1 round"
RETRIES=3 ROUNDS=1 bash bench/drills/rolling-restart.sh
echo "== drill 2: requests in flight at SIGTERM"
python3 bench/drills/in-flight.py
echo "== drill 5: secrets in no output, answer or command"
python3 bench/drills/secrets.py
echo "== drill 6: hostile HTTP while good clients are served"
bash bench/drills/hostile-http.sh
echo "== drill 7: memory and good clients under stalled bodies, slow readers, 2,000 connections, racing timeouts"
python3 bench/drills/resources.py
echo "== all drills passed (drills 3 and 4 run as tests in the test command: see bench/README.md)"
