#!/usr/bin/env bash
# Load test of `ogilint serve` (a measurement, not a test): requests per second and p50/p99 latency of
# POST /api/check for one text report and one DOCX, on loopback, with a small Python client (threads,
# keep-alive connections); and the server's resident memory before and after N requests.
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
  bin=$(swift build -c release --show-bin-path)/ogilint
fi
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$bin" serve --port "$port" >/dev/null 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null || true' EXIT
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done

rss() { awk '/VmRSS/ {print $2}' "/proc/$server/status"; }

python3 - "$port" "$requests" "$connections" "$server" <<'EOF'
import http.client, sys, threading, time, uuid, os

port, total, conns, pid = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])

def rss_kib():
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS"):
                return int(line.split()[1])

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
    rate, p50, p99, errors = run(path, n)
    print(f"  {label:12} {n:6} requests  {rate:7.0f} req/s  p50 {p50:6.1f} ms  p99 {p99:6.1f} ms  non-200: {len(errors)}")
after_first = rss_kib()
run("samples/broken/app-balance.txt", total)
after = rss_kib()
print(f"  memory (RSS): {before / 1024:.1f} MiB after warm-up, {after_first / 1024:.1f} MiB after the runs above, "
      f"{after / 1024:.1f} MiB after {total} more text requests")
EOF
