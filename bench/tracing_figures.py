#!/usr/bin/env python3
"""What tracing costs a Skiff service, in one interleaved run: SkiffHello (bench/src/main/java/
dev/skiff/bench/SkiffHello.java, Skiff's defaults, /hello non-blocking) without framework-tracing on
its class path; with it and no endpoint (tracing off, the default); tracing every request to an
OTLP/HTTP sink on loopback; tracing with OTEL_TRACES_SAMPLER=always_off; and with the collector
down (nothing listens at the endpoint). Startup to first 200, RSS, server CPU per request and p99
under wrk, as ratios to the run without the module; and the live heap after the load (the largest of the
rounds, after the full collection of a class histogram): with the collector down, the spans waiting. Writes bench/results/tracing.md (the reading below its table stays).

Usage: bench/tracing.sh   (JAVA_HOME: a JDK 21+; needs wrk and taskset;
                           RUNS=5 ROUNDS=3 WARMUP_SECONDS=15 LOAD_SECONDS=10 CONNECTIONS=32)
"""
import datetime, http.server, os, pathlib, socket, statistics, subprocess, sys, threading
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import measure

root = pathlib.Path(__file__).resolve().parents[1]
os.chdir(root)
java_home = os.environ.get("JAVA_HOME")
java = os.path.join(java_home, "bin", "java") if java_home else "java"
jcmd = os.path.join(java_home, "bin", "jcmd") if java_home else "jcmd"
RUNS = int(os.environ.get("RUNS", "5"))
ROUNDS = int(os.environ.get("ROUNDS", "3"))
WARMUP_SECONDS = int(os.environ.get("WARMUP_SECONDS", "15"))
LOAD_SECONDS = int(os.environ.get("LOAD_SECONDS", "10"))
CONNECTIONS = int(os.environ.get("CONNECTIONS", "32"))
PORT = 18091


def mvn(*args):
    subprocess.run(["mvn", "-B", "-q", *args], check=True)


mvn("package", "-DskipTests", "-pl", "bench", "-am")
mvn("dependency:build-classpath", "-pl", "bench", "-DincludeScope=runtime", "-Dmdep.outputFile=/tmp/skiff-bench-full-cp.txt")
full = [p for p in pathlib.Path("/tmp/skiff-bench-full-cp.txt").read_text().strip().split(":")
        if not any(part in p for part in ("/org/openjdk/jmh/", "/net/sf/jopt-simple/",
                                          "/org/apache/commons/commons-math3/", "/net/logstash/"))]
with_module = ":".join(["bench/target/classes", *full])
without_module = ":".join(["bench/target/classes", *(p for p in full if "/io/opentelemetry/" not in p
                                                     and "framework-tracing" not in p)])


class Sink(http.server.BaseHTTPRequestHandler):
    """An OTLP/HTTP endpoint that takes every export and answers 200, as a healthy collector does."""
    received = 0

    def do_POST(self):
        Sink.received += len(self.rfile.read(int(self.headers.get("Content-Length", "0"))))
        self.send_response(200)
        self.send_header("Content-Type", "application/x-protobuf")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


sink = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Sink)
threading.Thread(target=sink.serve_forever, daemon=True).start()
with socket.socket() as s:
    s.bind(("127.0.0.1", 0))
    dead_port = s.getsockname()[1]  # closed again: nothing listens there

base_env = {k: v for k, v in os.environ.items() if not k.startswith(("HTTP_", "LOG_", "HELLO_", "OTEL_"))}
# /hello declared non-blocking, as in the figures of record so far: what tracing adds, without the hand-off.
base_env["HELLO_NONBLOCKING"] = "true"
endpoint = f"http://127.0.0.1:{sink.server_address[1]}"
servers = {
    "without the module": (without_module, {}),
    "module, no endpoint": (with_module, {}),
    "tracing on": (with_module, {"OTEL_EXPORTER_OTLP_ENDPOINT": endpoint}),
    "sampling none": (with_module, {"OTEL_EXPORTER_OTLP_ENDPOINT": endpoint, "OTEL_TRACES_SAMPLER": "always_off"}),
    "collector down": (with_module, {"OTEL_EXPORTER_OTLP_ENDPOINT": f"http://127.0.0.1:{dead_port}"}),
}


def run(name):
    cp, extra = servers[name]
    return measure.start(name, [java, "-cp", cp, "dev.skiff.bench.SkiffHello"], PORT, dict(base_env, **extra))


def live_heap_mib(pid):
    """The live heap, after the full collection a class histogram makes: what the load left held."""
    out = subprocess.run([jcmd, str(pid), "GC.class_histogram"], capture_output=True, text=True).stdout
    total = next(line for line in out.splitlines() if line.startswith("Total"))
    return int(total.split()[2]) / 1024 / 1024


startups = {name: [] for name in servers}
ready_rss = {name: [] for name in servers}
print(f"startup: {RUNS} interleaved runs of {len(servers)} servers", flush=True)
for i in range(RUNS):
    for name in servers:
        process, ms = run(name)
        startups[name].append(ms)
        ready_rss[name].append(measure.rss_mib(process.pid))
        measure.stop(process)

rounds = {name: [] for name in servers}
live_heap = {name: [] for name in servers}
for r in range(ROUNDS):
    for name in servers:
        print(f"load, round {r + 1} of {ROUNDS}: {name}", flush=True)
        process, _ = run(name)
        rounds[name].append(measure.load(process, PORT, WARMUP_SECONDS, LOAD_SECONDS, CONNECTIONS))
        live_heap[name].append(live_heap_mib(process.pid))
        measure.stop(process)

BASE = "without the module"
FIGURES = {"startup to first 200": "median, ms", "RSS at ready": "MiB", "RSS after load": "MiB",
           "throughput": "requests/s", "p99 latency": "ms", "server CPU per request": "µs",
           "live heap after load": "MiB"}


def figure(name, what):
    if what == "startup to first 200":
        return statistics.median(startups[name])
    if what == "RSS at ready":
        return statistics.median(ready_rss[name])
    if what == "live heap after load":
        return max(live_heap[name])
    return statistics.median(rnd[what] for rnd in rounds[name])


def ratio(name, what):
    if what in ("startup to first 200", "RSS at ready"):
        return figure(name, what) / figure(BASE, what)
    if what == "live heap after load":
        return figure(name, what) / figure(BASE, what)
    return statistics.median(s[what] / b[what] for s, b in zip(rounds[name], rounds[BASE]))


def extra_us(name):
    return statistics.median(s["server CPU per request"] - b["server CPU per request"]
                             for s, b in zip(rounds[name], rounds[BASE]))


java_version = subprocess.run([java, "-version"], capture_output=True, text=True).stderr.splitlines()[0]
failed = sum(rnd["non-2xx"] for name in servers for rnd in rounds[name])
names = list(servers)
out = ["# Tracing: what framework-tracing costs", "",
       f"Date: {datetime.date.today()}. Machine: {os.cpu_count()} cores. JDK: {java_version}. Command:"
       f" `bench/tracing.sh` (RUNS={RUNS}, ROUNDS={ROUNDS}, WARMUP_SECONDS={WARMUP_SECONDS},"
       f" LOAD_SECONDS={LOAD_SECONDS}, CONNECTIONS={CONNECTIONS}); each server pinned to core 1, wrk (1 thread)"
       " and the OTLP sink to core 0. SkiffHello with Skiff's defaults (JSON access log on) and /hello"
       " non-blocking. Load figures are medians of the rounds; ratios are medians of each round's ratio to the"
       " run without the module.", "",
       "| figure | " + " | ".join(names) + " | " + " | ".join(f"{n} / without" for n in names if n != BASE) + " |",
       "|---|" + "---:|" * (2 * len(names) - 1)]
for what, unit in FIGURES.items():
    values = " | ".join(f"{figure(n, what):,.2f}" for n in names)
    ratios = " | ".join("—" if ratio(n, what) is None else f"{ratio(n, what):.2f}" for n in names if n != BASE)
    out.append(f"| {what} ({unit}) | {values} | {ratios} |")
out += ["", "Server CPU per request over the run without the module: "
        + "; ".join(f"{n} {extra_us(n):+.1f} µs" for n in names if n != BASE)
        + ". Live heap over the run without the module (largest of the rounds): "
        + "; ".join(f"{n} {figure(n, 'live heap after load') - figure(BASE, 'live heap after load'):+.1f} MiB"
                    for n in names if n != BASE)
        + f". Bytes the sink received: {Sink.received:,}. Non-2xx responses in all load runs: {failed}."]
table = "\n".join(out)
print(table)
results = pathlib.Path("bench/results/tracing.md")
previous = results.read_text() if results.exists() else ""
reading = previous[previous.index("## Reading these figures"):] if "## Reading these figures" in previous else ""
results.write_text(table + "\n" + ("\n" + reading if reading else ""))
