#!/usr/bin/env python3
"""Drill 2: requests in flight at SIGTERM. Slow requests under way when SIGTERM arrives all
complete with 200; after the drain delay new connections are refused at once; and when a request
never ends, the shutdown still ends inside its budget (exit 1, naming what it abandoned).

Usage: bench/drills/in-flight.py   (run after `mvn -B -q package -DskipTests -pl bench -am`;
JAVA_HOME: a JDK 21+)
"""
import os, pathlib, signal, socket, subprocess, sys, threading, time, urllib.request

from skiffhello import classpath as skiffhello_classpath, free_port, java, root

classpath = skiffhello_classpath()

def start(**settings):
    port = free_port()
    env = dict(os.environ, PORT=str(port), HOST="127.0.0.1", LOG_LEVEL="warn", HTTP_ACCESS_LOG="false",
               **settings)
    process = subprocess.Popen([java, "-cp", classpath, "dev.skiff.bench.SkiffHello"], env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    for _ in range(600):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/health/started", timeout=1) as r:
                if r.status == 200:
                    return process, port
        except OSError:
            time.sleep(0.1)
    process.kill()
    sys.exit("FAILED: the server did not start")

def slow(port, ms, results):
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/slow?ms={ms}", timeout=30) as r:
            results.append((r.status, r.read().decode()))
    except Exception as e:
        results.append((0, repr(e)))

failures = []

# 1. Five slow requests in flight at SIGTERM, a 1 s drain delay.
process, port = start(SHUTDOWN_DRAIN_DELAY="1s", SHUTDOWN_TIMEOUT="8s")
results = []
threads = [threading.Thread(target=slow, args=(port, 2500, results)) for _ in range(5)]
for t in threads:
    t.start()
time.sleep(0.5)
sigterm_at = time.monotonic()
process.send_signal(signal.SIGTERM)
time.sleep(1.4)  # past the drain delay
refused_in = None
began = time.monotonic()
try:
    socket.create_connection(("127.0.0.1", port), timeout=2).close()
except ConnectionRefusedError:
    refused_in = time.monotonic() - began
except OSError as e:
    failures.append(f"a new connection after the drain delay failed with {e!r}, not a refusal")
for t in threads:
    t.join()
code = process.wait(timeout=30)
took = time.monotonic() - sigterm_at
print(f"in flight at SIGTERM: {[status for status, _ in results]}; new connection after the drain delay:"
      f" {'refused in %.1f ms' % (refused_in * 1000) if refused_in is not None else 'accepted'};"
      f" exit {code} {took:.2f} s after SIGTERM")
if sorted(status for status, _ in results) != [200] * 5:
    failures.append(f"requests in flight did not all complete with 200: {results}")
if refused_in is None:
    failures.append("a new connection after the drain delay was not refused")
if code != 0:
    failures.append(f"exit status {code} after a clean drain")

# 2. A request that never ends: the shutdown keeps its 4 s budget.
process, port = start(SHUTDOWN_DRAIN_DELAY="0s", SHUTDOWN_TIMEOUT="4s", HTTP_REQUEST_TIMEOUT="120s")
results = []
stuck = threading.Thread(target=slow, args=(port, 600_000, results))
stuck.start()
time.sleep(0.5)
sigterm_at = time.monotonic()
process.send_signal(signal.SIGTERM)
code = process.wait(timeout=30)
took = time.monotonic() - sigterm_at
log = process.stdout.read()
stuck.join()
print(f"a request that never ends: exit {code} {took:.2f} s after SIGTERM (budget 4 s)")
if code != 1 or took > 4 + 2:
    failures.append(f"with a request that never ends: exit {code} after {took:.2f} s, wanted 1 within 6 s")
if "stopped with problems" not in log:
    failures.append("the last line does not say the shutdown had problems:\n" + log[-2000:])

if failures:
    sys.exit("FAILED:\n  " + "\n  ".join(failures))
print("PASSED")
