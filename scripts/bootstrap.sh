#!/usr/bin/env bash
# Installs every Debian 12 package m2mrsp needs to build, test, fuzz and run.
# Idempotent: packages already installed are skipped, and apt is not touched when nothing is
# missing. Runs as root, or through sudo when available.
set -euo pipefail

packages=(
  # toolchain
  cmake ninja-build g++ pkg-config
  clang-14 libclang-rt-14-dev            # libFuzzer + sanitizers for the fuzz preset
  clang-format clang-tidy
  # libraries (DESIGN.md §4)
  libssl-dev openssl                     # OpenSSL 3: crypto, TLS; the CLI is an independent oracle
  libgtest-dev libgmock-dev libbenchmark-dev
  libcli11-dev nlohmann-json3-dev libspdlog-dev libfmt-dev
  libboost1.81-dev libpugixml-dev libsqlite3-dev libpq-dev
  # independent implementations used by tests and vector generators
  python3 python3-cryptography libxml2-utils
  postgresql
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "bootstrap: all ${#packages[@]} packages present"
  exit 0
fi

sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "bootstrap: need root or sudo to install: ${missing[*]}" >&2; exit 1; }
  sudo_cmd=(sudo)
fi

echo "bootstrap: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -q
"${sudo_cmd[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
