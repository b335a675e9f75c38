"""What bench/http.py and bench/peers.py measure a server with, and the goals of record they check.

A server runs pinned to core 1 with its output in a file; wrk runs pinned to core 0. Figures come
from /proc: RSS, and user + system CPU ticks of the server over a load run.
"""
import os, pathlib, signal, subprocess, sys, time, urllib.request

HZ = os.sysconf("SC_CLK_TCK")

# The goals of record, as ratios of Skiff's figure to raw Undertow's in the same run: (figure, Skiff
# variant, most allowed ratio). "plain handler" is Skiff as a user writes a service: a handler with
# no declaration, served on a virtual thread, and the defaults (metrics, request ids, the JSON access
# log). The ratios are Helidon SE's in the run of issue 5/5 (2026-12-06): bench/peers.py compares with
# Helidon SE's in its own run; bench/http.sh, which runs no peer, with these. RSS after load: 1.15×.
GOALS = [
    ("server CPU per request", "plain handler", 1.39),
    ("p99 latency", "plain handler", 1.70),
    ("startup to first 200", "plain handler", 1.64),
    ("RSS at ready", "plain handler", 1.12),
    ("RSS after load", "plain handler", 1.15),
]
ACCESS_LOG_EVENT_GOAL_US = 2.0


def get(port, path, timeout=1.0):
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=timeout) as r:
        return r.status, r.read()


def start(name, command, port, env, cores="1"):
    """Starts a server on the given cores; returns (process, milliseconds to its first 200 on /hello)."""
    began = time.monotonic()
    log = f"/tmp/skiff-bench-{name.replace(' ', '-').replace('/', '-')}.log"
    with open(log, "w") as output:
        process = subprocess.Popen(["taskset", "-c", cores, *command], env=dict(env, PORT=str(port)),
                                   stdout=output, stderr=subprocess.STDOUT)
    while True:
        try:
            if get(port, "/hello", timeout=0.5)[0] == 200:
                return process, (time.monotonic() - began) * 1000
        except OSError:
            if process.poll() is not None:
                tail = "".join(open(log).readlines()[-20:])
                sys.exit(f"{name} exited with status {process.returncode} before its first 200; its last lines ({log}):\n{tail}")
            time.sleep(0.005)


def stop(process):
    """Stops a server, then writes its log out to disk: a server that logged every request leaves
    hundreds of MB the kernel would otherwise write back during the next server's measurement."""
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
    os.sync()


def rss_mib(pid):
    for line in pathlib.Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS"):
            return int(line.split()[1]) / 1024
    return float("nan")


def cpu_ticks(pid):
    fields = pathlib.Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])


def wrk_ms(value):
    """wrk's latency, such as 1.23ms, 850.00us or 1.02s, in milliseconds."""
    for unit, factor in (("us", 0.001), ("ms", 1.0), ("s", 1000.0)):
        if value.endswith(unit):
            return float(value[:-len(unit)]) * factor
    return float(value)


def wrk(port, seconds, connections=32, latency=False):
    """Runs wrk on core 0 against /hello; returns (requests, requests/s, p99 ms or None, non-2xx responses)."""
    args = ["taskset", "-c", "0", "wrk", "-t1", f"-c{connections}", f"-d{seconds}s"]
    if latency:
        args.append("--latency")
    out = subprocess.run([*args, f"http://127.0.0.1:{port}/hello"], capture_output=True, text=True).stdout
    lines = out.splitlines()
    requests = int(next(l.split()[0] for l in lines if "requests in" in l))
    rps = float(next(l.split()[1] for l in lines if l.startswith("Requests/sec")))
    p99 = next((wrk_ms(l.split()[1]) for l in lines if l.strip().startswith("99%")), None)
    bad = next((int(l.split()[-1]) for l in lines if "Non-2xx" in l), 0)
    return requests, rps, p99, bad


def load(process, port, warmup_seconds, load_seconds, connections=32):
    """Warms a server up, then loads it; returns its figures under load."""
    wrk(port, warmup_seconds, connections)
    before = cpu_ticks(process.pid)
    requests, rps, p99, bad = wrk(port, load_seconds, connections, latency=True)
    after = cpu_ticks(process.pid)
    return {"server CPU per request": (after - before) / HZ * 1e6 / requests, "throughput": rps,
            "p99 latency": p99, "RSS after load": rss_mib(process.pid), "non-2xx": bad}


def goal_lines(ratio_of, extra=()):
    """Markdown lines, one per goal: the ratio measured, the goal, met or not met.

    ratio_of(figure, variant) gives Skiff's figure over raw Undertow's, or None when not measured;
    extra holds further (name, value, goal text, met) rows.
    """
    lines = ["| goal | measured | goal | |", "|---|---:|---:|---|"]
    for figure, variant, most in GOALS:
        ratio = ratio_of(figure, variant)
        if ratio is None:
            continue
        lines.append(f"| {figure}, Skiff {variant} / raw Undertow | {ratio:.2f}× | ≤ {most:.2f}× |"
                     f" {'met' if ratio <= most else '**not met**'} |")
    for name, value, goal, met in extra:
        lines.append(f"| {name} | {value} | {goal} | {'met' if met else '**not met**'} |")
    return lines
