#!/usr/bin/env bash
# Import/export benchmark: generates COUNT customers with addresses as a
# MicroBase mongoexport (and as Elastic Path v2 objects) with
# scripts/gen-customers.mjs, imports each into a fresh database, re-imports
# (idempotent: nothing changes), exports both formats, and prints records/s.
#
#   scripts/bench-import.sh [COUNT, default 100000]
#
# Needs node and a built ./build/customer-gateway (or GATEWAY_BIN).
set -euo pipefail
cd "$(dirname "$0")/.."
COUNT=${1:-100000}
BIN=${GATEWAY_BIN:-build/customer-gateway}
[[ -x "$BIN" ]] || { echo "no binary at $BIN (run scripts/build.sh)"; exit 1; }
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

node scripts/gen-customers.mjs --format microbase --count "$COUNT" --out "$TMP/mb.jsonl"
node scripts/gen-customers.mjs --format elastic-path --count "$COUNT" --out "$TMP/ep.jsonl"
ADDRESSES=$(grep -o '"address_1"' "$TMP/mb.jsonl" | wc -l)
printf '%s customers, %s addresses, %s MB of mongoexport JSON lines\n\n' "$COUNT" "$ADDRESSES" \
  "$(( $(stat -c %s "$TMP/mb.jsonl") / 1048576 ))"

# Runs one command; prints its wall time and COUNT / time.
run() {
  local label=$1; shift
  local start end
  start=$(date +%s.%N)
  "$@" >"$TMP/out.txt" 2>"$TMP/err.txt" || { local rc=$?; [[ $rc == 3 ]] || { cat "$TMP/err.txt"; exit $rc; }; }
  end=$(date +%s.%N)
  awk -v l="$label" -v s="$start" -v e="$end" -v n="$COUNT" \
    'BEGIN { printf "%-44s %7.2f s %10.0f records/s\n", l, e - s, n / (e - s) }'
}

run "import --from microbase (fresh database)" "$BIN" import --from microbase --db "$TMP/mb.db" "$TMP/mb.jsonl"
grep -E 'created|rejected' "$TMP/out.txt" | tr -s ' ' | paste -sd' ' | sed 's/^/    /'
run "import --from microbase (again: unchanged)" "$BIN" import --from microbase --db "$TMP/mb.db" "$TMP/mb.jsonl"
grep -E 'unchanged' "$TMP/out.txt" | tr -s ' ' | sed 's/^/    /'
run "import --from elastic-path (fresh database)" "$BIN" import --from elastic-path --db "$TMP/ep.db" "$TMP/ep.jsonl"
run "export --to microbase" "$BIN" export --to microbase --db "$TMP/mb.db" "$TMP/out-mb.jsonl"
run "export --to elastic-path" "$BIN" export --to elastic-path --db "$TMP/mb.db" "$TMP/out-ep.jsonl"
