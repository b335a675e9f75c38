#!/usr/bin/env python3
"""Skiff's sample against the frameworks users would pick instead, side by side in one run, every
figure as a ratio to raw Undertow core (the floor). Writes bench/RESULTS.md.

Servers, each answering GET /hello with the same JSON: raw Undertow core, Javalin, Helidon SE,
Spring Boot (web + actuator, graceful shutdown), Dropwizard (its defaults, access log off), Skiff with
one route as a user writes it (a plain handler, served on a virtual thread: the figures of record),
built as a user's service is (bench/peers/skiff, on service-parent: one jar, and the AOT cache its
build trains), the same service with that cache, the same route declared Handler.nonBlocking (served
on the I/O thread), Skiff's sample (notes.jar, on an in-memory H2 database), and the sample with its
JDK AOT cache (as its Docker image runs it).
Figures: startup to first 200 (median and slowest of RUNS, servers interleaved; on core 1, and on
both cores), RSS at ready and after load,
throughput in the first 10 s of load, then after a warm-up: throughput, p99 latency and server
CPU per request under wrk (server on core 1, wrk on core 0),
SIGTERM-to-exit time with a 2 s request in flight (and whether it completed), jar size.

Load runs go in ROUNDS interleaved rounds (each server started afresh); load figures are their medians.

Usage: bench/peers.py   (JAVA_HOME: a JDK 25; needs wrk and taskset; RUNS=7 ROUNDS=2 LOAD_SECONDS=20 WARMUP_SECONDS=90)
"""
import datetime, os, pathlib, platform, shutil, signal, statistics, subprocess, sys, threading, time
import urllib.request
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import measure

root = pathlib.Path(__file__).resolve().parents[1]
os.chdir(root)
java_home = os.environ.get("JAVA_HOME", "")
java = os.path.join(java_home, "bin", "java") if java_home else "java"
RUNS = int(os.environ.get("RUNS", "7"))
LOAD_SECONDS = int(os.environ.get("LOAD_SECONDS", "20"))
ROUNDS = int(os.environ.get("ROUNDS", "2"))
WARMUP_SECONDS = max(10, int(os.environ.get("WARMUP_SECONDS", "90")))
PORT = 18190
for tool in ("wrk", "taskset", "curl"):
    if not shutil.which(tool):
        sys.exit(f"{tool} is missing: apt-get install {tool if tool != 'taskset' else 'util-linux'}")

def mvn(*args):
    subprocess.run(["mvn", "-B", "-q", *args], check=True)

print("building Skiff, the sample, the benchmark module and the peers ...", flush=True)
mvn("install", "-DskipTests", "-pl", "samples/notes,bench", "-am")
for peer in ("javalin", "helidon", "spring", "dropwizard", "skiff"):
    mvn("-f", f"bench/peers/{peer}/pom.xml", "package")
# Skiff's peer is a service on service-parent: its package is one jar, and the AOT cache its build
# trains by default (`train`, as for every service), which the "+ AOT" column runs with.
skiff_jar = "bench/peers/skiff/target/peer-skiff.jar"
skiff_aot = pathlib.Path("bench/peers/skiff/target/peer-skiff.aot")
if not skiff_aot.exists():
    sys.exit(f"{skiff_aot} is missing: the service's build did not train its AOT cache (see the build's output above)")
cp_file = pathlib.Path("/tmp/skiff-peers-undertow-cp.txt")
mvn("dependency:build-classpath", "-pl", "bench", f"-Dmdep.outputFile={cp_file}")
# Undertow core and what it needs, nothing else of the benchmark module's classpath.
raw_cp = ":".join(p for p in cp_file.read_text().strip().split(":")
                  if any(part in p for part in ("/io/undertow/", "/org/jboss/", "/org/wildfly/", "/io/smallrye/")))
notes = "samples/notes/target/notes.jar"
# The sample's development switch and token (its .env.example): without them it does not start.
notes_env = {"DATABASE_URL": "jdbc:h2:mem:notes;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;"
                             "DB_CLOSE_DELAY=-1", "NOTES_API_TOKEN": "bench-token-123"}

# The sample's AOT cache, trained as its Dockerfile does: `train` (the service starts on a free port,
# asks each GET route and management endpoint once, and stops).
aot = pathlib.Path("/tmp/skiff-peers-notes.aot")
aot.unlink(missing_ok=True)
subprocess.run([java, "-XX:+UnlockDiagnosticVMOptions", "-XX:-AOTRecordTraining", f"-XX:AOTCacheOutput={aot}", "-jar", notes, "train"], env=dict(os.environ, PORT="0", **notes_env),
               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True, timeout=300)

def get(path, timeout=1.0):
    with urllib.request.urlopen(f"http://127.0.0.1:{PORT}{path}", timeout=timeout) as r:
        return r.status, r.read()

servers = {
    "raw Undertow": [java, "-cp", f"bench/target/classes:{raw_cp}", "dev.skiff.bench.RawUndertowHello"],
    "Javalin": [java, "-jar", "bench/peers/javalin/target/peer-javalin.jar"],
    "Helidon SE": [java, "-jar", "bench/peers/helidon/target/peer-helidon.jar"],
    "Spring Boot": [java, "-jar", "bench/peers/spring/target/peer-spring.jar"],
    "Dropwizard": [java, "-jar", "bench/peers/dropwizard/target/peer-dropwizard.jar"],
    "Skiff (plain handler)": [java, "-jar", skiff_jar],
    "Skiff (plain handler) + AOT": [java, f"-XX:AOTCache={skiff_aot}", "-jar", skiff_jar],
    "Skiff (non-blocking)": [java, "-jar", skiff_jar],
    "Skiff sample": [java, "-jar", notes],
    "Skiff sample + AOT": [java, f"-XX:AOTCache={aot}", "-jar", notes],
}
jar_bytes = {
    "raw Undertow": sum(pathlib.Path(p).stat().st_size for p in raw_cp.split(":")),
    "Javalin": pathlib.Path("bench/peers/javalin/target/peer-javalin.jar").stat().st_size,
    "Helidon SE": pathlib.Path("bench/peers/helidon/target/peer-helidon.jar").stat().st_size,
    "Spring Boot": pathlib.Path("bench/peers/spring/target/peer-spring.jar").stat().st_size,
    "Dropwizard": pathlib.Path("bench/peers/dropwizard/target/peer-dropwizard.jar").stat().st_size,
    "Skiff sample": pathlib.Path(notes).stat().st_size,
    # The service's one jar: Skiff's core and what it needs at run time (no database driver or pool).
    "Skiff (plain handler)": pathlib.Path(skiff_jar).stat().st_size,
}
jar_bytes["Skiff (non-blocking)"] = jar_bytes["Skiff (plain handler)"]
jar_bytes["Skiff (plain handler) + AOT"] = jar_bytes["Skiff (plain handler)"] + skiff_aot.stat().st_size
jar_bytes["Skiff sample + AOT"] = jar_bytes["Skiff sample"] + aot.stat().st_size
# Every server with its defaults: for Skiff, metrics, request ids and the JSON access log on.
env = dict({k: v for k, v in os.environ.items() if not k.startswith(("HTTP_", "LOG_"))},
           SHUTDOWN_TIMEOUT="10s", NOTES_PURGE_EVERY="1h")

def start(name, cores="1"):
    """Starts a server on the given cores (core 1 by default); returns (process, milliseconds to its first 200)."""
    extra = notes_env if name.startswith("Skiff sample") else {"HELLO_NONBLOCKING": "true"} if name == "Skiff (non-blocking)" else {}
    return measure.start(name, servers[name], PORT, dict(env, **extra), cores)

stop, rss_mib, cpu_ticks, wrk_ms = measure.stop, measure.rss_mib, measure.cpu_ticks, measure.wrk_ms

figures = {name: {} for name in servers}
startups = {name: [] for name in servers}
startups_both = {name: [] for name in servers}
print(f"startup: {RUNS} interleaved runs of {len(servers)} servers, on one core and on both", flush=True)
for run in range(RUNS):
    for name in servers:
        process, ms = start(name)
        startups[name].append(ms)
        if run == 0:
            time.sleep(1)
            figures[name]["RSS at ready (MiB)"] = rss_mib(process.pid)
        stop(process)
        process, ms = start(name, cores="0,1")
        startups_both[name].append(ms)
        stop(process)
for name in servers:
    figures[name]["startup to first 200 (median, ms)"] = statistics.median(startups[name])
    figures[name]["startup, slowest of the runs (ms)"] = max(startups[name])
    figures[name]["startup on both cores (median, ms)"] = statistics.median(startups_both[name])

hz = os.sysconf("SC_CLK_TCK")
LOAD_ROWS = ["throughput, first 10 s (requests/s)", "throughput (requests/s)", "p99 latency (ms)",
             "server CPU per request (µs)", "RSS after load (MiB)"]
load_rounds = {name: [] for name in servers}
for r in range(ROUNDS):
    for name in servers:
        print(f"load, round {r + 1} of {ROUNDS}: {name}", flush=True)
        process, _ = start(name)
        url = f"http://127.0.0.1:{PORT}/hello"
        # The first 10 s of load (what a freshly started instance serves), then a warm-up to WARMUP_SECONDS
        # in all: on one core the larger frameworks take 60-80 s to reach their steady throughput.
        out = subprocess.run(["taskset", "-c", "0", "wrk", "-t1", "-c32", "-d10s", url], capture_output=True, text=True).stdout
        result = {"throughput, first 10 s (requests/s)": float(
            next(l.split()[1] for l in out.splitlines() if l.startswith("Requests/sec")))}
        subprocess.run(["taskset", "-c", "0", "wrk", "-t1", "-c32", f"-d{WARMUP_SECONDS - 10}s", url], capture_output=True)
        before = cpu_ticks(process.pid)
        out = subprocess.run(["taskset", "-c", "0", "wrk", "-t1", "-c32", f"-d{LOAD_SECONDS}s", "--latency", url],
                             capture_output=True, text=True).stdout
        after = cpu_ticks(process.pid)
        requests = int(next(l.split()[0] for l in out.splitlines() if "requests in" in l))
        result["throughput (requests/s)"] = float(next(l.split()[1] for l in out.splitlines() if l.startswith("Requests/sec")))
        result["p99 latency (ms)"] = wrk_ms(next(l.split()[1] for l in out.splitlines() if l.strip().startswith("99%")))
        result["server CPU per request (µs)"] = (after - before) / hz * 1e6 / requests
        result["RSS after load (MiB)"] = rss_mib(process.pid)
        load_rounds[name].append(result)
        stop(process)
for name in servers:
    for row in LOAD_ROWS:
        figures[name][row] = statistics.median(rnd[row] for rnd in load_rounds[name])

# The sample has no slow route: its shutdown is the framework's, measured on "Skiff (plain handler)"
# (the non-blocking and AOT columns are the same server, with the same /slow).
has_slow = {name: not name.startswith("Skiff sample") and name not in ("Skiff (non-blocking)", "Skiff (plain handler) + AOT")
            for name in servers}
for name in servers:
    figures[name]["jar and dependencies (MiB)"] = jar_bytes[name] / 2**20
    if not has_slow[name]:
        figures[name]["SIGTERM to exit, 2 s request in flight (ms)"] = "—"
        figures[name]["the request in flight"] = "— (no slow route)" if name.startswith("Skiff sample") else "— (as plain handler)"
        continue
    process, _ = start(name)
    result = {}
    def slow():
        try:
            result["status"] = get("/slow?ms=2000", timeout=30)[0]
        except Exception as e:
            result["status"] = type(e).__name__
    t = threading.Thread(target=slow)
    t.start()
    time.sleep(0.5)
    began = time.monotonic()
    process.send_signal(signal.SIGTERM)
    process.wait(timeout=60)
    figures[name]["SIGTERM to exit, 2 s request in flight (ms)"] = (time.monotonic() - began) * 1000
    t.join()
    figures[name]["the request in flight"] = "completed" if result.get("status") == 200 else f"cut ({result.get('status')})"

rows = ["startup to first 200 (median, ms)", "startup, slowest of the runs (ms)", "startup on both cores (median, ms)",
        "RSS at ready (MiB)", "RSS after load (MiB)", "throughput, first 10 s (requests/s)", "throughput (requests/s)",
        "p99 latency (ms)", "server CPU per request (µs)", "SIGTERM to exit, 2 s request in flight (ms)",
        "the request in flight", "jar and dependencies (MiB)"]
names = list(servers)
java_version = subprocess.run([java, "-version"], capture_output=True, text=True).stderr.splitlines()[0]
import re
versions = dict(re.findall(r"<((?:javalin|helidon|spring-boot|dropwizard|undertow)\.version)>([^<]+)<", pathlib.Path("pom.xml").read_text()))
lines = [
    "# Skiff against its peers",
    "",
    f"Date: {datetime.date.today()}. Machine: {os.cpu_count()} cores, {platform.machine()}, {platform.system()}"
    f" (a shared virtual machine: rerun before trusting a few percent). JDK: {java_version}.",
    f"Versions: Undertow {versions.get('undertow.version')}, Javalin {versions.get('javalin.version')},"
    f" Helidon SE {versions.get('helidon.version')}, Spring Boot {versions.get('spring-boot.version')} (web + actuator,"
    f" graceful shutdown), Dropwizard {versions.get('dropwizard.version')} (its defaults, access log off),"
    " Skiff 0.1.0-SNAPSHOT: with one route like the peers as a user writes it (a plain handler, on a"
    " virtual thread: the figures of record) in a service built as a user's is (`bench/peers/skiff`, on `service-parent`:"
    " one jar, and the AOT cache its build trains by default, the `+ AOT` column), the same route declared"
    " `Handler.nonBlocking` (on the I/O thread), and the sample (on an in-memory H2 database, migrated at startup by"
    " Flyway), with and without its AOT cache.",
    f"Command: `bench/peers.py` (RUNS={RUNS}, ROUNDS={ROUNDS}, LOAD_SECONDS={LOAD_SECONDS}, WARMUP_SECONDS={WARMUP_SECONDS});"
    " each server pinned to core 1 (but for the both-cores startup row), wrk (1 thread, 32 connections) to core 0;"
    f" load figures measured after {WARMUP_SECONDS} s of load (the first 10 s of which are a row of their own), medians of"
    f" {ROUNDS} interleaved rounds; every server with"
    " its defaults (Skiff's: metrics, request ids, the JSON access log to a file). Ratios are to raw Undertow"
    " in the same run (lower is better, except throughput).",
    "",
    "<!-- snippet:table -->",
    "| figure | " + " | ".join(names) + " |",
    "|---|" + "---:|" * len(names),
]
for row in rows:
    cells = []
    for name in names:
        value = figures[name][row]
        if isinstance(value, str):
            cells.append(value)
        else:
            base = figures["raw Undertow"][row]
            ratio = f" ({value / base:.2f}×)" if base and name != "raw Undertow" else ""
            cells.append(f"{value:,.1f}{ratio}")
    lines.append(f"| {row} | " + " | ".join(cells) + " |")
lines.append("<!-- end:table -->")

# The goals of record: Skiff with one route as a user writes it, each ratio to raw Undertow at or below
# Helidon SE's in this run; RSS after load within 1.15x raw Undertow; the same service with the AOT
# cache its build made, 0.60x raw Undertow without one.
GOAL_FIGURES = {"server CPU per request": "server CPU per request (µs)", "p99 latency": "p99 latency (ms)",
                "startup to first 200": "startup to first 200 (median, ms)", "RSS at ready": "RSS at ready (MiB)"}
skiff, helidon, floor = figures["Skiff (plain handler)"], figures["Helidon SE"], figures["raw Undertow"]
goals = []
for what, row in GOAL_FIGURES.items():
    mine, theirs = skiff[row] / floor[row], helidon[row] / floor[row]
    goals.append((f"{what}, Skiff (plain handler) / raw Undertow", f"{mine:.2f}×", f"≤ {theirs:.2f}× (Helidon SE's)",
                  mine <= theirs))
after_load = skiff["RSS after load (MiB)"] / floor["RSS after load (MiB)"]
goals.append(("RSS after load, Skiff (plain handler) / raw Undertow", f"{after_load:.2f}×", "≤ 1.15×", after_load <= 1.15))
# The AOT cache service-parent's build trains by default, with the service it was made for, against
# raw Undertow without a cache. (The sample's, whose start migrates a database, is in the table.)
aot_ratio = figures["Skiff (plain handler) + AOT"]["startup to first 200 (median, ms)"] / floor["startup to first 200 (median, ms)"]
goals.append(("startup to first 200, Skiff (plain handler) with its AOT cache / raw Undertow without one",
              f"{aot_ratio:.2f}×", "≤ 0.60×", aot_ratio <= 0.60))
lines += ["", "## Goals", "", *measure.goal_lines(lambda what, variant: None, goals)]
text = "\n".join(lines) + "\n"
print(text)
existing = pathlib.Path("bench/RESULTS.md")
notes_text = ""
if existing.exists() and "\n## Reading these figures" in existing.read_text():
    notes_text = existing.read_text()[existing.read_text().index("\n## Reading these figures"):]
existing.write_text(text + notes_text)
