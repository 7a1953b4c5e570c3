#!/usr/bin/env bash
# Runs every libFuzzer target of the fuzz build, starting from the committed seeds in
# fuzz/seeds/<name minus _fuzzer>/. Each runs for the budget its source names in a line
# `// fuzz-seconds: N`, else for SECONDS (first argument, default 20). A crash leaves its input in
# build/fuzz-artifacts/ and fails the run; add such inputs to the seeds as regression tests.
# Optional lines in a fuzzer's source: `// fuzz-max-len: N` (default 4096) and
# `// fuzz-shared-seeds: DIR/GLOB` (extra seeds from ../shared/DIR when that folder exists;
# the shared reference data is never copied into the repository).
set -euo pipefail
cd "$(dirname "$0")/.."
default_seconds=${1:-20}
bin_dir=build/fuzz/fuzz
artifacts=build/fuzz-artifacts
mkdir -p "$artifacts"
status=0
for fuzzer in "$bin_dir"/*_fuzzer; do
  [ -x "$fuzzer" ] || continue
  name=$(basename "$fuzzer")
  corpus=build/fuzz-corpus/${name%_fuzzer}
  mkdir -p "$corpus"
  seeds=fuzz/seeds/${name%_fuzzer}
  [ -d "$seeds" ] && cp -n "$seeds"/* "$corpus"/ 2>/dev/null || true
  seconds=$(sed -n 's|^// fuzz-seconds: *\([0-9]*\).*|\1|p' "fuzz/$name.cc" | head -1)
  seconds=${seconds:-$default_seconds}
  max_len=$(sed -n 's|^// fuzz-max-len: *\([0-9]*\).*|\1|p' "fuzz/$name.cc" | head -1)
  max_len=${max_len:-4096}
  shared_seeds=$(sed -n 's|^// fuzz-shared-seeds: *\([A-Za-z0-9_./*-]*\).*|\1|p' "fuzz/$name.cc" | head -1)
  if [ -n "$shared_seeds" ] && [ -d "../shared/$(dirname "$shared_seeds")" ]; then
    # shellcheck disable=SC2086  # the glob is meant to expand
    cp -n ../shared/$shared_seeds "$corpus"/ 2>/dev/null || true
  fi
  echo "fuzz: $name for ${seconds}s"
  if "$fuzzer" -max_total_time="$seconds" -max_len="$max_len" -timeout=10 -rss_limit_mb=2048 \
       -artifact_prefix="$artifacts/$name-" -print_final_stats=1 "$corpus" \
       >"$artifacts/$name.log" 2>&1; then
    echo "fuzz: $name ok ($(grep -m1 -o 'stat::number_of_executed_units: *[0-9]*' "$artifacts/$name.log" | awk '{print $2}') runs)"
  else
    echo "fuzz: $name FAILED; last lines of $artifacts/$name.log:"
    tail -30 "$artifacts/$name.log"
    status=1
  fi
done
exit $status
