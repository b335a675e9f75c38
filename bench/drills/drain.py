#!/usr/bin/env python3
"""Drill 8: the drain with nothing set, where nothing routes to the service.

1. A plain process — no load balancer probes it, requests come from this machine only (a script
   that waited for readiness, then a few requests): SIGTERM -> exit 0 within 200 ms, and the
   logged decision says there was nothing to wait for.
2. The same with KUBERNETES_SERVICE_HOST set: the drain lasts at least its 5 s floor (Kubernetes
   removes endpoints on deletion, whatever readiness says), then the process exits 0.
Each on both cores and pinned to one (taskset -c 0). Every process it starts is ended.
Usage: bench/drills/drain.py [jar]   (JAVA_HOME a JDK 21+)
"""
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
JAR = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "samples/notes/target/notes.jar")
JAVA = os.path.join(os.environ["JAVA_HOME"], "bin", "java") if os.environ.get("JAVA_HOME") else "java"
H2 = "jdbc:h2:mem:notes;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1"
EXIT_AT_ONCE = 0.200
FLOOR = 5.0

if not os.path.isfile(JAR):
    sys.exit(f"{JAR} is missing: mvn -B -q package -DskipTests first")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def status(url):
    try:
        with urllib.request.urlopen(url, timeout=2) as answer:
            return answer.status
    except urllib.error.HTTPError as e:
        return e.code
    except OSError:
        return None


def run(label, pinned, extra):
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SHUTDOWN_", "KUBERNETES_"))}
    env.update(PORT=str(port), HOST="127.0.0.1", DATABASE_URL=H2, NOTES_API_TOKEN="drill-token-123", LOG_FORMAT="json", HTTP_ACCESS_LOG="false")
    env.update(extra)
    command = (["taskset", "-c", "0"] if pinned else []) + [JAVA, "-jar", JAR]
    log = tempfile.TemporaryFile(mode="w+")
    process = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        while status(f"http://127.0.0.1:{port}/health/ready") != 200:
            if process.poll() is not None or time.monotonic() > deadline:
                log.seek(0)
                sys.exit(f"{label}: the service did not become ready:\n{log.read()}")
            time.sleep(0.1)
        for _ in range(20):
            if status(f"http://127.0.0.1:{port}/hello") != 200:
                sys.exit(f"{label}: GET /hello failed before the signal")
        time.sleep(0.5)
        sent = time.monotonic()
        process.send_signal(signal.SIGTERM)
        code = process.wait(timeout=40)
        took = time.monotonic() - sent
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    log.seek(0)
    decisions = []
    for line in log:
        try:
            event = json.loads(line)
        except ValueError:
            continue
        if str(event.get("message", "")).startswith("drained for"):
            decisions.append(event["message"])
    log.close()
    return code, took, decisions


failures = []
pinning = [False] + ([True] if shutil.which("taskset") else [])
for pinned in pinning:
    cores = "one core" if pinned else "both cores"
    code, took, decisions = run("plain", pinned, {})
    print(f"plain process, {cores}: exit {code} {took * 1000:.0f} ms after SIGTERM; {decisions}")
    if code != 0:
        failures.append(f"plain process on {cores}: exit status {code}")
    if took > EXIT_AT_ONCE:
        failures.append(f"plain process on {cores}: exited {took * 1000:.0f} ms after SIGTERM, more than"
                        f" {EXIT_AT_ONCE * 1000:.0f} ms with nothing routing to it")
    if len(decisions) != 1 or "no load balancer probed readiness" not in decisions[0]:
        failures.append(f"plain process on {cores}: the decision was {decisions}")

    code, took, decisions = run("kubernetes", pinned, {"KUBERNETES_SERVICE_HOST": "10.96.0.1"})
    print(f"Kubernetes, no prober, {cores}: exit {code} {took * 1000:.0f} ms after SIGTERM; {decisions}")
    if code != 0:
        failures.append(f"Kubernetes on {cores}: exit status {code}")
    if took < FLOOR:
        failures.append(f"Kubernetes on {cores}: exited {took * 1000:.0f} ms after SIGTERM, inside the {FLOOR:.0f} s floor")
    if len(decisions) != 1 or "at least 5000 ms on Kubernetes" not in decisions[0]:
        failures.append(f"Kubernetes on {cores}: the decision was {decisions}")

if failures:
    print("FAILED:\n  " + "\n  ".join(failures), file=sys.stderr)
    sys.exit(1)
print("PASSED")
