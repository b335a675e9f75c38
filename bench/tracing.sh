#!/usr/bin/env bash
# What tracing costs: SkiffHello without framework-tracing on its class path, with it but no
# endpoint, tracing every request to a local OTLP sink, sampling none, and with the collector
# down; startup, RSS, server CPU per request and p99, as ratios to the run without the module, in
# one interleaved run. Writes bench/results/tracing.md. See bench/tracing_figures.py.
# Usage: bench/tracing.sh   (JAVA_HOME: a JDK 21+; apt-get install wrk util-linux;
#                            RUNS=5 ROUNDS=3 WARMUP_SECONDS=15 LOAD_SECONDS=10 CONNECTIONS=32)
set -euo pipefail
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }
exec python3 bench/tracing_figures.py
