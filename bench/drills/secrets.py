#!/usr/bin/env python3
"""Drill 5: secrets. A canary in each place a secret can come from -- a .env file, the
environment, a database password read from a file (DATABASE_PASSWORD_FILE, as Docker and
Kubernetes mount secrets), request headers -- and a service asked to show everything it
can: debug logging, /info, /metrics, every health endpoint, error answers, the config and check
commands. Passes when no canary appears anywhere, raw, URL-encoded or base64.

Usage: bench/drills/secrets.py [jar]   (JAVA_HOME: a JDK 21+)
"""
import base64, os, pathlib, socket, subprocess, sys, tempfile, time, urllib.parse, urllib.request

root = pathlib.Path(__file__).resolve().parents[2]
jar = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else root / "samples/notes/target/notes.jar").resolve()
java = os.path.join(os.environ["JAVA_HOME"], "bin", "java") if os.environ.get("JAVA_HOME") else "java"
if not jar.exists():
    sys.exit(f"{jar} is missing: mvn -B -q package -DskipTests first")

canaries = {
    "dotenv": "canary-dotenv-7Qx9Lm2v",       # NOTES_API_TOKEN in .env
    "env": "canary-env-4Rt8Pz1w",             # PAYMENTS_API_KEY in the environment, read by nothing
    "file": "canary-file-2Hs5Ty8c",           # DATABASE_PASSWORD from the file DATABASE_PASSWORD_FILE names
    "header": "canary-header-9Kd3Vb6n",       # a wrong bearer token and a cookie, sent by a client
}
forms = {}
for name, value in canaries.items():
    forms[f"{name} raw"] = value
    forms[f"{name} url-encoded"] = urllib.parse.quote(value, safe="")
    forms[f"{name} base64"] = base64.b64encode(value.encode()).decode().rstrip("=")

def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]

work = pathlib.Path(tempfile.mkdtemp())
(work / ".env").write_text(f"NOTES_API_TOKEN={canaries['dotenv']}\n")
(work / "db-password").write_text(canaries["file"] + "\n")
port = free_port()
env = dict(os.environ, PORT=str(port), HOST="127.0.0.1", LOG_LEVEL="debug", LOG_FORMAT="json",
           DATABASE_URL="jdbc:h2:mem:secrets;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DB_CLOSE_DELAY=-1",
           DATABASE_USER="sa", DATABASE_PASSWORD_FILE=str(work / "db-password"), PAYMENTS_API_KEY=canaries["env"])
output = []

def request(method, path, headers=None, body=None):
    req = urllib.request.Request(f"http://127.0.0.1:{port}{path}", method=method, headers=headers or {},
                                 data=body.encode() if body else None)
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            text = r.read().decode()
    except urllib.error.HTTPError as e:
        text = e.read().decode()
    output.append(f"{method} {path}: {text}")
    return text

server = subprocess.Popen([java, "-jar", str(jar)], cwd=work, env=env, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True)
try:
    for _ in range(600):
        try:
            if "UP" in request("GET", "/health/ready"):
                break
        except OSError:
            pass
        time.sleep(0.1)
    good = {"Authorization": f"Bearer {canaries['dotenv']}", "Content-Type": "application/json"}
    bad = {"Authorization": f"Bearer {canaries['header']}", "Cookie": f"session={canaries['header']}",
           "Content-Type": "application/json"}
    request("POST", "/notes", good, '{"title":"a note"}')
    request("POST", "/notes", bad, '{"title":"refused"}')
    request("POST", "/notes", good, '{"title":')
    for path in ["/info", "/metrics", "/health/live", "/health/ready", "/health/started", "/notes",
                 "/notes/999", "/nowhere"]:
        request("GET", path, bad)
finally:
    server.terminate()
    out, _ = server.communicate(timeout=30)
    output.append(out)

for command in (["config"], ["check"]):
    done = subprocess.run([java, "-jar", str(jar), *command], cwd=work, env=env, capture_output=True,
                          text=True, timeout=60)
    output.append(done.stdout + done.stderr)

everything = "\n".join(output)
leaks = [f"{form} ({value})" for form, value in forms.items() if value in everything]
print(f"searched {len(everything)} characters of logs, answers and command output for {len(forms)} forms"
      f" of {len(canaries)} canaries")
if "a note" not in everything or '"status":"UP"' not in everything:
    sys.exit("FAILED: the service did not serve the drill's requests")
if leaks:
    sys.exit("FAILED: found " + ", ".join(leaks))
print("PASSED")
