#!/usr/bin/env bash
# HTTP benchmark: starts a gateway on a temporary database, loads it with wrk
# on loopback and prints requests/s and latency for reads and writes in both
# dialects, plus the server's peak resident memory.
#
#   scripts/bench-http.sh [seconds per run, default 10] [connections, default 256]
#                         [--engine postgres | --db postgresql://...] [--instances N]
#
# SQLite by default; --engine postgres starts a throw-away PostgreSQL cluster,
# --db uses a server you run (see scripts/bench/pg-db.sh). --instances N
# (PostgreSQL only) starts N gateways on the one database and splits the
# connections between them, one wrk per instance at the same time; the
# figures are per instance and summed. THREADS sets each gateway's --threads
# (default 512 on SQLite; 32 on PostgreSQL, where it is also the connection
# pool: N x THREADS must stay under the server's max_connections).
#
# Needs wrk (apt-get install wrk) and a built ./build/customer-gateway.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/bench/pg-db.sh
INSTANCES=1
rest=()
while (($#)); do
  case $1 in
    --instances) INSTANCES=$2; shift 2 ;;
    *) rest+=("$1"); shift ;;
  esac
done
TMP=$(mktemp -d)
PIDS=()
trap 'for p in "${PIDS[@]}"; do kill $p 2>/dev/null || true; wait $p 2>/dev/null || true; done;
      bench_db_cleanup; rm -rf "$TMP"' EXIT
parse_db_options "${rest[@]}"
DURATION=${ARGS[0]:-10}
CONNS=${ARGS[1]:-256}
BIN=${GATEWAY_BIN:-build/customer-gateway}
command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)"; exit 1; }
if ((INSTANCES > 1)) && [[ -z $PG_SERVER ]]; then
  echo "--instances needs PostgreSQL (--engine postgres or --db URL)" >&2
  exit 2
fi
THREADS=${THREADS:-$([[ -n $PG_SERVER ]] && echo 32 || echo 512)}
bench_db bench

BASES=()
for i in $(seq "$INSTANCES"); do
  port=$((18180 + i))
  "$BIN" serve --listen 127.0.0.1:$port --db "$DB" --client-id bench --client-secret bench-secret \
    --jwt-secret bench-jwt --threads "$THREADS" >"$TMP/server$i.log" 2>&1 &
  PIDS+=($!)
  for _ in $(seq 100); do grep -q listening "$TMP/server$i.log" && break; sleep 0.1; done
  grep -q listening "$TMP/server$i.log" || { cat "$TMP/server$i.log"; exit 1; }
  BASES+=("http://127.0.0.1:$port")
done
BASE=${BASES[0]}
TOKEN=$(curl -s -X POST $BASE/oauth/access_token -d grant_type=client_credentials -d client_id=bench \
  -d client_secret=bench-secret | sed -E 's/.*"access_token":"([^"]+)".*/\1/')
ID=$(curl -s -X POST $BASE/v2/customers -H "Authorization: Bearer $TOKEN" \
  -d '{"data":{"type":"customer","name":"Ron Swanson","email":"ron@swanson.com"}}' | sed -E 's/.*"id":"([^"]+)".*/\1/')

# run LABEL PATH [wrk args...]: one wrk per instance at once, CONNS split.
run() {
  local label=$1 path=$2; shift 2
  echo "== $label"
  local conns=$((CONNS / INSTANCES)) i loads=()
  for i in "${!BASES[@]}"; do
    BENCH_PREFIX="bench$i" wrk -t2 -c"$conns" -d"${DURATION}s" --latency -H "Authorization: Bearer $TOKEN" "$@" \
      "${BASES[$i]}$path" >"$TMP/wrk$i.txt" &
    loads+=($!)
  done
  wait "${loads[@]}"
  for i in "${!BASES[@]}"; do
    ((INSTANCES == 1)) || echo "  instance $((i + 1)):"
    grep -E "Requests/sec|Latency  |50%|99%|Non-2xx|Socket errors|requests in" "$TMP/wrk$i.txt"
  done
  if ((INSTANCES > 1)); then
    awk '/Requests\/sec/ { s += $2 } END { printf "  all instances: Requests/sec: %.2f\n", s }' "$TMP"/wrk*.txt
  fi
}

echo "customer-gateway HTTP benchmark: $(engine_name), $INSTANCES instance(s) x $THREADS threads," \
  "$CONNS connections, ${DURATION}s per run, $(nproc) cores"
run "EP GET /v2/customers/:id" "/v2/customers/$ID"
run "MicroBase customer.info (GET, query args)" "/services/customer/v1/customer.info?id=$ID"
run "EP GET /v2/customers?page[limit]=25" "/v2/customers?page%5Blimit%5D=25"
run "EP POST /v2/customers (durable writes)" "" -s scripts/bench/post_customer.lua
echo "== EP GET /v2/customers/:id while 16 clients create customers with passwords (scrypt)"
BENCH_PREFIX=hashing BENCH_PASSWORD="correct horse battery" wrk -t1 -c16 -d"$((DURATION + 2))s" -H "Authorization: Bearer $TOKEN" \
  -s scripts/bench/post_customer.lua "$BASE" \
  >"$TMP/hashing.txt" &
HASHING=$!
sleep 1
run "  reads during hashing" "/v2/customers/$ID"
wait $HASHING
grep -E "Requests/sec" "$TMP/hashing.txt" | sed 's/^/  password creates: /'
for i in "${!PIDS[@]}"; do
  echo "== server $((i + 1)) peak RSS: $(grep VmHWM /proc/${PIDS[$i]}/status | awk '{print $2/1024 " MiB"}')"
done
echo "== customers stored: $(curl -s "$BASE/v2/customers?page%5Blimit%5D=1" -H "Authorization: Bearer $TOKEN" | sed -E 's/.*"results":\{"total":([0-9]+).*/\1/')"
