#!/usr/bin/env bash
# Import/export benchmark: generates COUNT customers with addresses as a
# MicroBase mongoexport (and as Elastic Path v2 objects) with
# scripts/gen-customers.mjs, imports each into a fresh database, re-imports
# (idempotent: nothing changes), exports both formats, and prints records/s.
#
#   [BASELINE_BIN=...] scripts/bench-import.sh [COUNT, default 100000] [--engine postgres | --db postgresql://...]
#
# SQLite files by default; --engine postgres starts a throw-away PostgreSQL
# cluster, --db uses a server you run (see scripts/bench/pg-db.sh).
# BASELINE_BIN=<older build> also imports the MicroBase file with that build,
# into a fresh database of its own, first, for a side-by-side figure. Each
# line gives wall time, records/s, CPU time (user + sys, from /usr/bin/time)
# per record — steadier than wall time on a shared machine — and peak RSS.
# Needs node and a built ./build/customer-gateway (or GATEWAY_BIN).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/bench/pg-db.sh
TMP=$(mktemp -d)
trap 'bench_db_cleanup; rm -rf "$TMP"' EXIT
parse_db_options "$@"
COUNT=${ARGS[0]:-100000}
BIN=${GATEWAY_BIN:-build/customer-gateway}
[[ -x "$BIN" ]] || { echo "no binary at $BIN (run scripts/build.sh)"; exit 1; }

node scripts/gen-customers.mjs --format microbase --count "$COUNT" --out "$TMP/mb.jsonl"
node scripts/gen-customers.mjs --format elastic-path --count "$COUNT" --out "$TMP/ep.jsonl"
ADDRESSES=$(grep -o '"address_1"' "$TMP/mb.jsonl" | wc -l)
printf '%s: %s customers, %s addresses, %s MB of mongoexport JSON lines\n\n' "$(engine_name)" "$COUNT" "$ADDRESSES" \
  "$(( $(stat -c %s "$TMP/mb.jsonl") / 1048576 ))"

# Runs one command; prints its wall time, COUNT / time, CPU per record and peak RSS.
run() {
  local label=$1; shift
  local start end
  start=$(date +%s.%N)
  /usr/bin/time -f "%U %S %M" -o "$TMP/time.txt" "$@" >"$TMP/out.txt" 2>"$TMP/err.txt" ||
    { local rc=$?; [[ $rc == 3 ]] || { cat "$TMP/err.txt"; exit $rc; }; }
  end=$(date +%s.%N)
  read -r user sys rss < <(tail -1 "$TMP/time.txt")
  awk -v l="$label" -v s="$start" -v e="$end" -v n="$COUNT" -v u="$user" -v y="$sys" -v r="$rss" \
    'BEGIN { printf "%-44s %7.2f s %10.0f records/s %6.1f us CPU/record %6.1f MB\n", l, e - s, n / (e - s), (u + y) * 1e6 / n, r / 1024 }'
}

echo "load average: $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores"
if [[ -n ${BASELINE_BIN:-} ]]; then
  bench_db baseline
  run "baseline: import --from microbase (fresh)" "$BASELINE_BIN" import --from microbase --db "$DB" "$TMP/mb.jsonl"
  bench_db baseline-ep
  run "baseline: import --from elastic-path (fresh)" "$BASELINE_BIN" import --from elastic-path --db "$DB" "$TMP/ep.jsonl"
fi
bench_db mb
MB_DB=$DB
bench_db ep
EP_DB=$DB
run "import --from microbase (fresh database)" "$BIN" import --from microbase --db "$MB_DB" "$TMP/mb.jsonl"
grep -E 'created|rejected' "$TMP/out.txt" | tr -s ' ' | paste -sd' ' | sed 's/^/    /'
run "import --from microbase (again: unchanged)" "$BIN" import --from microbase --db "$MB_DB" "$TMP/mb.jsonl"
grep -E 'unchanged' "$TMP/out.txt" | tr -s ' ' | sed 's/^/    /'
run "import --from elastic-path (fresh database)" "$BIN" import --from elastic-path --db "$EP_DB" "$TMP/ep.jsonl"
run "export --to microbase" "$BIN" export --to microbase --db "$MB_DB" "$TMP/out-mb.jsonl"
run "export --to elastic-path" "$BIN" export --to elastic-path --db "$MB_DB" "$TMP/out-ep.jsonl"
