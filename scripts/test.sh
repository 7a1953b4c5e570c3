#!/usr/bin/env bash
# The whole test suite: layering check, every GoogleTest suite under ASan+UBSan, the fuzzers
# (FUZZ_SECONDS each, default 60). Assumes scripts/bootstrap.sh has run. ctest's summary is the
# last thing printed.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc)

python3 scripts/check_layering.py

cmake --preset asan
cmake --build --preset asan -j "$jobs"

cmake --preset fuzz
cmake --build --preset fuzz -j "$jobs"
scripts/run_fuzzers.sh "${FUZZ_SECONDS:-60}"

ctest --preset asan -j "$jobs"
