#!/usr/bin/env bash
# Skiff (its defaults, and without the access log; /hello on the I/O thread and on a virtual
# thread) against raw Undertow core serving the same GET /hello, side by side in one run: startup,
# RSS, throughput, p99 and server CPU per request, as ratios to raw Undertow, with every goal of
# bench/RESULTS.md marked met or not met. Writes bench/results/http.md. See bench/http_figures.py.
# Usage: bench/http.sh   (JAVA_HOME: a JDK 21+; apt-get install wrk util-linux;
#                         RUNS=7 ROUNDS=3 WARMUP_SECONDS=20 LOAD_SECONDS=10 CONNECTIONS=32)
set -euo pipefail
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }
exec python3 bench/http_figures.py
