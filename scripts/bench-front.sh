#!/usr/bin/env bash
# Per-request overhead, side by side in one run: the gateway's
# EP GET /v2/customers/:id against (1) a trivial cpp-httplib server built here
# from scripts/bench/trivial_httplib.cc (same library, TCP_NODELAY, a thread
# per connection, answering the gateway's own response body) and (2)
# json-server 0.17 from npm (GET /customers/1, default flags). Each runs under
# the same wrk settings at 64 and 256 connections; the ratios are printed.
# Then durable creates/s at 64 connections (synchronous=FULL, group commit),
# and reads beside creates as a share of the read rate alone.
#
#   scripts/bench-front.sh [seconds per point, default 5]
#
# Needs wrk, g++, npm/node (json-server is installed into a temporary
# directory) and a built ./build/customer-gateway (or GATEWAY_BIN).
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${1:-5}
BIN=${GATEWAY_BIN:-build/customer-gateway}
command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)"; exit 1; }
[[ -x "$BIN" ]] || { echo "no binary at $BIN (run scripts/build.sh)"; exit 1; }
TMP=$(mktemp -d)
PIDS=()
trap 'for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done; rm -rf "$TMP"' EXIT
GW_PORT=18191
TRIVIAL_PORT=18192
JS_PORT=18193

wait_listening() {  # LOG: waits for a "listening"/"Resources" line
  for _ in $(seq 200); do grep -qiE 'listening|Resources' "$1" && return; sleep 0.1; done
  echo "server did not start: $(cat "$1")"; exit 1
}

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores"
"$BIN" serve --listen 127.0.0.1:$GW_PORT --db "$TMP/gw.db" --client-id bench --client-secret bench-secret \
  --jwt-secret bench-jwt --threads 256 >"$TMP/gw.log" 2>&1 &
PIDS+=($!)
wait_listening "$TMP/gw.log"
GW=http://127.0.0.1:$GW_PORT
TOKEN=$(curl -s -X POST $GW/oauth/access_token -d grant_type=client_credentials -d client_id=bench \
  -d client_secret=bench-secret | sed -E 's/.*"access_token":"([^"]+)".*/\1/')
ID=$(curl -s -X POST $GW/v2/customers -H "Authorization: Bearer $TOKEN" \
  -d '{"data":{"type":"customer","name":"Ron Swanson","email":"ron@swanson.com"}}' | sed -E 's/.*"id":"([^"]+)".*/\1/')
curl -s $GW/v2/customers/$ID -H "Authorization: Bearer $TOKEN" >"$TMP/body.json"

# shellcheck disable=SC2046  # pkg-config's words are separate flags
g++ -O2 -std=c++20 -pthread scripts/bench/trivial_httplib.cc -o "$TMP/trivial" $(pkg-config --cflags --libs cpp-httplib)
"$TMP/trivial" $TRIVIAL_PORT 256 "$TMP/body.json" >"$TMP/trivial.log" 2>&1 &
PIDS+=($!)
wait_listening "$TMP/trivial.log"

(cd "$TMP" && npm install --silent --no-audit --no-fund json-server@0.17 >/dev/null 2>&1)
printf '{"customers":[{"id":1,"name":"Ron Swanson","email":"ron@swanson.com"}]}' >"$TMP/db.json"
"$TMP/node_modules/.bin/json-server" --host 127.0.0.1 --port $JS_PORT "$TMP/db.json" >"$TMP/js.log" 2>&1 &
PIDS+=($!)
wait_listening "$TMP/js.log"

# rps CONNS URL [wrk args...]: requests/s (2xx only counted by wrk's total; non-2xx reported).
rps() {
  local conns=$1 url=$2; shift 2
  wrk -t2 -c"$conns" -d"${DURATION}s" --latency "$@" "$url" >"$TMP/wrk.txt"
  if grep -q "Non-2xx" "$TMP/wrk.txt"; then echo "non-2xx answers: $(grep Non-2xx "$TMP/wrk.txt")" >&2; fi
  awk '/Requests\/sec/ {printf "%.0f", $2}' "$TMP/wrk.txt"
}

printf '\n%-44s %12s %12s %12s\n' "GET, requests/s" "64 conns" "256 conns" ""
declare -A R
for c in 64 256; do
  R[gw$c]=$(rps $c "$GW/v2/customers/$ID" -H "Authorization: Bearer $TOKEN")
  R[tr$c]=$(rps $c "http://127.0.0.1:$TRIVIAL_PORT/v2/customers/$ID")
  R[js$c]=$(rps $c "http://127.0.0.1:$JS_PORT/customers/1")
done
printf '%-44s %12s %12s\n' "gateway GET /v2/customers/:id" "${R[gw64]}" "${R[gw256]}"
printf '%-44s %12s %12s\n' "trivial cpp-httplib handler" "${R[tr64]}" "${R[tr256]}"
printf '%-44s %12s %12s\n' "json-server 0.17 GET /customers/1" "${R[js64]}" "${R[js256]}"
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2fx", a / b }'; }
printf '%-44s %12s %12s\n' "gateway / trivial" "$(ratio "${R[gw64]}" "${R[tr64]}")" "$(ratio "${R[gw256]}" "${R[tr256]}")"
printf '%-44s %12s %12s\n' "gateway / json-server" "$(ratio "${R[gw64]}" "${R[js64]}")" "$(ratio "${R[gw256]}" "${R[js256]}")"

echo
CREATES=$(rps 64 "$GW" -H "Authorization: Bearer $TOKEN" -s scripts/bench/post_customer.lua)
echo "durable creates/s, 64 connections (POST /v2/customers, synchronous=FULL): $CREATES"
ALONE=$(rps 32 "$GW/v2/customers/$ID" -H "Authorization: Bearer $TOKEN")
wrk -t1 -c32 -d"$((DURATION + 1))s" -H "Authorization: Bearer $TOKEN" -s scripts/bench/post_customer.lua "$GW" \
  >"$TMP/creates-beside.txt" &
BESIDE_PID=$!
sleep 0.5
BESIDE=$(rps 32 "$GW/v2/customers/$ID" -H "Authorization: Bearer $TOKEN")
wait $BESIDE_PID
echo "GET/s at 32 connections alone: $ALONE; beside 32 connections of creates: $BESIDE" \
  "($(awk -v a="$BESIDE" -v b="$ALONE" 'BEGIN { printf "%.0f %%", 100 * a / b }') of alone;" \
  "creates meanwhile $(awk '/Requests\/sec/ {printf "%.0f/s", $2}' "$TMP/creates-beside.txt"))"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
