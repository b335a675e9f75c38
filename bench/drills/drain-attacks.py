#!/usr/bin/env python3
"""Drill 9: no client can shorten the drain.

Two instances of the sample behind HAProxy (option httpchk GET /health/ready, inter 2s, fall 3,
rise 2, retries 0); real traffic of 5 requests a second through HAProxy; SIGTERM to instance A
8 s in. Passes when no request of the real traffic failed, in each case:

  control   nothing else
  probes50  a client sends GET /health/ready through HAProxy with no User-Agent every 50 ms
  probes170 the same every 170 ms
  steady    a client sends 30 requests a second through HAProxy and polls /health/ready with a
            User-Agent of its own, and stops both the moment it sees a 503

Each instance's logged decision is printed. Every process it starts is ended.
Usage: bench/drills/drain-attacks.py [jar] [case ...]   (needs haproxy; JAVA_HOME a JDK 21+)
"""
import http.client
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
args = sys.argv[1:]
JAR = args.pop(0) if args and args[0].endswith(".jar") else os.path.join(ROOT, "samples/notes/target/notes.jar")
CASES = args or ["control", "probes50", "probes170", "steady"]
JAVA = os.path.join(os.environ["JAVA_HOME"], "bin", "java") if os.environ.get("JAVA_HOME") else "java"
H2 = "jdbc:h2:mem:notes;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1"

if not os.path.isfile(JAR):
    sys.exit(f"{JAR} is missing: mvn -B -q package -DskipTests first")
if not shutil.which("haproxy"):
    sys.exit("haproxy is missing: apt-get install haproxy")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(port, path, agent=None, timeout=3.0):
    """One request on a connection of its own; returns the status, or None on a socket error."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        headers = {} if agent is None else {"User-Agent": agent}
        connection.putrequest("GET", path, skip_accept_encoding=True)
        for name, value in headers.items():
            connection.putheader(name, value)
        connection.endheaders()
        answer = connection.getresponse()
        answer.read()
        return answer.status
    except OSError:
        return None
    finally:
        connection.close()


def server_state(stats, name):
    connection = http.client.HTTPConnection("127.0.0.1", stats, timeout=2)
    try:
        connection.request("GET", "/stats;csv")
        for line in connection.getresponse().read().decode().splitlines():
            fields = line.split(",")
            if len(fields) > 17 and fields[0] == "notes" and fields[1] == name:
                return fields[17]
    except OSError:
        return None
    finally:
        connection.close()
    return None


def until(condition, seconds, what):
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise SystemExit(f"FAILED: {what} within {seconds} s")
        time.sleep(0.05)


def run(case):
    work = tempfile.mkdtemp()
    processes = []
    try:
        front, stats, port_a, port_b = free_port(), free_port(), free_port(), free_port()
        instances = {}
        for name, port in (("a", port_a), ("b", port_b)):
            env = {k: v for k, v in os.environ.items() if not k.startswith(("SHUTDOWN_", "KUBERNETES_"))}
            env.update(PORT=str(port), HOST="127.0.0.1", DATABASE_URL=H2, NOTES_API_TOKEN="drill-token-123", HTTP_ACCESS_LOG="false", LOG_LEVEL="warn",
                       LOG_LEVELS="dev.skiff.http.drain.internal.TrafficAwareDrain=info")
            log = open(os.path.join(work, name + ".log"), "w+")
            process = subprocess.Popen([JAVA, "-jar", JAR], env=env, stdout=log, stderr=subprocess.STDOUT)
            processes.append(process)
            instances[name] = (process, port, log)
        for name, (process, port, _) in instances.items():
            until(lambda: process.poll() is not None or get(port, "/health/started") == 200, 60, f"instance {name} ready")
            if process.poll() is not None:
                raise SystemExit(f"FAILED: instance {name} exited with {process.returncode}")
        config = os.path.join(work, "haproxy.cfg")
        with open(config, "w") as f:
            f.write(f"""global
  maxconn 1000
defaults
  mode http
  timeout connect 2s
  timeout client 30s
  timeout server 30s
  retries 0
frontend front
  bind 127.0.0.1:{front}
  default_backend notes
backend notes
  option httpchk GET /health/ready
  http-check expect status 200
  default-server inter 2s fall 3 rise 2
  server a 127.0.0.1:{port_a} check
  server b 127.0.0.1:{port_b} check
frontend stats
  bind 127.0.0.1:{stats}
  stats enable
  stats uri /stats
""")
        haproxy = subprocess.Popen(["haproxy", "-f", config, "-db"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        processes.append(haproxy)
        until(lambda: server_state(stats, "a") == "UP" and server_state(stats, "b") == "UP", 30, "HAProxy has both UP")

        done = threading.Event()
        signalled = threading.Event()
        results = []  # (after the signal, status)

        def traffic():
            # 5 requests a second, the real traffic: each must be answered 200.
            next_at = time.monotonic()
            while not done.is_set():
                results.append((signalled.is_set(), get(front, "/hello")))
                next_at += 0.2
                time.sleep(max(0.0, next_at - time.monotonic()))

        def prober(every):
            while not done.is_set():
                get(front, "/health/ready")  # no User-Agent: the one HAProxy's checks have
                time.sleep(every)

        def steady():
            stop = threading.Event()

            def requests():
                while not stop.is_set() and not done.is_set():
                    get(front, "/hello", agent="attacker/1.0")
                    time.sleep(1 / 30)

            worker = threading.Thread(target=requests, daemon=True)
            worker.start()
            while not done.is_set():
                if get(front, "/health/ready", agent="attacker/1.0") == 503:
                    stop.set()  # the moment it sees readiness go down: as if the balancer had noticed
                    return
                time.sleep(0.1)

        threads = [threading.Thread(target=traffic, daemon=True)]
        if case == "probes50":
            threads.append(threading.Thread(target=prober, args=(0.05,), daemon=True))
        elif case == "probes170":
            threads.append(threading.Thread(target=prober, args=(0.17,), daemon=True))
        elif case == "steady":
            threads.append(threading.Thread(target=steady, daemon=True))
        for thread in threads:
            thread.start()
        time.sleep(8)
        process_a, _, log_a = instances["a"]
        signalled.set()
        sent = time.monotonic()
        process_a.send_signal(signal.SIGTERM)
        try:
            status = process_a.wait(timeout=20)
        except subprocess.TimeoutExpired:
            raise SystemExit(f"FAILED ({case}): instance a did not exit within 20 s of SIGTERM")
        took = time.monotonic() - sent
        time.sleep(2)  # requests HAProxy still sends to a after it closed would fail now
        done.set()
        for thread in threads:
            thread.join(timeout=10)
        log_a.seek(0)
        decision = re.findall(r'"message":"(drained for[^"]*)"', log_a.read())
        failed = [s for after, s in results if s != 200]
        after = sum(1 for a, _ in results if a)
        print(f"{case}: instance a exited {status} {took:.1f} s after SIGTERM; {len(results)} requests,"
              f" {after} after SIGTERM, {len(failed)} failed")
        print("  " + (decision[-1] if decision else "no decision logged"))
        if status != 0:
            raise SystemExit(f"FAILED ({case}): instance a exited with {status}")
        if failed:
            raise SystemExit(f"FAILED ({case}): {len(failed)} requests of the real traffic failed: {failed[:10]}")
    finally:
        for process in processes:
            if process.poll() is None:
                process.kill()
                process.wait()
        shutil.rmtree(work, ignore_errors=True)


for case in CASES:
    run(case)
print("PASSED")
