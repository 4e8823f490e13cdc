#!/usr/bin/env bash
# Installs dependencies, builds litescope with its tests and runs them with ctest.
# Usage: scripts/test.sh [BUILD_DIR] [extra cmake args...]   (default build dir: build-test/)
# Tests that need ../shared (ground-truth models) say that they skip when it is missing.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build-test}
shift || true
"$root/scripts/install_deps.sh"
"$root/scripts/build.sh" "$build" -DLITESCOPE_BUILD_TESTS=ON "$@"
cd "$build"
ctest --output-on-failure -j "$(nproc)" --timeout 1800
