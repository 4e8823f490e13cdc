#!/usr/bin/env bash
# CI's bounded fuzz run: builds the fuzz targets with clang's libFuzzer under AddressSanitizer +
# UndefinedBehaviorSanitizer and runs each for SECONDS over a corpus generated now (shared
# models, built-in and synthesized models). Any crash, leak, sanitizer report or slow input
# fails and prints "reproducer: <path>". Without clang++ (or its libFuzzer) the targets build
# as plain drivers, which run the corpus and its mutants for the same time.
# Usage: scripts/fuzz_ci.sh [BUILD_DIR] [SECONDS]   (defaults: build-fuzz-ci, 60)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build-fuzz-ci}
seconds=${2:-60}
compilers=()
if command -v clang++ >/dev/null && command -v clang >/dev/null; then
  compilers=(-DCMAKE_CXX_COMPILER=clang++ -DCMAKE_C_COMPILER=clang)
else
  echo "fuzz_ci: clang++ not found; building plain drivers with the default compiler"
fi
# -O1 keeps the sanitizer build short; libFuzzer runs well at that level.
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release \
  "-DCMAKE_CXX_FLAGS_RELEASE=-O1 -DNDEBUG -gline-tables-only" \
  "-DCMAKE_C_FLAGS_RELEASE=-O1 -DNDEBUG" "${compilers[@]}" \
  -DLITESCOPE_SANITIZE=address,undefined -DLITESCOPE_BUILD_TESTS=OFF \
  -DLITESCOPE_BUILD_BENCH=OFF -DLITESCOPE_BUILD_FUZZ=ON >/dev/null
targets=(fuzz_load fuzz_invoke fuzz_backends)
cmake --build "$build" -j "$(nproc)" --target fuzz_seed_writer "${targets[@]}"
engine=$(cat "$build/fuzz/engine.txt")
"$root/scripts/fuzz_corpus.sh" --seed-writer "$build/fuzz/fuzz_seed_writer" "$build/fuzz/corpus"
# A fixed seed: every CI run replays the same mutation sequence, so a failure reproduces.
export FUZZ_FLAGS=${FUZZ_FLAGS:--seed=1}
status=0
for t in "${targets[@]}"; do
  "$root/scripts/fuzz_run.sh" --engine "$engine" "$build/fuzz/$t" "$build/fuzz/corpus" \
    "$seconds" "$build/fuzz/${t}_work" || status=1
done
exit $status
