#!/usr/bin/env bash
# Overload benchmark: a fresh client's GET latency and success count while
# (a) 1,000 silent connections, (b) 1,000 slowloris connections, (c) 500
# concurrent password logins and (d) 1,000 keep-alive clients run, beside a
# no-load baseline; then the server's peak RSS under the memory probes
# (chunked and gzip bombs, a huge request line, millions of headers, 128
# concurrent 1 MiB bodies), each on a fresh gateway. Loopback only.
#
#   scripts/bench-overload.sh [seconds per scenario, default 10]
#
# BASELINE_BIN=path runs the same against another build (e.g. an older
# commit) first, for a side-by-side comparison in the same run.
# SCENARIOS="baseline silent slowloris logins keepalive" picks scenarios.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_PER=${1:-10}
BIN=${GATEWAY_BIN:-build/customer-gateway}
TMP=$(mktemp -d)
PORT=18191
PID=
trap '[[ -n $PID ]] && kill $PID 2>/dev/null; wait 2>/dev/null; rm -rf "$TMP"' EXIT

start() {  # start BIN EXTRA_ARGS...
  local bin=$1; shift
  rm -f "$TMP"/bench.db*
  "$bin" serve --listen 127.0.0.1:$PORT --db "$TMP/bench.db" --client-id bench --client-secret bench-secret \
    --jwt-secret bench-jwt "$@" >"$TMP/server.log" 2>&1 &
  PID=$!
  for _ in $(seq 100); do grep -q listening "$TMP/server.log" && return; sleep 0.1; done
  echo "gateway did not start"; cat "$TMP/server.log"; exit 1
}
stop() { kill $PID 2>/dev/null; wait $PID 2>/dev/null || true; PID=; }
peak() { awk '/VmHWM/ {printf "%.0f MiB", $2/1024}' /proc/$PID/status 2>/dev/null || echo "(server gone)"; }
rss() { awk '/VmRSS/ {printf "%.0f MiB", $2/1024}' /proc/$PID/status 2>/dev/null || echo "(server gone)"; }
BASE=http://127.0.0.1:$PORT
token() {
  curl -s -X POST $BASE/oauth/access_token -d grant_type=client_credentials -d client_id=bench \
    -d client_secret=bench-secret | sed -E 's/.*"access_token":"([^"]+)".*/\1/'
}

overload() {  # overload BIN LABEL: each scenario on a fresh gateway
  local bin=$1 label=$2
  # The login limits would answer most of (c) with 429 (one loopback address,
  # one account); they are lifted so the logins reach the hash queue.
  local lift=()
  "$bin" serve --help | grep -q -- --login-rate-per-address &&
    lift=(--login-rate-per-address 1000000 --login-rate-per-account 1000000)
  echo "== $label: fresh-connection GET /v2/customers/:id, ${SECONDS_PER}s per scenario"
  for scenario in ${SCENARIOS:-baseline silent slowloris logins keepalive}; do
    start "$bin" "${lift[@]}"
    local tok id
    tok=$(token)
    id=$(curl -s -X POST $BASE/v2/customers -H "Authorization: Bearer $tok" \
      -d '{"data":{"type":"customer","name":"Ron Swanson","email":"ron@swanson.com","password":"correct horse"}}' |
      sed -E 's/.*"id":"([^"]+)".*/\1/')
    local line
    line=$(SCENARIOS=$scenario node scripts/bench/overload.mjs "$BASE" "$tok" "$id" "$SECONDS_PER")
    echo "  $line; server peak RSS $(peak)"
    stop
  done
}

memory() {  # memory BIN LABEL
  local bin=$1 label=$2
  echo "== $label: memory probes, one client each"
  start "$bin"
  local mbtok
  mbtok=$(curl -s -X POST $BASE/services/oauth/v2/token -d grant_type=client_credentials -d client_id=bench \
    -d client_secret=bench-secret | sed -E 's/.*"access_token":"([^"]+)".*/\1/')
  echo "  idle RSS: $(peak)"
  timeout 120 node scripts/bench/memory-probes.mjs "$BASE" "$mbtok" | sed 's/^/  /' || echo "  (probes timed out)"
  echo "  peak RSS after the probes: $(peak); now: $(rss)"
  stop
}

echo "customer-gateway overload benchmark, $(nproc) cores, $(date -u +%FT%TZ)"
if [[ -n ${BASELINE_BIN:-} ]]; then
  overload "$BASELINE_BIN" "baseline build ($BASELINE_BIN)"
  memory "$BASELINE_BIN" "baseline build ($BASELINE_BIN)"
fi
overload "$BIN" "this build"
memory "$BIN" "this build"
