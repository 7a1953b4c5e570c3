#!/usr/bin/env bash
# The whole test suite: layering check, every GoogleTest suite under ASan+UBSan (storage also on
# a throw-away PostgreSQL), every fuzzer for its budget (scripts/run_fuzzers.sh).
# Assumes scripts/bootstrap.sh has run. ctest's summary is the last thing printed.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc)

python3 scripts/check_layering.py

cmake --preset asan
cmake --build --preset asan -j "$jobs"

cmake --preset fuzz
cmake --build --preset fuzz -j "$jobs" --target fuzzers
scripts/run_fuzzers.sh

# The storage conformance suite also runs against a real PostgreSQL server.
if pg_conn=$(scripts/pg_test_cluster.sh start); then
  export M2MRSP_TEST_PG="$pg_conn"
  trap 'scripts/pg_test_cluster.sh stop' EXIT
else
  echo "test: could not start the PostgreSQL test cluster; its cases will report SKIPPED" >&2
fi

ctest --preset asan -j "$jobs"
