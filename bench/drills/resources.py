#!/usr/bin/env python3
"""Drill 7: resources under hostile clients. While each attack runs against a Skiff service with its
defaults, a good client keeps sending GET /hello; the drill records the server's peak RSS and the
good client's latency, and fails if the RSS passes its bound, a good request fails, or the server
stops answering.

Attacks: 400 stalled bodies (each declares 1 MiB and sends one byte), 200 slow readers (each asks
for 256 KiB and never reads), 2,000 open keep-alive connections, and handlers racing the request timeout
while they write.

Usage: bench/drills/resources.py [--record]   (run after `mvn -B -q package -DskipTests -pl bench -am`;
JAVA_HOME: a JDK 21+). --record writes the table to bench/results/resources.md.
"""
import os, pathlib, resource, socket, statistics, subprocess, sys, threading, time, urllib.request

from skiffhello import classpath as skiffhello_classpath, free_port, java, root

classpath = skiffhello_classpath()

# The bound the drill holds the server to, whatever the attack: the heap the JVM may use on this
# machine is far larger, so only Skiff's own limits can keep it under.
RSS_BOUND_MIB = 400
ATTACK_SECONDS = 10
soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))

class Server:
    """A fresh SkiffHello for one attack, so each peak is the attack's own; output to a file."""
    def __init__(self):
        self.port = free_port()
        env = dict(os.environ, PORT=str(self.port), HOST="127.0.0.1", LOG_LEVEL="warn", HTTP_ACCESS_LOG="false",
                   HTTP_REQUEST_TIMEOUT="200ms")
        self.log = open(f"/tmp/skiff-drill-resources-{self.port}.log", "w")
        self.process = subprocess.Popen([java, "-cp", classpath, "dev.skiff.bench.SkiffHello"], env=env,
                                        stdout=self.log, stderr=subprocess.STDOUT)
        for _ in range(600):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/health/started", timeout=1) as r:
                    if r.status == 200:
                        return
            except OSError:
                time.sleep(0.1)
        self.stop()
        sys.exit("FAILED: the server did not start")

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()

servers = []
try:
    def rss_mib(server):
        for line in open(f"/proc/{server.process.pid}/status"):
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        return 0.0

    class Good(threading.Thread):
        """One GET /hello every 20 ms on fresh connections; latencies and failures."""
        def __init__(self):
            super().__init__(daemon=True)
            self.latencies, self.failures, self.stop = [], [], threading.Event()
        def run(self):
            while not self.stop.is_set():
                began = time.monotonic()
                try:
                    with urllib.request.urlopen(f"http://127.0.0.1:{server.port}/hello", timeout=5) as r:
                        r.read()
                        if r.status != 200:
                            self.failures.append(str(r.status))
                except Exception as e:
                    self.failures.append(repr(e))
                self.latencies.append((time.monotonic() - began) * 1000)
                time.sleep(0.02)

    def stalled_bodies(stop):
        sockets = []
        for _ in range(400):
            s = socket.create_connection(("127.0.0.1", server.port), timeout=10)
            s.sendall(b"POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 1048576\r\n\r\nx")
            sockets.append(s)
        stop.wait()
        for s in sockets:
            s.close()

    def slow_readers(stop):
        sockets = []
        for _ in range(200):
            s = socket.socket()
            s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
            s.connect(("127.0.0.1", server.port))
            s.sendall(b"GET /bytes?n=262144 HTTP/1.1\r\nHost: x\r\n\r\n")
            sockets.append(s)
        stop.wait()
        for s in sockets:
            s.close()

    def many_connections(stop):
        # 2,000 keep-alive connections open at once, each having served one request: connections,
        # not concurrent requests (1,000 at once would be answered 503 by the concurrency limit,
        # as documented, good clients among them).
        sockets = []
        for _ in range(2000):
            s = socket.create_connection(("127.0.0.1", server.port), timeout=10)
            s.sendall(b"GET /hello HTTP/1.1\r\nHost: x\r\n\r\n")
            try:
                s.recv(4096)
            except OSError:
                pass
            sockets.append(s)
        stop.wait()
        for s in sockets:
            s.close()

    def racing_timeouts(stop):
        def one():
            while not stop.is_set():
                try:
                    with urllib.request.urlopen(f"http://127.0.0.1:{server.port}/slow?ms=200", timeout=5) as r:
                        r.read()
                except Exception:
                    pass  # 503 from the timeout, or 200: both are answers
        threads = [threading.Thread(target=one, daemon=True) for _ in range(100)]
        for t in threads:
            t.start()
        stop.wait()
        for t in threads:
            t.join()

    rows, failed = [], []
    baseline = None
    for name, attack in [("400 stalled bodies, 1 MiB declared each", stalled_bodies),
                         ("200 slow readers of 256 KiB each", slow_readers),
                         ("2,000 open keep-alive connections", many_connections),
                         ("100 clients racing a 200 ms timeout", racing_timeouts)]:
        server = Server()
        servers.append(server)
        if baseline is None:
            baseline = rss_mib(server)
        good, stop, peak = Good(), threading.Event(), 0.0
        good.start()
        attacker = threading.Thread(target=attack, args=(stop,), daemon=True)
        attacker.start()
        end = time.monotonic() + ATTACK_SECONDS
        while time.monotonic() < end:
            peak = max(peak, rss_mib(server))
            time.sleep(0.2)
        stop.set()
        attacker.join(timeout=60)
        good.stop.set()
        good.join(timeout=10)
        if server.process.poll() is not None:
            failed.append(f"{name}: the server died")
            break
        server.stop()
        p50 = statistics.median(good.latencies) if good.latencies else float("nan")
        p99 = statistics.quantiles(good.latencies, n=100)[98] if len(good.latencies) >= 100 else max(good.latencies, default=float("nan"))
        rows.append((name, peak, len(good.latencies), len(good.failures), p50, p99))
        if peak > RSS_BOUND_MIB:
            failed.append(f"{name}: peak RSS {peak:.0f} MiB over the bound of {RSS_BOUND_MIB} MiB")
        if good.failures:
            failed.append(f"{name}: {len(good.failures)} good requests failed: {good.failures[:3]}")
        time.sleep(1)

    table = [f"| attack ({ATTACK_SECONDS} s each) | peak RSS (MiB) | good requests | failed | good p50 (ms) | good p99 (ms) |",
             "|---|---:|---:|---:|---:|---:|"]
    table += [f"| {n} | {peak:.0f} | {count} | {fails} | {p50:.1f} | {p99:.1f} |" for n, peak, count, fails, p50, p99 in rows]
    print(f"RSS at ready: {baseline:.0f} MiB; bound: {RSS_BOUND_MIB} MiB")
    print("\n".join(table))
    if "--record" in sys.argv:
        out = root / "bench/results/resources.md"
        out.write_text(f"""# Resources under hostile clients

Measured by `python3 bench/drills/resources.py --record` on {time.strftime('%Y-%m-%d')}, a 2-core machine,
`{subprocess.run([java, '-version'], capture_output=True, text=True).stderr.splitlines()[0]}`, SkiffHello with
Skiff's defaults (`HTTP_REQUEST_TIMEOUT=200ms` for the last attack), no heap flag (the JVM may take a quarter
of the machine's memory). A good client sends `GET /hello` every 20 ms on a new connection throughout.
The drill fails when the peak RSS passes {RSS_BOUND_MIB} MiB or a good request fails; CI runs it.
The connections attack holds 2,000 keep-alive connections open; 2,000 requests at the same instant
would be another matter: past `http.max-concurrent-requests` (1,000) they are answered 503 with
`Retry-After`, good clients among them, by design.

RSS at ready: {baseline:.0f} MiB.

""" + "\n".join(table) + "\n")
        print(f"wrote {out.relative_to(root)}")
    if failed:
        sys.exit("FAILED: " + "; ".join(failed))
    print("PASSED")
finally:
    for server in servers:
        if server.process.poll() is None:
            server.stop()
