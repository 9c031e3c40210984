#!/usr/bin/env bash
# Installs the Debian packages numfuse builds against, skipping those already present.
# Idempotent: a second run installs nothing and does not touch the network.
set -euo pipefail

packages=(
  g++ make ninja-build ccache pkg-config
  libxsimd-dev libsleef-dev
  libeigen3-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  llvm-16-dev libzstd-dev
  gfortran
  libhwy-dev libfast-float-dev robin-map-dev
)

missing=()
for pkg in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$pkg")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "system packages: all present"
  exit 0
fi

echo "system packages: installing ${missing[*]}"
sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then sudo_cmd=(sudo); fi
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "system packages: done"
