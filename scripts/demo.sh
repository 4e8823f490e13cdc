#!/usr/bin/env bash
# The main job on a fresh Debian machine: install dependencies, build (Release), then analyze and
# run the built-in MobileNet-like model. Needs no file outside the repository.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/install_deps.sh"
"$root/scripts/build.sh" "$root/build" -DLITESCOPE_BUILD_TESTS=OFF
bin=$root/build/apps
model=${1:-builtin:mobilenet_like}

echo "== tflite_analyze $model"
"$bin/tflite_analyze/tflite_analyze" "$model"
if [ -x "$bin/benchmark_model/benchmark_model" ]; then
  echo "== benchmark_model --graph=$model"
  "$bin/benchmark_model/benchmark_model" --graph="$model" --num_runs=50 --enable_op_profiling=true
else
  echo "== tflite_run $model"
  out=$(mktemp -d)
  "$bin/tflite_run/tflite_run" --model "$model" --fill random --output-dir "$out"
  rm -rf "$out"
fi
