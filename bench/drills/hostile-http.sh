#!/usr/bin/env bash
# Drill 6: hostile HTTP. slowhttptest holds hundreds of connections open the slow way — headers
# sent a line at a time (slowloris), then bodies sent a few bytes at a time — and raw sockets send
# garbage, oversized headers and smuggling shapes, while a well-behaved client keeps asking
# GET /hello. Passes when every good request got its 200 within 2 s and the server still runs.
# Usage: bench/drills/hostile-http.sh [jar]   (needs slowhttptest, python3; JAVA_HOME a JDK 21+)
set -euo pipefail
cd "$(dirname "$0")/../.."
JAR=${1:-samples/notes/target/notes.jar}
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
SECONDS_EACH=${SECONDS_EACH:-20}
command -v slowhttptest >/dev/null || { echo "slowhttptest is missing: apt-get install slowhttptest" >&2; exit 1; }
# The sample's development switch (its .env.example): without DATABASE_URL it does not start.
H2='jdbc:h2:mem:notes;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1'
[ -f "$JAR" ] || { echo "$JAR is missing: mvn -B -q package -DskipTests first" >&2; exit 1; }

work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]:-}"; do { kill -9 "$p" && wait "$p"; } 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')

# Short timeouts, so the drill sees them act within its run.
PORT=$port HOST=127.0.0.1 HTTP_REQUEST_HEAD_TIMEOUT=5s HTTP_BODY_READ_TIMEOUT=5s HTTP_ACCESS_LOG=false \
  LOG_LEVEL=warn NOTES_API_TOKEN=drill-token-123 DATABASE_URL="$H2" "$JAVA" -jar "$JAR" >"$work/server.log" 2>&1 &
server=$!
pids+=("$server")
for _ in $(seq 600); do
  [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/health/ready")" = 200 ] && break
  sleep 0.1
done

# The good client: one GET /hello every 50 ms until told to stop; prints failures and a count.
python3 - "$port" "$work/stop" >"$work/good.txt" 2>&1 <<'PY' &
import http.client, os, sys, time
port, stop = int(sys.argv[1]), sys.argv[2]
ok, failed = 0, []
while not os.path.exists(stop):
    began = time.monotonic()
    try:
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
        c.request("GET", "/hello?name=drill")
        r = c.getresponse(); r.read(); c.close()
        if r.status == 200 and time.monotonic() - began < 2: ok += 1
        else: failed.append(f"{r.status} after {time.monotonic() - began:.2f} s")
    except Exception as e:
        failed.append(repr(e))
    time.sleep(0.05)
print(f"good requests: {ok} ok, {len(failed)} failed")
for f in failed[:20]: print("  " + f)
PY
good=$!
pids+=("$good")

echo "slowloris: 400 connections sending headers slowly for ${SECONDS_EACH}s"
slowhttptest -H -c 400 -r 200 -i 5 -x 24 -p 3 -l "$SECONDS_EACH" -u "http://127.0.0.1:$port/hello" \
  >"$work/slowloris.txt" 2>&1 || true
echo "slow bodies: 400 connections sending POST bodies slowly for ${SECONDS_EACH}s"
slowhttptest -B -c 400 -r 200 -i 5 -s 8192 -x 10 -p 3 -l "$SECONDS_EACH" -t POST \
  -u "http://127.0.0.1:$port/notes" >"$work/slowbody.txt" 2>&1 || true

echo "garbage, oversized headers and smuggling shapes on raw sockets"
python3 - "$port" <<'PY'
import socket, sys
port = int(sys.argv[1])
shapes = [
    b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03" + b"\x00" * 64,            # TLS ClientHello bytes
    b"GARBAGE\r\n\r\n",
    b"GET /hello HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 70000 + b"\r\n\r\n",  # oversized header
    b"POST /notes HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
    b"POST /notes HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!",
    b"POST /notes HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n",
    b"GET /../../etc/passwd HTTP/1.1\r\nHost: x\r\n\r\n",
    b"GET /hello HTTP/1.1\r\nHost: x\r\nBad\x00Header: v\r\n\r\n",
]
for shape in shapes * 25:
    s = socket.create_connection(("127.0.0.1", port), timeout=5)
    try:
        s.sendall(shape)
        s.recv(4096)
    except OSError:
        pass
    finally:
        s.close()
print(f"sent {len(shapes) * 25} hostile requests")
PY

touch "$work/stop"
wait "$good" || true
cat "$work/good.txt"
grep -h -E "^ *(service available|Exit status|closed|pending|connected)" "$work/slowloris.txt" "$work/slowbody.txt" | head -10 || true
if ! kill -0 "$server" 2>/dev/null; then
  echo "FAILED: the server died" >&2; tail -20 "$work/server.log" >&2; exit 1
fi
if ! grep -q " 0 failed" "$work/good.txt"; then
  echo "FAILED: good clients were not served while the server was under attack" >&2; exit 1
fi
echo "PASSED"
