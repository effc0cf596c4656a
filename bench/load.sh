#!/usr/bin/env bash
# Load test: wrk on loopback against gunicorn (deploy/gunicorn.conf.py) serving the built content.
#
#   bench/load.sh                              60 s at 64 connections per target (the recorded run)
#   DURATION=10s CONNECTIONS=32 bench/load.sh  a quick run
#
# Four targets, one after the other: the catalogue (/), a lesson of the deep_learning path (the
# path player on a node with cells, a widget and a question), the API's path document and the same
# lesson for a signed-in student. Each gets a 3 s warm-up (every worker fills its memo), then
# DURATION of load; the script prints, per target, requests/s, p50/p99 latency, responses that were
# not 2xx, socket errors and server CPU per request, and then the goals, on 2 cores with 0 errors:
# >= 500 requests/s for anonymous pages; for the signed-in student >= 300 requests/s and a server
# CPU cost per page <= 3x the anonymous lesson's.
#
# Production settings (DEBUG=0, WhiteNoise, a random SECRET_KEY) with a throwaway VAR_DIR: the
# script migrates a fresh SQLite database, compiles content/ into it and collects the static files
# (about 15 s), and deletes it all at the end. Requests are anonymous (no cookies), except the
# student's, which carry one student's session cookie (a revisit of the step: no writes).
#
# Environment (all optional):
#   DURATION=60s CONNECTIONS=64 WRK_THREADS=2   wrk's -d, -c and -t
#   GUNICORN_WORKERS, GUNICORN_THREADS, ...     see deploy/gunicorn.conf.py (default: one gthread
#                                               worker per core, 4 threads)
#   SERVER_CPUS=0,1 WRK_CPUS=2,3                pin gunicorn and wrk with taskset (on a machine
#                                               with more cores, to measure "2 cores" honestly)
#   SIGNED_IN=0                                 leave out the fourth target (the signed-in student)
#   LOAD_NICE=-10                               run gunicorn and wrk at that nice level (negative:
#                                               root), when other work shares the machine
#   LOAD_VAR_DIR=path                           keep the build there instead of a temporary folder
#   LOAD_DATABASE_URL=postgres://...            measure against PostgreSQL instead (e.g. from
#                                               scripts/postgres.sh start); its content is REPLACED
#   CONN_MAX_AGE=60                             persistent database connections (the default here)
#   PYTHON=.venv/bin/python
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
PY="${PYTHON:-$ROOT/.venv/bin/python}"
DURATION="${DURATION:-60s}"
CONNECTIONS="${CONNECTIONS:-64}"
WRK_THREADS="${WRK_THREADS:-2}"
GOAL_RPS=500
GOAL_STUDENT_RPS=300
GOAL_STUDENT_CPU_RATIO=3

if ! command -v wrk >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        echo "wrk is missing; installing Debian's wrk ..." >&2
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null
    else
        echo "bench/load.sh needs wrk: sudo apt-get install wrk (Debian/Ubuntu), or build it from" >&2
        echo "https://github.com/wg/wrk and put it on PATH." >&2
        exit 1
    fi
fi
[ -x "$PY" ] || { echo "no Python at $PY: run 'make install' first (or set PYTHON=...)" >&2; exit 1; }

PRIO=()  # LOAD_NICE=-10: gunicorn and wrk get priority over other work on a shared machine (root)
[ -z "${LOAD_NICE:-}" ] || PRIO=(nice -n "$LOAD_NICE")

pin() {  # pin CPUS COMMAND...: run COMMAND on those CPUs when CPUS is set
    local cpus="$1"; shift
    if [ -n "$cpus" ]; then taskset -c "$cpus" "$@"; else "$@"; fi
}

if [ -n "${LOAD_VAR_DIR:-}" ]; then
    VAR="$LOAD_VAR_DIR"; KEEP_VAR=1; mkdir -p "$VAR"
else
    VAR="$(mktemp -d "${TMPDIR:-/tmp}/lp-load-XXXXXX")"; KEEP_VAR=0
fi
PORT="$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
BASE="http://127.0.0.1:$PORT"
SERVER_PID=""
OUT="$VAR/wrk"
mkdir -p "$OUT"

cleanup() {
    if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
        kill -TERM "$SERVER_PID" 2>/dev/null || true
        wait "$SERVER_PID" 2>/dev/null || true
    fi
    [ "$KEEP_VAR" = 1 ] || rm -rf "$VAR"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

export DEBUG=0 SECRET_KEY="load-$("$PY" -c 'import secrets; print(secrets.token_urlsafe(40))')"
export ALLOWED_HOSTS=127.0.0.1 SECURE_SSL_REDIRECT=0 VAR_DIR="$VAR" CONN_MAX_AGE="${CONN_MAX_AGE:-60}"
export PYTHONUNBUFFERED=1 LOG_LEVEL=WARNING
unset DATABASE_URL CACHE_URL
[ -n "${LOAD_DATABASE_URL:-}" ] && export DATABASE_URL="$LOAD_DATABASE_URL"
export GUNICORN_BIND="127.0.0.1:$PORT"

echo "building content into $VAR (${DATABASE_URL:+PostgreSQL, }migrate, compilecontent, collectstatic) ..." >&2
"$PY" manage.py migrate --noinput -v0
"$PY" manage.py compilecontent >"$OUT/compile.log" 2>&1 || { cat "$OUT/compile.log" >&2; exit 1; }
"$PY" manage.py collectstatic --noinput -v0

# Started directly (taskset execs it), so $! is gunicorn's master: TERM to it stops the workers too.
server=("${PRIO[@]}" "$PY" -m gunicorn -c deploy/gunicorn.conf.py learningpaths.wsgi)
[ -z "${SERVER_CPUS:-}" ] || server=(taskset -c "$SERVER_CPUS" "${server[@]}")
"${server[@]}" >"$OUT/gunicorn.log" 2>&1 &
SERVER_PID=$!

TARGETS=(
    "catalogue|/"
    "lesson|/paths/deep_learning/en/dl_neuron/"
    "api|/api/learningPath/deep_learning/en"
)
# The same lesson for a signed-in student (SIGNED_IN=0 leaves it out): their own page (name,
# progress), from the student page memo with their parts filled in, after the session, progress
# and build-token reads.
COOKIE=""
if [ "${SIGNED_IN:-1}" = 1 ]; then
    TARGETS+=("student|/paths/deep_learning/en/dl_neuron/")
    COOKIE="sessionid=$("$PY" manage.py shell -c "
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
from django.contrib.sessions.backends.db import SessionStore
user, _ = get_user_model().objects.get_or_create(username='load-student', defaults={'role': 'student'})
session = SessionStore()
session.update({SESSION_KEY: str(user.pk), BACKEND_SESSION_KEY: 'django.contrib.auth.backends.ModelBackend',
                HASH_SESSION_KEY: user.get_session_auth_hash()})
session.create()
print('SESSION', session.session_key)" 2>/dev/null | sed -n 's/^SESSION //p')"
fi

# Wait until the server answers, then check every target once: a 200 with the page we expect.
"$PY" - "$BASE" "$SERVER_PID" "$COOKIE" "${TARGETS[@]}" <<'EOF'
import os, sys, time, urllib.request
base, pid, cookie = sys.argv[1], int(sys.argv[2]), sys.argv[3]
targets = [t.split("|", 1) for t in sys.argv[4:]]
expect = {"catalogue": "Deep learning", "lesson": 'data-object="dl_neuron;en;', "api": '"hruid": "deep_learning"',
          "student": 'data-object="dl_neuron;en;'}
deadline = time.time() + 60
while True:
    try:
        urllib.request.urlopen(base + "/", timeout=5).read()
        break
    except OSError:
        try:
            os.kill(pid, 0)
        except OSError:
            sys.exit("gunicorn exited; see its log above")
        if time.time() > deadline:
            sys.exit("gunicorn did not answer within 60 s")
        time.sleep(0.3)
for name, url in targets:
    request = urllib.request.Request(base + url, headers={"Cookie": cookie} if name == "student" else {})
    with urllib.request.urlopen(request, timeout=10) as response:
        body = response.read().decode()
        if response.status != 200 or expect[name] not in body:
            sys.exit(f"{name} {url}: status {response.status}, expected text missing")
        if name == "student" and "load-student" not in body:
            sys.exit("student: the session cookie did not sign in")
EOF
if ! kill -0 "$SERVER_PID" 2>/dev/null; then cat "$OUT/gunicorn.log" >&2; exit 1; fi

CPU_MODEL="$(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2- | sed 's/^ *//')"
WORKERS="$(pin "${SERVER_CPUS:-}" "$PY" -c "import runpy; c = runpy.run_path('deploy/gunicorn.conf.py'); print(c['workers'], 'x', c['worker_class'], 'x', c['threads'], 'threads')" 2>/dev/null)"
SERVER_CORES="$(pin "${SERVER_CPUS:-}" nproc)"
echo "machine: $(nproc) cores (${CPU_MODEL:-unknown CPU}); load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
DB_KIND=SQLite; [ -z "${DATABASE_URL:-}" ] || DB_KIND=PostgreSQL  # never print the URL: it holds the password
echo "server: gunicorn $WORKERS on ${SERVER_CORES} core(s)${SERVER_CPUS:+ (CPUs $SERVER_CPUS)}${LOAD_NICE:+, nice $LOAD_NICE}; wrk -t$WRK_THREADS -c$CONNECTIONS -d$DURATION${WRK_CPUS:+ on CPUs $WRK_CPUS}; database: $DB_KIND, CONN_MAX_AGE=$CONN_MAX_AGE"
echo

# CPU time (clock ticks) of gunicorn: the master, its live workers, and workers it has reaped.
server_ticks() {
    local total stat
    stat=($(cut -d')' -f2- "/proc/$SERVER_PID/stat"))  # after "(comm)": utime is field 12 of the rest
    total=$(( stat[11] + stat[12] + stat[13] + stat[14] ))
    for child in $(pgrep -P "$SERVER_PID"); do
        stat=($(cut -d')' -f2- "/proc/$child/stat" 2>/dev/null)) || continue
        total=$(( total + stat[11] + stat[12] ))
    done
    echo "$total"
}
TICK_MS="$(awk -v hz="$(getconf CLK_TCK)" 'BEGIN { print 1000 / hz }')"

declare -A RPS P99 BAD ERR CPU
for target in "${TARGETS[@]}"; do
    name="${target%%|*}"; url="${target#*|}"
    headers=()
    [ "$name" != student ] || headers=(-H "Cookie: $COOKIE")
    pin "${WRK_CPUS:-}" "${PRIO[@]}" wrk -t"$WRK_THREADS" -c"$CONNECTIONS" -d3s --timeout 5s "${headers[@]}" "$BASE$url" >/dev/null
    before="$(server_ticks)"
    pin "${WRK_CPUS:-}" "${PRIO[@]}" wrk -t"$WRK_THREADS" -c"$CONNECTIONS" -d"$DURATION" --timeout 5s --latency \
        -s bench/load.lua "${headers[@]}" "$BASE$url" >"$OUT/$name.txt"
    after="$(server_ticks)"
    line="$(grep '^LOAD ' "$OUT/$name.txt")"
    get() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<"$line"; }
    RPS[$name]="$(get rps)"; P99[$name]="$(get p99_ms)"; BAD[$name]="$(get non2xx)"
    ERR[$name]=$(( $(get connect) + $(get read) + $(get write) + $(get timeout) ))
    # Server CPU per request does not depend on what else the machine runs: the robust figure.
    CPU[$name]="$(awk -v t=$(( after - before )) -v ms="$TICK_MS" -v n="$(get requests)" 'BEGIN { printf "%.2f", t * ms / (n ? n : 1) }')"
    printf '%-10s %-38s %7s req/s  p50 %7s ms  p99 %7s ms  non-2xx %s  socket errors %s  server CPU %s ms/request\n' \
        "$name" "$url" "${RPS[$name]}" "$(get p50_ms)" "${P99[$name]}" "${BAD[$name]}" "${ERR[$name]}" "${CPU[$name]}"
    if [ "${ERR[$name]}" != 0 ]; then
        echo "           socket errors: connect $(get connect), read $(get read), write $(get write), timeout $(get timeout)"
    fi
done
echo

# The goal is about pages (catalogue and lesson); the API is reported beside them.
verdict="met"
for name in catalogue lesson; do
    if ! awk -v r="${RPS[$name]}" -v g="$GOAL_RPS" 'BEGIN { exit !(r >= g) }' || [ "${BAD[$name]}" != 0 ] \
            || [ "${ERR[$name]}" != 0 ]; then
        verdict="NOT met"
    fi
done
student_verdict=""
if [ -n "$COOKIE" ]; then
    student_verdict="met"
    if ! awk -v r="${RPS[student]}" -v g="$GOAL_STUDENT_RPS" 'BEGIN { exit !(r >= g) }' || [ "${BAD[student]}" != 0 ] \
            || [ "${ERR[student]}" != 0 ] \
            || ! awk -v s="${CPU[student]}" -v a="${CPU[lesson]}" -v k="$GOAL_STUDENT_CPU_RATIO" 'BEGIN { exit !(s <= k * a) }'; then
        student_verdict="NOT met"
    fi
fi
if [ "$SERVER_CORES" != 2 ]; then
    verdict="$verdict (measured on $SERVER_CORES cores, not 2)"
    [ -z "$student_verdict" ] || student_verdict="$student_verdict (measured on $SERVER_CORES cores, not 2)"
fi
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "goal >= $GOAL_RPS req/s for pages on 2 cores with 0 errors: catalogue ${RPS[catalogue]}, lesson ${RPS[lesson]} req/s;" \
     "errors $(( BAD[catalogue] + ERR[catalogue] + BAD[lesson] + ERR[lesson] )) -> $verdict" \
     "(api ${RPS[api]} req/s, $(( BAD[api] + ERR[api] )) errors)"
if [ -n "$COOKIE" ]; then
    echo "goal for a signed-in student, >= $GOAL_STUDENT_RPS req/s with 0 errors and <= ${GOAL_STUDENT_CPU_RATIO}x the anonymous" \
         "lesson's server CPU: ${RPS[student]} req/s, errors $(( BAD[student] + ERR[student] )), CPU ${CPU[student]} ms" \
         "= $(awk -v s="${CPU[student]}" -v a="${CPU[lesson]}" 'BEGIN { printf "%.1f", a ? s / a : 0 }')x -> $student_verdict"
fi
# On a machine shared with other work the req/s above are what was left over; server CPU time per
# request is not, so it bounds what 2 cores with nothing else on them (and wrk elsewhere) could do.
echo "server CPU per request: catalogue ${CPU[catalogue]} ms, lesson ${CPU[lesson]} ms, api ${CPU[api]} ms${COOKIE:+, student ${CPU[student]} ms};" \
     "2 idle cores would serve at most $(awk -v a="${CPU[catalogue]}" -v b="${CPU[lesson]}" \
     'BEGIN { printf "%.0f", 2000 / (a > b ? a : b) }') pages/s"
if grep -qiE 'error|exception|traceback' "$OUT/gunicorn.log"; then
    echo "gunicorn logged errors:" >&2; tail -20 "$OUT/gunicorn.log" >&2
fi
