#!/usr/bin/env bash
# Generates the fuzz seed corpus at test time (nothing of it is committed).
# Usage: scripts/fuzz_corpus.sh [--seed-writer PATH] [--max-bytes N] OUT_DIR
# OUT_DIR gets copies of the models in SHARED/models and SHARED/conformance/dev/models that are
# at most N bytes (default 1 MiB: bigger models make each execution slow), and, with
# --seed-writer (build/fuzz/fuzz_seed_writer), the built-in sample models and synthesized ones.
# SHARED is $LITESCOPE_SHARED_DIR, else ../shared beside the checkout; when it is missing only the
# generated seeds are written.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
writer=""
max_bytes=$((1024 * 1024))
while [ $# -gt 1 ]; do
  case "$1" in
    --seed-writer) writer=$2; shift 2 ;;
    --max-bytes) max_bytes=$2; shift 2 ;;
    *) echo "error: unknown option $1" >&2; exit 2 ;;
  esac
done
[ $# -eq 1 ] || { echo "usage: $0 [--seed-writer PATH] [--max-bytes N] OUT_DIR" >&2; exit 2; }
out=$1
shared=${LITESCOPE_SHARED_DIR:-$root/../shared}

mkdir -p "$out"
find "$out" -maxdepth 1 -type f -name '*.tflite' -delete
copied=0
for pair in "models:shared" "conformance/dev/models:conformance"; do
  dir=$shared/${pair%%:*}
  prefix=${pair##*:}
  [ -d "$dir" ] || continue
  for f in "$dir"/*.tflite; do
    [ -f "$f" ] || continue
    if [ "$(stat -c %s "$f")" -le "$max_bytes" ]; then
      cp "$f" "$out/${prefix}_$(basename "$f")"
      copied=$((copied + 1))
    fi
  done
done
[ -d "$shared" ] || echo "fuzz_corpus: $shared is missing; using generated seeds only"
if [ -n "$writer" ]; then
  "$writer" "$out"
fi
echo "fuzz_corpus: $(find "$out" -maxdepth 1 -type f -name '*.tflite' | wc -l) seeds in $out" \
     "($copied from $shared)"
