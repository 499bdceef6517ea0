# Sourced by the benchmark scripts: the database options they share.
#
#   --db URL            a PostgreSQL server (postgresql://user@host:port/db,
#                       no query parameters) whose user may create databases:
#                       the run makes scratch databases there
#                       (bench_<pid>_<name>) and drops them afterwards
#   --engine postgres   starts a throw-away cluster (scripts/pg-cluster.sh) for
#                       the run and removes it afterwards
#
# Without either, SQLite files under $TMP. After parse_db_options "$@", ARGS
# holds the remaining arguments; bench_db NAME sets DB to the database for
# NAME (a file under $TMP, or a fresh PostgreSQL database's URL). Call
# bench_db_cleanup from the EXIT trap.

PG_SERVER=""
PG_CLUSTER_DIR=""
PG_DATABASES=()
ARGS=()

parse_db_options() {
  while (($#)); do
    case $1 in
      --db)
        case $2 in
          postgres://* | postgresql://*) PG_SERVER=$2 ;;
          *) echo "--db: a postgresql:// URL (SQLite is the default)" >&2; exit 2 ;;
        esac
        shift 2 ;;
      --engine)
        [[ $2 == postgres ]] || { echo "--engine: only postgres (SQLite is the default)" >&2; exit 2; }
        PG_CLUSTER_DIR=$(mktemp -d /tmp/bench-pg-XXXXXX)
        PG_SERVER=$(scripts/pg-cluster.sh start "$PG_CLUSTER_DIR")
        shift 2 ;;
      *) ARGS+=("$1"); shift ;;
    esac
  done
}

engine_name() {
  if [[ -n $PG_SERVER ]]; then
    echo "PostgreSQL $(psql -X -At -d "$PG_SERVER" -c 'SHOW server_version' | cut -d' ' -f1)"
  else
    echo "SQLite"
  fi
}

bench_db() {
  local name=$1
  if [[ -z $PG_SERVER ]]; then
    DB="$TMP/$name.db"
    return
  fi
  local db="bench_$$_$name"
  psql -X -q -d "$PG_SERVER" -c "CREATE DATABASE $db" >/dev/null
  PG_DATABASES+=("$db")
  # The server URL with its database replaced.
  DB="${PG_SERVER%/*}/$db"
}

bench_db_cleanup() {
  if [[ -n $PG_CLUSTER_DIR ]]; then
    scripts/pg-cluster.sh stop "$PG_CLUSTER_DIR" || true
  elif [[ -n $PG_SERVER ]]; then
    for db in "${PG_DATABASES[@]}"; do
      psql -X -q -d "$PG_SERVER" -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null || true
    done
  fi
}
