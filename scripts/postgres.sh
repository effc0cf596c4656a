#!/usr/bin/env bash
# A throwaway PostgreSQL server on loopback, for tests and local experiments.
#
#   scripts/postgres.sh start    install Debian's postgresql when missing, create a cluster (once),
#                                start it on 127.0.0.1 on a free port, create the database, and print
#                                the DATABASE_URL on stdout (everything else goes to stderr)
#   scripts/postgres.sh url      print the DATABASE_URL of the running server
#   scripts/postgres.sh status   exit 0 when the server runs
#   scripts/postgres.sh stop     stop the server (the data stays; `start` reuses it)
#   scripts/postgres.sh destroy  stop the server and delete its data
#
# Usage: export DATABASE_URL=$(scripts/postgres.sh start)
#
# Where: LP_PG_DIR (default var/postgres; as root, /tmp/learningpaths-postgres-<checkout hash>,
# owned by the "postgres" user because PostgreSQL refuses to run as root). The server listens on
# 127.0.0.1 only, with a unix socket inside LP_PG_DIR, and password (scram) authentication with a
# random password kept in LP_PG_DIR/password (mode 600). It runs with fsync off: a test cluster,
# never production data (see docs/deploy.md for a real one).
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DB_NAME="${LP_PG_DB:-learningpaths}"
DB_USER="${LP_PG_USER:-learningpaths}"
if [ "$(id -u)" = 0 ]; then
    DEFAULT_DIR="${TMPDIR:-/tmp}/learningpaths-postgres-$(printf %s "$ROOT" | md5sum | cut -c1-8)"
else
    DEFAULT_DIR="$ROOT/var/postgres"
fi
DIR="${LP_PG_DIR:-$DEFAULT_DIR}"
DATA="$DIR/data"
LOG="$DIR/server.log"

say() { echo "postgres.sh: $*" >&2; }

bindir() {
    local d
    d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
    [ -n "$d" ] && [ -x "$d/initdb" ] && echo "$d"
}

install_postgres() {
    if [ -z "$(bindir)" ]; then
        [ "$(id -u)" = 0 ] || { say "PostgreSQL is not installed; run as root or: sudo apt-get install postgresql"; exit 1; }
        say "installing Debian's postgresql"
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq >&2
        apt-get install -y -qq --no-install-recommends postgresql >&2
        # Debian starts a system cluster on 5432; ours is separate and needs none.
        pg_ctlcluster --help >/dev/null 2>&1 && for c in $(ls /etc/postgresql 2>/dev/null); do
            pg_ctlcluster "$c" main stop >/dev/null 2>&1 || true
        done
    fi
    BIN="$(bindir)"
}

# Run a command as the cluster's owner: ourselves, or "postgres" when we are root.
as_owner() {
    if [ "$(id -u)" = 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

running() { [ -n "${BIN:-}" ] && [ -f "$DATA/postmaster.pid" ] && as_owner "$BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1; }

url() {
    echo "postgres://$DB_USER:$(cat "$DIR/password")@127.0.0.1:$(cat "$DIR/port")/$DB_NAME"
}

psql_owner() {
    as_owner "$BIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$DIR" -p "$(cat "$DIR/port")" -U postgres -d postgres "$@"
}

start() {
    install_postgres
    if running; then
        url
        return
    fi
    mkdir -p "$DIR"
    chmod 700 "$DIR"
    if [ "$(id -u)" = 0 ]; then
        chown postgres: "$DIR"
    fi
    if [ ! -f "$DATA/PG_VERSION" ]; then
        say "creating a cluster in $DATA"
        umask 077
        python3 -c 'import secrets; print(secrets.token_urlsafe(24))' > "$DIR/password"
        local pwfile="$DIR/superuser-password"
        python3 -c 'import secrets; print(secrets.token_urlsafe(24))' > "$pwfile"
        [ "$(id -u)" = 0 ] && chown postgres: "$pwfile"
        as_owner "$BIN/initdb" -D "$DATA" -U postgres --pwfile="$pwfile" --auth-local=trust \
            --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 >&2
        rm -f "$pwfile"
        umask 022
    fi
    # A new free port on every start: several checkouts (and CI runs) may share the machine.
    free_port > "$DIR/port"
    [ "$(id -u)" = 0 ] && chown postgres: "$DIR/port" "$DIR/password"
    as_owner "$BIN/pg_ctl" -D "$DATA" -l "$LOG" -w -t 60 start -o \
        "-c listen_addresses=127.0.0.1 -p $(cat "$DIR/port") -c unix_socket_directories='$DIR' \
         -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" >&2 \
        || { say "the server did not start; its log:"; tail -n 30 "$LOG" >&2; exit 1; }
    local pw
    pw=$(cat "$DIR/password")
    if ! psql_owner -tAc "SELECT 1 FROM pg_roles WHERE rolname = '$DB_USER'" | grep -q 1; then
        # CREATEDB: the test runner creates test_<name> databases (one per xdist worker).
        psql_owner -c "CREATE ROLE \"$DB_USER\" LOGIN CREATEDB PASSWORD '$pw'"
    fi
    if ! psql_owner -tAc "SELECT 1 FROM pg_database WHERE datname = '$DB_NAME'" | grep -q 1; then
        psql_owner -c "CREATE DATABASE \"$DB_NAME\" OWNER \"$DB_USER\" ENCODING 'UTF8'"
    fi
    say "running on 127.0.0.1:$(cat "$DIR/port") (data in $DATA; stop with scripts/postgres.sh stop)"
    url
}

stop() {
    BIN="$(bindir || true)"
    if running; then
        as_owner "$BIN/pg_ctl" -D "$DATA" -m fast -w stop >&2
    else
        say "not running"
    fi
}

case "${1:-}" in
    start) start ;;
    stop) stop ;;
    url) BIN="$(bindir || true)"; running || { say "not running"; exit 1; }; url ;;
    status) BIN="$(bindir || true)"; running ;;
    destroy) stop; rm -rf "$DIR"; say "deleted $DIR" ;;
    *) echo "usage: $0 start|url|status|stop|destroy" >&2; exit 2 ;;
esac
