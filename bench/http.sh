#!/usr/bin/env bash
# Skiff (one route, its defaults) against raw Undertow core serving the same GET /hello, side by side in one run,
# and raw Undertow with the same hop to a virtual thread per request that Skiff makes:
# startup to first 200 (median of RUNS, interleaved), RSS at ready and after load, throughput,
# p99 and server CPU per request under wrk (Skiff also with its JSON access log on) (server on core 1, wrk on core 0). Prints a Markdown
# table with every figure as a ratio to raw Undertow, and writes it to bench/results/http.md.
# Usage: bench/http.sh        (JAVA_HOME: a JDK 21+; needs wrk and taskset: apt-get install wrk util-linux;
#                              RUNS=7 LOAD_SECONDS=20 WARMUP_SECONDS=30 CONNECTIONS=32)
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-7}
LOAD_SECONDS=${LOAD_SECONDS:-20}
WARMUP_SECONDS=${WARMUP_SECONDS:-30}
CONNECTIONS=${CONNECTIONS:-32}
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }

mvn -B -q package -DskipTests -pl bench -am
mvn -B -q dependency:build-classpath -pl bench -Dmdep.outputFile=/tmp/skiff-bench-cp.txt
# Undertow core and what it needs, nothing else of the benchmark module's classpath.
undertow_cp=$(tr ':' '\n' < /tmp/skiff-bench-cp.txt | grep -E '/(io/undertow|org/jboss|org/wildfly|io/smallrye)/' | paste -sd:)
RAW=( "$JAVA" -cp "bench/target/classes:$undertow_cp" dev.skiff.bench.RawUndertowHello )
RAW_VT=( env DISPATCH=virtual "${RAW[@]}" )
mvn -B -q dependency:build-classpath -pl bench -DincludeScope=runtime -Dmdep.outputFile=/tmp/skiff-bench-full-cp.txt
# Skiff with one route (bench/src/main/java/dev/skiff/bench/SkiffHello.java): the framework's cost,
# with its run-time dependencies only (not JMH, which the benchmark module also holds).
skiff_cp=$(tr ':' '\n' < /tmp/skiff-bench-full-cp.txt | grep -vE '/(org/openjdk/jmh|net/sf/jopt-simple|org/apache/commons/commons-math3)/' | paste -sd:)
SKIFF=( "$JAVA" -cp "bench/target/classes:$skiff_cp" dev.skiff.bench.SkiffHello )
# The same, with the JSON access log on (one event per request, written to stdout = /dev/null).
SKIFF_LOG=( env HTTP_ACCESS_LOG=true LOG_LEVEL=info LOG_FORMAT=json "${SKIFF[@]}" )
NAMES=(raw raw_vt skiff skiff_log)
cmd() { case $1 in raw) echo RAW ;; raw_vt) echo RAW_VT ;; skiff) echo SKIFF ;; skiff_log) echo SKIFF_LOG ;; esac; }
export HTTP_ACCESS_LOG=false LOG_LEVEL=warn

pids=()
cleanup() { for p in "${pids[@]:-}"; do { kill -9 "$p" && wait "$p"; } 2>/dev/null || true; done; }
trap cleanup EXIT

now_ms() { date +%s%3N; }

# start NAME PORT -> runs the server on core 1, waits for the first 200, prints "ms pid"
start() {
  local name=$1 port=$2; shift 2
  local begin; begin=$(now_ms)
  local log="/tmp/skiff-http-$name.log"
  PORT=$port taskset -c 1 "$@" >"$log" 2>&1 &
  local pid=$!
  pids+=("$pid")
  until curl -fs "http://127.0.0.1:$port/hello" >/dev/null 2>&1; do
    kill -0 "$pid" 2>/dev/null || { echo "$name exited before its first 200; its last lines ($log):" >&2; tail -20 "$log" >&2; exit 1; }
    sleep 0.005
  done
  echo "$(( $(now_ms) - begin )) $pid"
}

# stop PID -> SIGTERM, then wait until the process is gone and its port is free
stop() {
  kill "$1" 2>/dev/null || true
  for _ in $(seq 1000); do kill -0 "$1" 2>/dev/null || return 0; sleep 0.01; done
  kill -9 "$1" 2>/dev/null || true
}

rss_mib() { awk '/VmRSS/ { printf "%.0f", $2 / 1024 }' "/proc/$1/status"; }
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }

declare -A startup rss_ready rss_load rps p99 cpu_us
for name in "${NAMES[@]}"; do startup[$name]=""; done
for i in $(seq "$RUNS"); do
  for name in "${NAMES[@]}"; do
    declare -n command="$(cmd "$name")"; set -- "${command[@]}"
    read -r ms pid < <(start "$name" 18090 "$@")
    startup[$name]+="$ms "
    if [ "$i" -eq 1 ]; then rss_ready[$name]=$(rss_mib "$pid"); fi
    stop "$pid"
  done
done

hz=$(getconf CLK_TCK)
for name in "${NAMES[@]}"; do
  declare -n command="$(cmd "$name")"; set -- "${command[@]}"
  read -r ms pid < <(start "$name" 18091 "$@")
  # Warm-up: on one core Skiff reaches its steady throughput after about 25 s (bench/peers.py measures it).
  taskset -c 0 wrk -t1 -c"$CONNECTIONS" -d"${WARMUP_SECONDS}s" "http://127.0.0.1:18091/hello" >/dev/null
  before=$(cpu_ticks "$pid")
  out=$(taskset -c 0 wrk -t1 -c"$CONNECTIONS" -d"${LOAD_SECONDS}s" --latency "http://127.0.0.1:18091/hello")
  after=$(cpu_ticks "$pid")
  requests=$(echo "$out" | awk '/requests in/ { print $1 }')
  rps[$name]=$(echo "$out" | awk '/Requests\/sec/ { print $2 }')
  p99[$name]=$(echo "$out" | awk '$1 == "99%" { print $2 }')
  cpu_us[$name]=$(python3 -c "print(round(($after - $before) / $hz * 1e6 / $requests, 2))")
  rss_load[$name]=$(rss_mib "$pid")
  stop "$pid"
done

args=()
for name in "${NAMES[@]}"; do
  args+=("${startup[$name]}" "${rss_ready[$name]}" "${rss_load[$name]}" "${rps[$name]}" "${p99[$name]}" "${cpu_us[$name]}")
done
# The table replaces the one in bench/results/http.md; the reading written below it stays.
reading=$(sed -n '/^## Reading these figures/,$p' bench/results/http.md 2>/dev/null || true)
export WARMUP_SECONDS
python3 - "${args[@]}" <<'PY' | tee bench/results/http.md
import statistics, sys, subprocess, datetime, os
a = sys.argv[1:]
def ms(v):  # wrk latency like 1.23ms / 850.00us / 1.02s
    for unit, f in (("us", 0.001), ("ms", 1.0), ("s", 1000.0)):
        if v.endswith(unit):
            return float(v[:-len(unit)]) * f
    return float(v)
def figures(i):
    start, ready, load, rps, p99, cpu = a[i * 6:(i + 1) * 6]
    return [statistics.median(map(int, start.split())), float(ready), float(load), float(rps), ms(p99), float(cpu)]
raw, raw_vt, skiff, skiff_log = figures(0), figures(1), figures(2), figures(3)
names = ["startup to first 200 (median, ms)", "RSS at ready (MiB)", "RSS after load (MiB)",
         "throughput (requests/s)", "p99 latency (ms)", "server CPU per request (µs)"]
goals = ["≤ 1.30", "≤ 1.25", "", "", "≤ 1.25", "≤ 1.15 (metrics on, access log off)"]
java = subprocess.run([os.environ.get("JAVA_HOME", "/usr") + "/bin/java", "-version"], capture_output=True, text=True).stderr.splitlines()[0]
print("# HTTP: Skiff against raw Undertow core\n")
print(f"Date: {datetime.date.today()}. Machine: {os.cpu_count()} cores. JDK: {java}. Command: `bench/http.sh`;"
      f" each server pinned to core 1, wrk (1 thread, 32 connections) to core 0, after a warm-up of"
      f" {os.environ.get('WARMUP_SECONDS', '30')} s; Skiff's access log off,"
      f" LOG_LEVEL=warn. \"raw + VT\" is raw Undertow dispatching every request to a virtual thread, as"
      f" Skiff does. \"Skiff + log\" is Skiff with its JSON access log on (LOG_LEVEL=info), the goal for"
      f" which is CPU per request ≤ 1.6× raw.\n")
print("| figure | raw Undertow | raw + VT | Skiff | Skiff + log | Skiff / raw | Skiff / raw + VT | Skiff + log / raw | goal (Skiff / raw) |")
print("|---|---:|---:|---:|---:|---:|---:|---:|---|")
for i, name in enumerate(names):
    print(f"| {name} | {raw[i]:,.2f} | {raw_vt[i]:,.2f} | {skiff[i]:,.2f} | {skiff_log[i]:,.2f} | {skiff[i] / raw[i]:.2f} |"
          f" {skiff[i] / raw_vt[i]:.2f} | {skiff_log[i] / raw[i]:.2f} | {goals[i]} |")
PY
if [ -n "$reading" ]; then printf '\n%s\n' "$reading" >> bench/results/http.md; fi
