#!/usr/bin/env bash
# The checks beyond the README's test command, each runnable on its own:
#
#   scripts/ci-sanitizers.sh clang   warning-free build with clang (-Werror) into build-clang
#   scripts/ci-sanitizers.sh asan    ASan+UBSan build with clang, warnings as errors, into
#                                    build-asan; the unit tests and every black-box suite run
#                                    against it (so CI needs no separate clang build), those on
#                                    PostgreSQL too (ctest starts the throw-away cluster)
#   scripts/ci-sanitizers.sh tsan    TSan build into build-tsan; the group-commit writer's and the
#                                    other concurrency unit tests (not the PostgreSQL suite, which
#                                    needs a server and whose locking happens in the server)
#
# With no argument, asan and tsan run (the asan build is the warning-free
# clang build too). Any sanitizer report fails the step, even one
# written by a gateway process that a test had already stopped: reports go to
# files under <build>/sanitizer-logs, which must stay empty.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs="$(nproc)"
launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)

configure() {  # configure <dir> <cmake args...>
  local dir="$1"
  shift
  CXX=clang++ cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo "${launcher[@]}" "$@" >/dev/null
}

# Fails when any sanitizer wrote a report under <dir>/sanitizer-logs.
check_logs() {
  local logs="$1/sanitizer-logs"
  if compgen -G "$logs/*" >/dev/null; then
    echo "sanitizer reports in $logs:" >&2
    cat "$logs"/* >&2
    return 1
  fi
}

fresh_logs() {
  rm -rf "$1/sanitizer-logs"
  mkdir -p "$1/sanitizer-logs"
  realpath "$1/sanitizer-logs"
}

step_clang() {
  echo "== clang: warning-free build"
  configure build-clang -DGATEWAY_WERROR=ON
  cmake --build build-clang -j"$jobs"
}

step_asan() {
  echo "== asan: ASan+UBSan build, unit tests and black-box suites"
  configure build-asan -DGATEWAY_SANITIZE=address,undefined -DGATEWAY_WERROR=ON
  cmake --build build-asan -j"$jobs"
  local logs
  logs="$(fresh_logs build-asan)"
  # The SDK compatibility suite exercises no gateway code the others do not,
  # and installs from the npm registry; the plain run covers it.
  ASAN_OPTIONS="log_path=$logs/asan:detect_leaks=1:strict_string_checks=1:detect_stack_use_after_return=1" \
  UBSAN_OPTIONS="log_path=$logs/ubsan:print_stacktrace=1" \
    ctest --test-dir build-asan --output-on-failure -E '^blackbox_ep_sdk$' -j2
  check_logs build-asan
}

step_tsan() {
  echo "== tsan: group-commit writer and concurrency unit tests"
  configure build-tsan -DGATEWAY_SANITIZE=thread
  cmake --build build-tsan -j"$jobs" --target unit_tests
  local logs
  logs="$(fresh_logs build-tsan)"
  TSAN_OPTIONS="log_path=$logs/tsan:halt_on_error=1:second_deadlock_stack=1" \
    build-tsan/tests/unit_tests -tc='group commit*,*concurrent*' -tse='postgres*'
  check_logs build-tsan
}

steps=("$@")
((${#steps[@]})) || steps=(asan tsan)
for s in "${steps[@]}"; do
  case "$s" in
    clang | asan | tsan) "step_$s" ;;
    *)
      echo "unknown step: $s (clang, asan, tsan)" >&2
      exit 2
      ;;
  esac
done
