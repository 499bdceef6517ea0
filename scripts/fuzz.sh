#!/usr/bin/env bash
# Builds the libFuzzer targets (clang, ASan+UBSan) into build-fuzz and runs
# each for SECONDS (default 60), one after another:
#
#   scripts/fuzz.sh [SECONDS] [TARGET...]      e.g. scripts/fuzz.sh 3600 jwt
#
# Targets: ep_filter ep_json_body mb_arguments jwt import_microbase
# import_elastic_path http_request_guard. Each starts from its seed corpus (tests/fuzz/corpus/<target>,
# read only) and a working corpus kept in build-fuzz/corpus/<target>, so a long
# campaign resumes where the last run stopped. A crashing input is written to
# build-fuzz/findings/<target>/ and fails the script; copy it into the seed
# corpus together with the fix. Prints a table of executions per target.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"
shift || true
targets=("$@")
((${#targets[@]})) || targets=(ep_filter ep_json_body mb_arguments jwt import_microbase import_elastic_path http_request_guard)

launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
CXX=clang++ cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DGATEWAY_FUZZ=ON \
  -DBUILD_TESTING=OFF "${launcher[@]}" >/dev/null
cmake --build build-fuzz -j"$(nproc)" --target "${targets[@]/#/fuzz_}"

summary=()
failed=0
for t in "${targets[@]}"; do
  work="build-fuzz/corpus/$t"
  findings="build-fuzz/findings/$t"
  mkdir -p "$work" "$findings"
  log="build-fuzz/$t.log"
  echo "== fuzz_$t for ${seconds}s"
  status=0
  build-fuzz/tests/fuzz/"fuzz_$t" -max_total_time="$seconds" -print_final_stats=1 \
    -max_len=65536 -timeout=10 -rss_limit_mb=2048 -artifact_prefix="$findings/" \
    "$work" "tests/fuzz/corpus/$t" >"$log" 2>&1 || status=$?
  execs="$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)"
  if ((status != 0)); then
    failed=1
    tail -40 "$log"
    summary+=("$t ${execs:-?} FINDING (see $log and $findings)")
  else
    summary+=("$t ${execs:-?} ok")
  fi
done
echo "== fuzz summary (${seconds}s per target): target executions result"
printf '%s\n' "${summary[@]}"
exit "$failed"
