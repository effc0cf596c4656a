#!/usr/bin/env bash
# A throwaway Redis server on loopback, for tests and local experiments (like scripts/postgres.sh).
#
#   scripts/redis.sh start    install Debian's redis-server when missing, start it on 127.0.0.1 on a
#                             free port (once; a running one is reused), and print the CACHE_URL on
#                             stdout (everything else goes to stderr)
#   scripts/redis.sh url      print the CACHE_URL of the running server
#   scripts/redis.sh status   exit 0 when the server runs
#   scripts/redis.sh stop     stop the server
#
# Usage: export CACHE_URL=$(scripts/redis.sh start)
#
# Where: LP_REDIS_DIR (default var/redis; as root, /tmp/learningpaths-redis-<checkout hash>). The
# server listens on 127.0.0.1 only, with a random password kept in LP_REDIS_DIR/password (mode 600),
# keeps nothing on disk (no RDB snapshots, no AOF) and holds at most 256 MB: a cache for tests,
# not a production server (see docs/deploy.md).
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
if [ "$(id -u)" = 0 ]; then
    DEFAULT_DIR="${TMPDIR:-/tmp}/learningpaths-redis-$(printf %s "$ROOT" | md5sum | cut -c1-8)"
else
    DEFAULT_DIR="$ROOT/var/redis"
fi
DIR="${LP_REDIS_DIR:-$DEFAULT_DIR}"

say() { echo "redis.sh: $*" >&2; }

install_redis() {
    if ! command -v redis-server >/dev/null 2>&1; then
        [ "$(id -u)" = 0 ] || { say "Redis is not installed; run as root or: sudo apt-get install redis-server"; exit 1; }
        say "installing Debian's redis-server"
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq >&2
        apt-get install -y -qq --no-install-recommends redis-server >&2
        # Debian starts a system server on 6379 where there is an init system; ours is separate.
        (service redis-server stop || systemctl stop redis-server) >/dev/null 2>&1 || true
    fi
}

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

cli() { redis-cli -h 127.0.0.1 -p "$(cat "$DIR/port")" --no-auth-warning -a "$(cat "$DIR/password")" "$@"; }

running() { [ -f "$DIR/port" ] && [ -f "$DIR/password" ] && cli ping 2>/dev/null | grep -q PONG; }

url() { echo "redis://:$(cat "$DIR/password")@127.0.0.1:$(cat "$DIR/port")/0"; }

start() {
    install_redis
    if running; then
        url
        return
    fi
    mkdir -p "$DIR"
    chmod 700 "$DIR"
    [ -f "$DIR/password" ] || (umask 077; python3 -c 'import secrets; print(secrets.token_urlsafe(24))' > "$DIR/password")
    # A new free port on every start: several checkouts (and CI runs) may share the machine.
    free_port > "$DIR/port"
    (umask 077; printf 'requirepass %s\n' "$(cat "$DIR/password")" > "$DIR/redis.conf")
    redis-server "$DIR/redis.conf" --bind 127.0.0.1 --port "$(cat "$DIR/port")" --daemonize yes \
        --pidfile "$DIR/redis.pid" --logfile "$DIR/server.log" --dir "$DIR" --save "" --appendonly no \
        --maxmemory 256mb --maxmemory-policy allkeys-lru >&2
    for _ in $(seq 50); do
        running && break
        sleep 0.1
    done
    running || { say "the server did not start; its log:"; tail -n 30 "$DIR/server.log" >&2; exit 1; }
    say "running on 127.0.0.1:$(cat "$DIR/port") (stop with scripts/redis.sh stop)"
    url
}

stop() {
    if running; then
        cli shutdown nosave >/dev/null 2>&1 || true
    else
        say "not running"
    fi
}

case "${1:-}" in
    start) start ;;
    stop) stop ;;
    url) running || { say "not running"; exit 1; }; url ;;
    status) running ;;
    *) echo "usage: $0 start|url|status|stop" >&2; exit 2 ;;
esac
