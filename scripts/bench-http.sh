#!/usr/bin/env bash
# HTTP benchmark: starts a gateway on a temporary database, loads it with wrk
# on loopback and prints requests/s and latency for reads and writes in both
# dialects, plus the server's peak resident memory.
#
#   scripts/bench-http.sh [seconds per run, default 10] [connections, default 256]
#
# Needs wrk (apt-get install wrk) and a built ./build/customer-gateway.
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${1:-10}
CONNS=${2:-256}
BIN=${GATEWAY_BIN:-build/customer-gateway}
command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)"; exit 1; }
TMP=$(mktemp -d)
PORT=18181
trap 'kill $PID 2>/dev/null || true; wait $PID 2>/dev/null || true; rm -rf "$TMP"' EXIT

"$BIN" serve --listen 127.0.0.1:$PORT --db "$TMP/bench.db" --client-id bench --client-secret bench-secret \
  --jwt-secret bench-jwt --threads 512 >"$TMP/server.log" 2>&1 &
PID=$!
for _ in $(seq 50); do grep -q listening "$TMP/server.log" && break; sleep 0.1; done
BASE=http://127.0.0.1:$PORT
TOKEN=$(curl -s -X POST $BASE/oauth/access_token -d grant_type=client_credentials -d client_id=bench \
  -d client_secret=bench-secret | sed -E 's/.*"access_token":"([^"]+)".*/\1/')
ID=$(curl -s -X POST $BASE/v2/customers -H "Authorization: Bearer $TOKEN" \
  -d '{"data":{"type":"customer","name":"Ron Swanson","email":"ron@swanson.com"}}' | sed -E 's/.*"id":"([^"]+)".*/\1/')

run() {
  local label=$1; shift
  echo "== $label"
  wrk -t2 -c"$CONNS" -d"${DURATION}s" --latency -H "Authorization: Bearer $TOKEN" "$@" \
    | grep -E "Requests/sec|Latency  |50%|99%|Non-2xx|Socket errors|requests in"
}

echo "customer-gateway HTTP benchmark: $CONNS connections, ${DURATION}s per run, $(nproc) cores"
run "EP GET /v2/customers/:id" "$BASE/v2/customers/$ID"
run "MicroBase customer.info (GET, query args)" "$BASE/services/customer/v1/customer.info?id=$ID"
run "EP GET /v2/customers?page[limit]=25" "$BASE/v2/customers?page%5Blimit%5D=25"
run "EP POST /v2/customers (group-committed writes)" -s scripts/bench/post_customer.lua "$BASE"
echo "== EP GET /v2/customers/:id while 16 clients create customers with passwords (scrypt)"
BENCH_PASSWORD="correct horse battery" wrk -t1 -c16 -d"$((DURATION + 2))s" -H "Authorization: Bearer $TOKEN" \
  -s scripts/bench/post_customer.lua "$BASE" \
  >"$TMP/hashing.txt" &
HASHING=$!
sleep 1
run "  reads during hashing" "$BASE/v2/customers/$ID"
wait $HASHING
grep -E "Requests/sec" "$TMP/hashing.txt" | sed 's/^/  password creates: /'
echo "== server peak RSS: $(grep VmHWM /proc/$PID/status | awk '{print $2/1024 " MiB"}')"
echo "== customers stored: $(curl -s "$BASE/v2/customers?page%5Blimit%5D=1" -H "Authorization: Bearer $TOKEN" | sed -E 's/.*"results":\{"total":([0-9]+).*/\1/')"
