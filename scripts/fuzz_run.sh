#!/usr/bin/env bash
# Runs one fuzz target for a bounded time over a seed corpus; any crash, sanitizer report,
# leak or input slower than 25 s fails and prints "reproducer: <path>".
# Usage: scripts/fuzz_run.sh [--engine libfuzzer|driver] TARGET CORPUS_DIR SECONDS [WORK_DIR]
#   libfuzzer: TARGET -max_total_time=SECONDS over WORK_DIR/corpus (new inputs) and CORPUS_DIR;
#              reproducers are written as WORK_DIR/crash-*, leak-*, timeout-*, oom-*.
#   driver:    TARGET runs every file of CORPUS_DIR, then mutants until SECONDS have passed.
# The engine defaults to the one named in engine.txt beside TARGET (written by fuzz/CMakeLists.txt).
# Extra libFuzzer flags can be given in $FUZZ_FLAGS (e.g. "-runs=1000000 -max_len=65536").
set -euo pipefail
engine=""
if [ "${1:-}" = "--engine" ]; then engine=$2; shift 2; fi
[ $# -ge 3 ] || { echo "usage: $0 [--engine E] TARGET CORPUS_DIR SECONDS [WORK_DIR]" >&2; exit 2; }
target=$1 corpus=$2 seconds=$3
work=${4:-$(mktemp -d)}
mkdir -p "$work/corpus"
[ -d "$corpus" ] || { echo "error: corpus $corpus is missing (run scripts/fuzz_corpus.sh)" >&2; exit 2; }
if [ -z "$engine" ]; then
  engine=$(cat "$(dirname "$target")/engine.txt" 2>/dev/null || echo driver)
fi
name=$(basename "$target")
log=$work/$name.log
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
rm -f "$work"/crash-* "$work"/leak-* "$work"/timeout-* "$work"/oom-*
status=0
if [ "$engine" = libfuzzer ]; then
  # shellcheck disable=SC2086
  "$target" -max_total_time="$seconds" -timeout=25 -rss_limit_mb=2560 -print_final_stats=1 \
    -artifact_prefix="$work/" ${FUZZ_FLAGS:-} "$work/corpus" "$corpus" >"$log" 2>&1 || status=$?
else
  # shellcheck disable=SC2086
  "$target" -max_total_time="$seconds" -timeout=25 -artifact_prefix="$work/" ${FUZZ_FLAGS:-} \
    "$corpus" >"$log" 2>&1 || status=$?
fi
grep -E "^(#[0-9]+ +DONE|stat::number_of_executed_units|fuzz driver:)" "$log" || true
if [ "$status" -ne 0 ]; then
  echo "FAILED: $name exited with status $status; last lines of $log:"
  tail -n 60 "$log"
  for f in "$work"/crash-* "$work"/leak-* "$work"/timeout-* "$work"/oom-*; do
    [ -f "$f" ] && echo "reproducer: $f"
  done
  grep -E "^reproducer: " "$log" || true
  echo "rerun: $target $work/<reproducer>"
  exit 1
fi
echo "$name: ${seconds}s with the $engine engine, no failure (log: $log)"
