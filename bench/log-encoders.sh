#!/usr/bin/env bash
# Encodes a typical log event and one with an exception with Skiff's JSON encoder,
# logstash-logback-encoder's LogstashEncoder and Logback's JsonEncoder in one JMH run, and prints
# throughput and allocation per event as ratios to LogstashEncoder.
# Usage: bench/log-encoders.sh [extra JMH options]    (JAVA_HOME must be a JDK 21+)
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q package -DskipTests -pl bench -am
out=$(mktemp -d)
"${JAVA_HOME:+$JAVA_HOME/bin/}java" -jar bench/target/benchmarks.jar LogEncoderBenchmark \
  -prof gc -rf json -rff "$out/result.json" "$@"
python3 bench/ratios.py "$out/result.json" logstash
