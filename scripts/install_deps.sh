#!/usr/bin/env bash
# Installs litescope's build and test dependencies from Debian packages. Idempotent: packages that
# are already installed are skipped, and nothing is done when all are present.
set -euo pipefail

packages=(
  build-essential cmake ninja-build ccache git python3
  clang libclang-rt-dev clang-format
  libflatbuffers-dev flatbuffers-compiler
  libcli11-dev libfmt-dev nlohmann-json3-dev
  libbenchmark-dev catch2
  libcpuinfo-dev libfp16-dev
)

# Each backend lists what it needs in delegates/<backend>/debian-packages.
root=$(cd "$(dirname "$0")/.." && pwd)
for list in "$root"/delegates/*/debian-packages; do
  [ -f "$list" ] || continue
  read -r -d '' -a backend_packages < "$list" || true  # whitespace-separated names
  packages+=("${backend_packages[@]}")
done

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install_deps: all ${#packages[@]} packages are installed"
  exit 0
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "error: need root or sudo to install: ${missing[*]}" >&2; exit 1; }
  sudo="sudo"
fi
echo "install_deps: installing ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
