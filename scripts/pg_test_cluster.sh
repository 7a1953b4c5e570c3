#!/usr/bin/env bash
# A throw-away PostgreSQL cluster for the storage conformance tests, from Debian's `postgresql`
# package. It lives under build/pgtest, listens only on a Unix socket in that folder (no TCP
# port), runs as the `postgres` user when we are root (initdb refuses root), and is stopped and
# removed by `stop`.
#   scripts/pg_test_cluster.sh start   prints the libpq connection string on stdout
#   scripts/pg_test_cluster.sh stop
set -euo pipefail
cd "$(dirname "$0")/.."
dir=$(pwd)/build/pgtest
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
port=54329

as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "${1:-}" in
  start)
    [ -x "$bin/initdb" ] || { echo "pg_test_cluster: PostgreSQL server binaries not found" >&2; exit 1; }
    "$0" stop >/dev/null 2>&1 || true
    mkdir -p "$dir"
    if [ "$(id -u)" -eq 0 ]; then
      chown postgres: "$dir"
      # The server must be able to reach its data folder through every parent.
      p=$dir; while [ "$p" != "/" ]; do p=$(dirname "$p"); chmod o+x "$p" 2>/dev/null || true; done
    fi
    as_owner "$bin/initdb" -D "$dir/data" -A trust -U postgres --no-sync >"$dir/initdb.log" 2>&1
    as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
      -o "-k $dir -p $port -h '' -c fsync=off -c full_page_writes=off" start >/dev/null
    echo "host=$dir port=$port user=postgres dbname=postgres"
    ;;
  stop)
    if [ -d "$dir/data" ]; then
      as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$dir"
    ;;
  *)
    echo "usage: $0 start|stop" >&2
    exit 2
    ;;
esac
