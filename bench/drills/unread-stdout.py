#!/usr/bin/env python3
"""Drill 10: a stdout nobody reads stalls nothing.

The sample with its stdout into a pipe this drill stops reading once the service listens (a full
container log buffer, a stuck collector): 5,000 requests with the access log on (some 2.7 MB of
lines, over twice the 1.1 MB that stdout's sink, the pipe and System.out's buffer hold: lines of 225
bytes and more fill them), then every probe and /metrics, must be answered; SIGTERM must end the process within its budget (8 s) and the last
flush's deadline (1 s); /metrics counts the dropped lines. Every process it starts is ended.
Usage: bench/drills/unread-stdout.py [jar]   (JAVA_HOME a JDK 21+)
"""
import http.client
import json
import os
import signal
import subprocess
import sys
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
JAR = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "samples/notes/target/notes.jar")
JAVA = os.path.join(os.environ["JAVA_HOME"], "bin", "java") if os.environ.get("JAVA_HOME") else "java"
H2 = "jdbc:h2:mem:notes;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1"
BUDGET = 8.0 + 1.0 + 1.0  # shutdown.timeout, the last flush, the JVM's exit
# Enough lines to fill the sink (1 MiB) and the pipe (64 KiB) twice over: an access-log line is some
# 540 bytes without a User-Agent (http.client sends none).
REQUESTS = 5000

if not os.path.isfile(JAR):
    sys.exit(f"{JAR} is missing: mvn -B -q package -DskipTests first")


def get(port, path):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        connection.request("GET", path)
        answer = connection.getresponse()
        return answer.status, answer.read().decode("utf-8", "replace")
    finally:
        connection.close()


env = {k: v for k, v in os.environ.items() if not k.startswith(("SHUTDOWN_", "KUBERNETES_", "LOG_"))}
env.update(PORT="0", HOST="127.0.0.1", DATABASE_URL=H2, NOTES_API_TOKEN="drill-token-123", LOG_FORMAT="json")
process = subprocess.Popen([JAVA, "-XX:+DisplayVMOutputToStderr", "-jar", JAR], env=env, stdout=subprocess.PIPE,
                           stderr=subprocess.DEVNULL)
try:
    port = None
    deadline = time.monotonic() + 60
    while port is None and time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            sys.exit(f"FAILED: the service exited with {process.wait()} before it listened")
        event = json.loads(line)
        if event.get("message", "").startswith("listening on") and "port" in event:
            port = event["port"]
    if port is None:
        sys.exit("FAILED: the service did not listen within 60 s")
    # From here on nobody reads stdout.
    start = time.monotonic()
    for i in range(REQUESTS):
        status, _ = get(port, "/hello?name=drill")
        if status != 200:
            sys.exit(f"FAILED: request {i} answered {status}")
    for probe in ("/health/live", "/health/ready", "/health/started", "/metrics"):
        status, body = get(port, probe)
        if status != 200:
            sys.exit(f"FAILED: {probe} answered {status}")
    _, metrics = get(port, "/metrics")
    dropped = [line for line in metrics.splitlines() if line.startswith("log_dropped_lines_total")]
    print(f"{REQUESTS:,} requests and every probe answered in {time.monotonic() - start:.1f} s with stdout unread;"
          f" {dropped[0] if dropped else 'no log_dropped_lines_total'}")
    if not dropped or float(dropped[0].split()[-1]) <= 0:
        sys.exit("FAILED: no dropped line counted, though stdout was not read")
    sent = time.monotonic()
    process.send_signal(signal.SIGTERM)
    try:
        code = process.wait(timeout=BUDGET + 5)
    except subprocess.TimeoutExpired:
        sys.exit(f"FAILED: still running {BUDGET + 5:.0f} s after SIGTERM with stdout unread")
    took = time.monotonic() - sent
    print(f"SIGTERM: exit {code} after {took:.1f} s (budget {BUDGET:.0f} s)")
    if code != 0 or took > BUDGET:
        sys.exit("FAILED: the shutdown was held by stdout")
    print("PASSED")
finally:
    if process.poll() is None:
        process.kill()
        process.wait()
