#!/usr/bin/env bash
# Load test of `ogilint serve` (a measurement, not a test): requests per second and p50/p99 latency of
# POST /api/check for one text report and one DOCX on loopback, with wrk (Debian's package) when it is
# installed and with a small Python client (threads, keep-alive connections) in any case; and the
# server's resident memory after warm-up and after N more requests. Other load on the machine lowers
# the figures: the script prints the load average with them.
#
# Usage: scripts/loadtest.sh [--requests N] [--connections C] [--ogilint PATH]
# Defaults: 10000 requests per input, 8 connections, a release build (built here when missing).
set -euo pipefail
cd "$(dirname "$0")/.."
requests=10000
connections=8
bin=""
while [ $# -gt 0 ]; do
  case "$1" in
    --requests) requests=$2; shift 2 ;;
    --connections) connections=$2; shift 2 ;;
    --ogilint) bin=$2; shift 2 ;;
    *) echo "usage: $0 [--requests N] [--connections C] [--ogilint PATH]" >&2; exit 2 ;;
  esac
done
if [ -z "$bin" ]; then
  swift build -c release --product ogilint >/dev/null
  swift build -c release --product ogilint-server >/dev/null   # what `ogilint serve` runs, beside ogilint
  bin=$(swift build -c release --show-bin-path)/ogilint
fi
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$bin" serve --port "$port" >/dev/null 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null || true' EXIT
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
if command -v wrk >/dev/null 2>&1; then
  work=$(mktemp -d)
  cat > "$work/post.lua" <<'LUA'
local f = io.open(os.getenv("BODY_FILE"), "rb")
wrk.method = "POST"
wrk.body = f:read("*a")
f:close()
wrk.headers["Content-Type"] = "multipart/form-data; boundary=ogilint-load"
LUA
  for input in samples/broken/app-balance.txt samples/broken/app-balance.docx; do
    python3 - "$input" "$work/body" <<'PY'
import os, sys
data = open(sys.argv[1], "rb").read()
name = os.path.basename(sys.argv[1])
open(sys.argv[2], "wb").write(b"--ogilint-load\r\nContent-Disposition: form-data; name=\"files\"; filename=\"" + name.encode()
    + b"\"\r\nContent-Type: application/octet-stream\r\n\r\n" + data + b"\r\n--ogilint-load--\r\n")
PY
    BODY_FILE="$work/body" wrk -t 2 -c "$connections" -d 15s --latency -s "$work/post.lua" "http://127.0.0.1:$port/api/check" \
      | awk -v f="$input" '/Requests\/sec/ {r=$2} / 50%/ {p50=$2} / 99%/ {p99=$2} /Non-2xx/ {bad=$4} /requests in/ {n=$1}
          END {printf "wrk: %-36s %7d requests %8.0f req/s  p50 %8s  p99 %8s  non-2xx: %d\n", f, n, r, p50, p99, bad}'
  done
  rm -rf "$work"
fi

python3 - "$port" "$requests" "$connections" "$server" <<'EOF'
import http.client, sys, threading, time, uuid, os

port, total, conns, pid = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])

def rss_kib():
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS"):
                return int(line.split()[1])

def cpu_seconds():
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

def body_for(path):
    boundary = uuid.uuid4().hex
    with open(path, "rb") as f:
        data = f.read()
    name = os.path.basename(path)
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"{name}\"\r\n"
            f"Content-Type: application/octet-stream\r\n\r\n").encode() + data + f"\r\n--{boundary}--\r\n".encode()
    return body, {"Content-Type": f"multipart/form-data; boundary={boundary}", "Host": f"127.0.0.1:{port}"}

def run(path, n):
    body, headers = body_for(path)
    latencies, errors = [], []
    lock = threading.Lock()
    counter = iter(range(n))
    def worker():
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        mine = []
        while True:
            with lock:
                i = next(counter, None)
            if i is None:
                break
            t = time.perf_counter()
            c.request("POST", "/api/check", body=body, headers=headers)
            r = c.getresponse()
            r.read()
            mine.append(time.perf_counter() - t)
            if r.status != 200:
                errors.append(r.status)
        c.close()
        with lock:
            latencies.extend(mine)
    threads = [threading.Thread(target=worker) for _ in range(conns)]
    start = time.perf_counter()
    for t in threads: t.start()
    for t in threads: t.join()
    elapsed = time.perf_counter() - start
    latencies.sort()
    pct = lambda p: latencies[min(len(latencies) - 1, int(p * len(latencies)))] * 1000
    return n / elapsed, pct(0.50), pct(0.99), errors

print(f"ogilint serve load test: {total} requests per input, {conns} connections, {os.cpu_count()} cores")
run("samples/broken/app-balance.txt", 200)  # warm-up
before = rss_kib()
for label, path, n in [("text report", "samples/broken/app-balance.txt", total),
                       ("DOCX report", "samples/broken/app-balance.docx", max(1, total // 5))]:
    cpu = cpu_seconds()
    rate, p50, p99, errors = run(path, n)
    per = (cpu_seconds() - cpu) / n * 1000
    print(f"  {label:12} {n:6} requests  {rate:7.0f} req/s  p50 {p50:6.1f} ms  p99 {p99:6.1f} ms  non-200: {len(errors)}"
          f"  server CPU {per:.2f} ms/request (= {2000 / per:.0f} req/s on 2 idle cores)")
after_first = rss_kib()
run("samples/broken/app-balance.txt", total)
after = rss_kib()
print(f"  memory (RSS): {before / 1024:.1f} MiB after warm-up, {after_first / 1024:.1f} MiB after the runs above, "
      f"{after / 1024:.1f} MiB after {total} more text requests")
EOF
