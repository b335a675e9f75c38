#!/usr/bin/env bash
# What each library Skiff starts costs a fresh JVM on one core, part by part (the median of RUNS
# runs), next to the whole: raw Undertow core's and Skiff's startup to first 200 are in
# bench/results/http.md. See bench/src/main/java/dev/skiff/bench/StartupParts.java.
# Usage: bench/startup-parts.sh   (JAVA_HOME: a JDK 21+; RUNS=7)
set -euo pipefail
cd "$(dirname "$0")/.."
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
mvn -B -q package -DskipTests -pl bench -am
mvn -B -q dependency:build-classpath -pl bench -DincludeScope=runtime -Dmdep.outputFile=/tmp/skiff-parts-cp.txt
for _ in $(seq "${RUNS:-7}"); do
  taskset -c 1 "$java" -cp "bench/target/classes:$(cat /tmp/skiff-parts-cp.txt)" dev.skiff.bench.StartupParts \
    | grep -P '\t[0-9]+$'
done | python3 -c '
import sys, statistics, collections
parts = collections.OrderedDict()
for line in sys.stdin:
    part, ms = line.rstrip("\n").rsplit("\t", 1)
    parts.setdefault(part, []).append(int(ms))
print("| part (one core, fresh JVM, in this order) | median ms |")
print("|---|---:|")
for part, values in parts.items():
    print(f"| {part} | {statistics.median(values):.0f} |")
print(f"| **all of the above** | {sum(statistics.median(v) for v in parts.values()):.0f} |")
'
