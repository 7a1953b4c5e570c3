#!/usr/bin/env bash
# The two entry points README.md documents; both start from a fresh Debian 12 machine.
#   ./dev.sh demo [ARGS...]   install dependencies, build (release), run `m2mrsp demo`
#   ./dev.sh test             install dependencies, build, run the whole test suite
set -euo pipefail
cd "$(dirname "$0")"

case "${1:-}" in
  demo)
    shift
    scripts/bootstrap.sh
    cmake --preset release
    cmake --build --preset release -j "$(nproc)"
    exec build/release/src/app/m2mrsp demo "$@"
    ;;
  test)
    scripts/bootstrap.sh
    exec scripts/test.sh
    ;;
  *)
    echo "usage: ./dev.sh demo [ARGS...] | ./dev.sh test" >&2
    exit 2
    ;;
esac
