#!/usr/bin/env bash
# Listing latency at scale: builds (once) a database of COUNT generated
# MicroBase customers (1.5 addresses each on average) with
# scripts/gen-customers.mjs and `import`, serves it, and prints p50/p99 of
# listing queries through the real HTTP API, then the server's resident
# memory after the run.
#
#   scripts/bench-list.sh [COUNT, default 1000000] [requests per query, default 200]
#                         [--engine postgres | --db postgresql://...]
#
# The SQLite database is kept in $BENCH_DIR (default /tmp/gateway-bench-COUNT)
# so later runs skip the build; delete it to start over. BASELINE_BIN=<older
# build> measures that build too, in the same run, on a copy of the database
# with the substring index removed (schema version 1, as that build wrote it).
# With --engine postgres (a throw-away cluster) or --db (a server you run, see
# scripts/bench/pg-db.sh) the customers are imported into a scratch
# PostgreSQL database on every run instead (the generated file in a temporary
# folder), and dropped afterwards.
# Needs node, sqlite3 (for the baseline copy) and a built ./build/customer-gateway.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/bench/pg-db.sh
PID=
DIR=
SCRATCH=
trap '[[ -n $PID ]] && { kill $PID 2>/dev/null; wait $PID 2>/dev/null; }; [[ -n $DIR ]] && rm -f "$DIR/server.log";
      bench_db_cleanup; [[ -n $SCRATCH ]] && rm -rf "$SCRATCH"' EXIT
parse_db_options "$@"
COUNT=${ARGS[0]:-1000000}
REQUESTS=${ARGS[1]:-200}
BIN=${GATEWAY_BIN:-build/customer-gateway}
if [[ -n $PG_SERVER ]]; then
  SCRATCH=$(mktemp -d)
  DIR=$SCRATCH
else
  DIR=${BENCH_DIR:-/tmp/gateway-bench-$COUNT}
fi
[[ -x "$BIN" ]] || { echo "no binary at $BIN (run scripts/build.sh)"; exit 1; }
mkdir -p "$DIR"

# build DB PART: imports COUNT generated customers into PART (the database
# itself on PostgreSQL; a file renamed to DB when complete on SQLite).
build() {
  echo "building $1: $COUNT customers ($(engine_name))"
  local start mid end
  start=$(date +%s.%N)
  node scripts/gen-customers.mjs --format microbase --count "$COUNT" --out "$DIR/mb.jsonl"
  mid=$(date +%s.%N)
  /usr/bin/time -f "import peak RSS %M KiB" -o "$DIR/import-rss.txt" \
    "$BIN" import --from microbase --db "$2" "$DIR/mb.jsonl" 2>/dev/null |
    grep -E 'created|rejected' | tr -s ' ' | paste -sd' '
  end=$(date +%s.%N)
  rm -f "$DIR/mb.jsonl"
  awk -v s="$start" -v m="$mid" -v e="$end" -v n="$COUNT" \
    'BEGIN { printf "generated in %.1f s, imported in %.1f s (%.0f records/s)\n", m - s, e - m, n / (e - m) }'
  cat "$DIR/import-rss.txt"
}

if [[ -n $PG_SERVER ]]; then
  [[ -z ${BASELINE_BIN:-} ]] || { echo "BASELINE_BIN works on SQLite only" >&2; exit 2; }
  bench_db list
  build "$DB" "$DB"
elif [[ ! -f "$DIR/customers.db" ]]; then
  build "$DIR/customers.db" "$DIR/customers.db.part"
  mv "$DIR/customers.db.part" "$DIR/customers.db"
  rm -f "$DIR/customers.db.part-wal" "$DIR/customers.db.part-shm"
  DB="$DIR/customers.db"
else
  DB="$DIR/customers.db"
fi

# serve BIN DB: starts a gateway on DB and sets PID and BASE.
serve() {
  "$1" serve --listen 127.0.0.1:0 --db "$2" --client-id bench --client-secret bench-secret \
    --jwt-secret bench-jwt >"$DIR/server.log" 2>&1 &
  PID=$!
  for _ in $(seq 600); do grep -q listening "$DIR/server.log" && break; sleep 0.1; done
  BASE=$(grep -o 'http://[0-9.:]*' "$DIR/server.log" | head -1)
}

stop() {
  kill "$PID"
  wait "$PID" 2>/dev/null || true
  PID=
}

# measure LABEL: the listing queries against the gateway at $BASE.
measure() {
  echo "== $1 ($COUNT customers, $REQUESTS requests per query, one client, keep-alive)"
  node scripts/bench/list-latency.mjs "$BASE" "$REQUESTS"
  echo "server RSS after the run: $(awk '/VmRSS/ {printf "%.0f MiB", $2/1024}' /proc/$PID/status)" \
    "(peak $(awk '/VmHWM/ {printf "%.0f MiB", $2/1024}' /proc/$PID/status))"
}

echo "load average: $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores"
if [[ -n ${BASELINE_BIN:-} ]]; then
  cp "$DIR/customers.db" "$DIR/baseline.db"
  sqlite3 "$DIR/baseline.db" "DROP TRIGGER customers_search_insert; DROP TRIGGER customers_search_delete;
    DROP TRIGGER customers_search_update; DROP TABLE customers_search;
    DROP TABLE customers_search_pending; ALTER TABLE customers DROP COLUMN custom;
    ALTER TABLE addresses DROP COLUMN custom; PRAGMA user_version=1;"
  serve "$BASELINE_BIN" "$DIR/baseline.db"
  measure "baseline: $BASELINE_BIN"
  stop
  rm -f "$DIR"/baseline.db*
fi
serve "$BIN" "$DB"
measure "$BIN ($(engine_name))"
stop
