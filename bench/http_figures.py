#!/usr/bin/env python3
"""Skiff against raw Undertow core serving the same GET /hello, side by side in one run: startup to
first 200, RSS at ready and after load, throughput, p99 and server CPU per request under wrk; every
figure as a ratio to raw Undertow, and every goal of bench/RESULTS.md with met or not met. Writes
bench/results/http.md (the hand-written reading below its table stays).

Skiff is bench/src/main/java/dev/skiff/bench/SkiffHello.java: the framework with its defaults
(metrics, request ids, health endpoints, the JSON access log) and /hello a plain handler, as a user
writes one: served on a virtual thread. The rows of record are that one and the same without the
access log (HTTP_ACCESS_LOG=false); /hello declared Handler.nonBlocking, served on the I/O thread
(HELLO_NONBLOCKING=true), is a row of its own; so is the notes sample (its /hello, on an in-memory
H2 database). The access-log event is also measured alone, by its JMH benchmark (AccessLogBenchmark).
Load runs go in ROUNDS interleaved rounds; each ratio is the median of its rounds' ratios, since
this 2-core machine's speed drifts by tens of percent from one minute to the next.

Usage: bench/http.sh   (JAVA_HOME: a JDK 21+; needs wrk and taskset;
                        RUNS=7 ROUNDS=3 WARMUP_SECONDS=20 LOAD_SECONDS=10 CONNECTIONS=32)
"""
import datetime, os, pathlib, statistics, subprocess, sys
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import measure

root = pathlib.Path(__file__).resolve().parents[1]
os.chdir(root)
java = os.path.join(os.environ["JAVA_HOME"], "bin", "java") if os.environ.get("JAVA_HOME") else "java"
RUNS = int(os.environ.get("RUNS", "7"))
ROUNDS = int(os.environ.get("ROUNDS", "3"))
WARMUP_SECONDS = int(os.environ.get("WARMUP_SECONDS", "20"))
LOAD_SECONDS = int(os.environ.get("LOAD_SECONDS", "10"))
CONNECTIONS = int(os.environ.get("CONNECTIONS", "32"))
PORT = 18090

def mvn(*args):
    subprocess.run(["mvn", "-B", "-q", *args], check=True)

mvn("package", "-DskipTests", "-pl", "bench,samples/notes", "-am")
mvn("dependency:build-classpath", "-pl", "bench", "-Dmdep.outputFile=/tmp/skiff-bench-cp.txt")
mvn("dependency:build-classpath", "-pl", "bench", "-DincludeScope=runtime", "-Dmdep.outputFile=/tmp/skiff-bench-full-cp.txt")
# Undertow core and what it needs, nothing else of the benchmark module's classpath.
raw_cp = ":".join(p for p in pathlib.Path("/tmp/skiff-bench-cp.txt").read_text().strip().split(":")
                  if any(part in p for part in ("/io/undertow/", "/org/jboss/", "/org/wildfly/", "/io/smallrye/")))
# Skiff and its run-time dependencies: not JMH, nor the encoder the log benchmark compares against.
skiff_cp = ":".join(p for p in pathlib.Path("/tmp/skiff-bench-full-cp.txt").read_text().strip().split(":")
                    if not any(part in p for part in ("/org/openjdk/jmh/", "/net/sf/jopt-simple/",
                                                      "/org/apache/commons/commons-math3/", "/net/logstash/")))
raw = [java, "-cp", f"bench/target/classes:{raw_cp}", "dev.skiff.bench.RawUndertowHello"]
skiff = [java, "-cp", f"bench/target/classes:{skiff_cp}", "dev.skiff.bench.SkiffHello"]
notes = [java, "-jar", "samples/notes/target/notes.jar"]
base_env = {k: v for k, v in os.environ.items() if not k.startswith(("HTTP_", "LOG_", "HELLO_"))}
# The sample's development database and token (its .env.example): without them it does not start.
notes_env = {"DATABASE_URL": "jdbc:h2:mem:notes;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;"
                             "DB_CLOSE_DELAY=-1", "NOTES_API_TOKEN": "bench-token-123", "NOTES_PURGE_EVERY": "1h"}
servers = {
    "raw Undertow": (raw, {}),
    "plain handler": (skiff, {}),
    "plain, no access log": (skiff, {"HTTP_ACCESS_LOG": "false"}),
    "non-blocking": (skiff, {"HELLO_NONBLOCKING": "true"}),
    "non-blocking, no access log": (skiff, {"HELLO_NONBLOCKING": "true", "HTTP_ACCESS_LOG": "false"}),
    "sample": (notes, notes_env),
}

def run(name, cores="1"):
    command, extra = servers[name]
    return measure.start(name, command, PORT, dict(base_env, **extra), cores)

startups = {name: [] for name in servers}
ready_rss = {}
print(f"startup: {RUNS} interleaved runs of {len(servers)} servers", flush=True)
for i in range(RUNS):
    for name in servers:
        process, ms = run(name)
        startups[name].append(ms)
        if i == 0:
            ready_rss[name] = measure.rss_mib(process.pid)
        measure.stop(process)

rounds = {name: [] for name in servers}
for r in range(ROUNDS):
    for name in servers:
        print(f"load, round {r + 1} of {ROUNDS}: {name}", flush=True)
        process, _ = run(name)
        rounds[name].append(measure.load(process, PORT, WARMUP_SECONDS, LOAD_SECONDS, CONNECTIONS))
        measure.stop(process)

FIGURES = ["startup to first 200", "RSS at ready", "RSS after load", "throughput", "p99 latency",
           "server CPU per request"]
UNITS = {"startup to first 200": "median, ms", "RSS at ready": "MiB", "RSS after load": "MiB",
         "throughput": "requests/s", "p99 latency": "ms", "server CPU per request": "µs"}

def figure(name, what):
    if what == "startup to first 200":
        return statistics.median(startups[name])
    if what == "RSS at ready":
        return ready_rss[name]
    return statistics.median(rnd[what] for rnd in rounds[name])

def ratio(name, what):
    """Skiff's figure over raw Undertow's: per round for load figures (median of the rounds), else of the medians."""
    if what in ("startup to first 200", "RSS at ready"):
        return figure(name, what) / figure("raw Undertow", what)
    return statistics.median(s[what] / r[what] for s, r in zip(rounds[name], rounds["raw Undertow"]))

access_log_us = statistics.median(on["server CPU per request"] - off["server CPU per request"]
                                  for on, off in zip(rounds["plain handler"], rounds["plain, no access log"]))
hop_us = statistics.median(vt["server CPU per request"] - io["server CPU per request"]
                           for vt, io in zip(rounds["plain, no access log"], rounds["non-blocking, no access log"]))

# The access-log event alone, as its request's thread pays for it: JMH, pinned to core 1 like the servers.
jmh_json = pathlib.Path("/tmp/skiff-bench-access-log.json")
subprocess.run(["taskset", "-c", "1", java, "-jar", "bench/target/benchmarks.jar", "AccessLogBenchmark",
                "-rf", "json", "-rff", str(jmh_json)], check=True, capture_output=True)
import json
jmh = {r["benchmark"].rsplit(".", 1)[1]: r["primaryMetric"]["score"] for r in json.loads(jmh_json.read_text())}
event_us, traced_us = jmh["event"], jmh["tracedEvent"]
failed = sum(rnd["non-2xx"] for name in servers for rnd in rounds[name])

java_version = subprocess.run([java, "-version"], capture_output=True, text=True).stderr.splitlines()[0]
out = ["# HTTP: Skiff against raw Undertow core", "",
       f"Date: {datetime.date.today()}. Machine: {os.cpu_count()} cores. JDK: {java_version}. Command: `bench/http.sh`"
       f" (RUNS={RUNS}, ROUNDS={ROUNDS}, WARMUP_SECONDS={WARMUP_SECONDS}, LOAD_SECONDS={LOAD_SECONDS},"
       f" CONNECTIONS={CONNECTIONS}); each server pinned to core 1, wrk (1 thread) to core 0. Skiff's columns:"
       " **plain handler** (its defaults: metrics, request ids, the JSON access log to a file; /hello a plain"
       " handler, served on a virtual thread), the same with **no access log**, /hello declared"
       " **non-blocking** (served on the I/O thread) with and without the access log, and the notes **sample**"
       " (its /hello, on an in-memory H2 database)."
       " Load figures are medians of the rounds; ratios are medians of each round's ratio.", "",
       "| figure | " + " | ".join(servers) + " | " + " | ".join(f"{n} / raw" for n in servers if n != "raw Undertow") + " |",
       "|---|" + "---:|" * (2 * len(servers) - 1)]
for what in FIGURES:
    values = " | ".join(f"{figure(n, what):,.2f}" for n in servers)
    ratios = " | ".join(f"{ratio(n, what):.2f}" for n in servers if n != "raw Undertow")
    out.append(f"| {what} ({UNITS[what]}) | {values} | {ratios} |")
out += ["", f"One access-log event: {event_us:.2f} µs in its JMH benchmark (AccessLogBenchmark; {traced_us:.2f} µs with a"
        f" caller's trace context); under load, CPU per"
        f" request with it on less with it off: {access_log_us:.1f} µs (its share of stdout's writes included)."
        f" The hand-off to a virtual thread and back: {hop_us:.1f} µs per request. Non-2xx responses in all"
        f" load runs: {failed}.", "", "## Goals", ""]
out += measure.goal_lines(lambda what, variant: ratio(variant, what),
                          [("one access-log event (JMH)", f"{event_us:.2f} µs", f"≤ {measure.ACCESS_LOG_EVENT_GOAL_US:.0f} µs",
                            event_us <= measure.ACCESS_LOG_EVENT_GOAL_US)])
table = "\n".join(out)
print(table)
results = pathlib.Path("bench/results/http.md")
previous = results.read_text() if results.exists() else ""
reading = previous[previous.index("## Reading these figures"):] if "## Reading these figures" in previous else ""
results.write_text(table + "\n" + ("\n" + reading if reading else ""))
