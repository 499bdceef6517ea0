#!/usr/bin/env bash
# A throw-away PostgreSQL cluster for tests and benchmarks. No pre-existing
# server is assumed: the cluster lives entirely in DIR and listens on
# 127.0.0.1:PORT and on a socket in DIR, trusting local connections as the
# superuser "postgres". Run as root, the server runs as the unprivileged
# "postgres" user (PostgreSQL refuses to run as root).
#
#   scripts/pg-cluster.sh start DIR [PORT]   initdb into DIR (if empty) and start;
#                                            prints the connection URL
#   scripts/pg-cluster.sh url DIR            prints the URL of a started cluster
#   scripts/pg-cluster.sh halt DIR           stops the server, keeps the data
#   scripts/pg-cluster.sh resume DIR         starts a halted server again
#   scripts/pg-cluster.sh stop DIR           stops the server and removes DIR
set -euo pipefail

usage() { sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
(($# >= 2)) || usage
cmd=$1 dir=$2 port=${3:-}

bindir=""
for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
  [[ -x $d/initdb ]] && { bindir=$d; break; }
done
[[ -n $bindir ]] || { echo "pg-cluster: no PostgreSQL server found (scripts/install-deps.sh installs it)" >&2; exit 1; }

as_owner() {
  if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

start_server() {
  as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
    -o "-p $(cat "$dir/port") -k $dir -c listen_addresses=127.0.0.1" start >/dev/null
}

print_url() { echo "postgresql://postgres@127.0.0.1:$(cat "$dir/port")/postgres"; }

case $cmd in
  start)
    mkdir -p "$dir"
    dir=$(cd "$dir" && pwd)
    [[ $(id -u) -eq 0 ]] && chown postgres: "$dir"
    if [[ ! -f $dir/data/PG_VERSION ]]; then
      as_owner "$bindir/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
      echo "${port:-$(free_port)}" > "$dir/port"
    fi
    start_server
    print_url
    ;;
  url) print_url ;;
  halt) as_owner "$bindir/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null ;;
  resume) start_server ;;
  stop)
    if [[ -f $dir/data/postmaster.pid ]]; then
      as_owner "$bindir/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null || true
    fi
    rm -rf "$dir"
    ;;
  *) usage ;;
esac
