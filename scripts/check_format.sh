#!/usr/bin/env bash
# Checks that every tracked C++ file is formatted by the project's .clang-format (CI's first
# stage). Prints the files that differ and how to fix them; exit 1 when any does.
# Usage: scripts/check_format.sh [--fix]   (--fix rewrites the files in place)
# Formatting differs between clang-format releases: this uses clang-format-14 (Debian 12's),
# or whatever `clang-format` is when that is missing, and says which.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
tool=$(command -v clang-format-14 || command -v clang-format || true)
if [ -z "$tool" ]; then
  echo "error: clang-format not found; install the Debian package 'clang-format'" >&2
  exit 1
fi
mapfile -t files < <(git ls-files '*.h' '*.cc' '*.cpp')
if [ "${1:-}" = "--fix" ]; then
  "$tool" -i "${files[@]}"
  echo "check_format: formatted ${#files[@]} files with $("$tool" --version)"
  exit 0
fi
bad=()
for f in "${files[@]}"; do
  "$tool" --dry-run -Werror "$f" >/dev/null 2>&1 || bad+=("$f")
done
if [ ${#bad[@]} -ne 0 ]; then
  printf 'not formatted: %s\n' "${bad[@]}"
  echo "check_format: ${#bad[@]} of ${#files[@]} files differ from .clang-format" \
       "($("$tool" --version)); run scripts/check_format.sh --fix" >&2
  exit 1
fi
echo "check_format: ${#files[@]} files formatted ($("$tool" --version))"
