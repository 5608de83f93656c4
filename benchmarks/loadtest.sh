#!/bin/sh
# Load test of the production setup: gunicorn (gunicorn.conf.py, several workers) against
# PostgreSQL, rate limits in Redis, built feeds kept as files in the instance folder, and wrk
# in a second process, on loopback.
#
#     benchmarks/loadtest.sh                 # prepare the database, then 15 s per URL
#     DURATION=30s CONNECTIONS=32 benchmarks/loadtest.sh
#     PREPARE=0 benchmarks/loadtest.sh       # reuse the data already in the database
#
# Environment (defaults in brackets): CONGRESS_DATABASE_URL [postgresql+psycopg://postgres@
# 127.0.0.1:5432/test_bench], CONGRESS_RATELIMIT_STORAGE_URI [redis://127.0.0.1:6379],
# CONGRESS_CACHE_STORAGE_URI [file://: the instance folder's cache/feeds/],
# WORKERS [gunicorn.conf.py's: 2 per core + 1], PORT [8765], DURATION [15s], THREADS [2],
# CONNECTIONS [16], TIMEOUT [10s: wrk counts slower answers as timeouts], SCALE [1: the
# Rio-scale demo; 10: ten times it], PREPARE [1], ROUNDS [3: of the feed beside its static copy].
#
# It prepares the database (flask db upgrade, archive load, demo-data), starts gunicorn on
# 127.0.0.1 (benchmarks/served.py: the app and an empty endpoint inside it), runs wrk --latency
# on the programme page; the programme's feed from the cache of built feeds, plain and gzipped,
# each in turns with the same bytes served as a static file by the same gunicorn
# (/_benchmark/static/, Flask's way of sending a file), ROUNDS times; the same feed with the
# If-None-Match a calendar app sends back; the app's empty endpoint; and the feed built every
# time (CONGRESS_CACHE_STORAGE_URI=none://, a second gunicorn). It then stops gunicorn and prints
# requests per second and the 99th percentile of each, the cached feed's rate against its
# static copy's (the target: at least 50 %, with a 99th percentile under 50 ms), and polls
# beside the empty endpoint.
#
# Rate limits across workers (a limit of 10 sign-ins a minute admits 10 with five workers on
# Redis, and gunicorn refuses several workers on memory://): benchmarks/ratelimit_workers.py.
set -eu

cd "$(dirname "$0")/.."
: "${CONGRESS_DATABASE_URL:=postgresql+psycopg://postgres@127.0.0.1:5432/test_bench}"
: "${CONGRESS_RATELIMIT_STORAGE_URI:=redis://127.0.0.1:6379}"
: "${CONGRESS_CACHE_STORAGE_URI:=file://}"
: "${PORT:=8765}" "${DURATION:=15s}" "${THREADS:=2}" "${CONNECTIONS:=16}" "${SCALE:=1}"
: "${PREPARE:=1}" "${TIMEOUT:=10s}" "${ROUNDS:=3}"
export CONGRESS_DATABASE_URL CONGRESS_RATELIMIT_STORAGE_URI CONGRESS_CACHE_STORAGE_URI

FLASK=".venv/bin/flask --app congress"
BASE="http://127.0.0.1:$PORT"
INSTANCE=$(mktemp -d "${TMPDIR:-/tmp}/congress-loadtest-XXXXXX")
trap 'rm -rf "$INSTANCE"' EXIT INT TERM
# Every worker signs and reads sessions with the same key: nothing lives in one process.
CONGRESS_SECRET_KEY=$(.venv/bin/python -c 'import secrets; print(secrets.token_hex(32))')
CONGRESS_INSTANCE_PATH=$INSTANCE
export CONGRESS_SECRET_KEY CONGRESS_INSTANCE_PATH

if [ "$PREPARE" = 1 ]; then
    $FLASK db upgrade
    $FLASK archive load
    if [ "$SCALE" = 10 ]; then
        $FLASK demo-data --delegations 1700 --delegates 35000 --sessions 3000 --rooms 200
    else
        $FLASK demo-data
    fi
fi

# The static copies of the feed, served by the same gunicorn (benchmarks/served.py).
BENCHMARK_STATIC_FOLDER="$INSTANCE/static-copies"
mkdir -p "$BENCHMARK_STATIC_FOLDER"
export BENCHMARK_STATIC_FOLDER

GUNICORN=
start_gunicorn() {
    set -- --bind "127.0.0.1:$PORT" --pid "$INSTANCE/gunicorn.pid"
    if [ -n "${WORKERS:-}" ]; then
        set -- "$@" --workers "$WORKERS"
    fi
    .venv/bin/gunicorn -c gunicorn.conf.py "$@" benchmarks.served:app >"$INSTANCE/gunicorn.log" 2>&1 &
    GUNICORN=$!
    tries=0
    until curl -sf -o /dev/null "$BASE/congresses/demo/calendar.ics"; do
        tries=$((tries + 1))
        if [ "$tries" -gt 100 ] || ! kill -0 "$GUNICORN" 2>/dev/null; then
            echo "gunicorn did not start:" >&2
            cat "$INSTANCE/gunicorn.log" >&2
            exit 1
        fi
        sleep 0.2
    done
}
stop_gunicorn() {
    if [ -n "$GUNICORN" ]; then
        kill "$GUNICORN" 2>/dev/null || true
        wait "$GUNICORN" 2>/dev/null || true
        GUNICORN=
    fi
}
cleanup() {
    stop_gunicorn
    rm -rf "$INSTANCE"
}
trap cleanup EXIT INT TERM

# Each run's name, requests per second and 99th percentile, for the summary at the end.
SUMMARY="$INSTANCE/summary"
: >"$SUMMARY"
run() {
    name=$1
    shift
    echo
    echo "== $name"
    wrk --latency -t "$THREADS" -c "$CONNECTIONS" -d "$DURATION" --timeout "$TIMEOUT" "$@" |
        tee "$INSTANCE/wrk.out"
    rate=$(sed -n 's/^Requests\/sec: *//p' "$INSTANCE/wrk.out")
    p99=$(sed -n 's/^ *99% *//p' "$INSTANCE/wrk.out")
    printf '%s\t%s\t%s\n' "$rate" "$p99" "$name" >>"$SUMMARY"
}

start_gunicorn
ETAG=$(curl -sI "$BASE/congresses/demo/calendar.ics" | tr -d '\r' | sed -n 's/^[Ee][Tt][Aa][Gg]: //p')
echo "gunicorn: $(grep -c 'Booting worker' "$INSTANCE/gunicorn.log") workers on 127.0.0.1:$PORT;" \
    "$(nproc) cores shared with wrk; database ${CONGRESS_DATABASE_URL%%://*}; scale ${SCALE}x;" \
    "feeds cached in ${CONGRESS_CACHE_STORAGE_URI%%://*}"
echo "feed ETag: $ETAG"
status=$(curl -s -o /dev/null -w '%{http_code}' -H "If-None-Match: $ETAG" "$BASE/congresses/demo/calendar.ics")
echo "feed with If-None-Match answers $status"

# The feed's bytes as the cache keeps them, plain and gzipped, copied to be served as files.
FEED="$BASE/congresses/demo/calendar.ics"
curl -sf -o "$BENCHMARK_STATIC_FOLDER/demo.ics" "$FEED"
curl -sf -H 'Accept-Encoding: gzip' -o "$BENCHMARK_STATIC_FOLDER/demo.ics.gz" "$FEED"
echo "feed: $(wc -c <"$BENCHMARK_STATIC_FOLDER/demo.ics") bytes," \
    "$(wc -c <"$BENCHMARK_STATIC_FOLDER/demo.ics.gz") gzipped"
STATIC="$BASE/_benchmark/static"
curl -sf -o "$INSTANCE/copy.ics" "$STATIC/demo.ics"
cmp -s "$INSTANCE/copy.ics" "$BENCHMARK_STATIC_FOLDER/demo.ics" || {
    echo "the static copy is not the feed's bytes" >&2
    exit 1
}

run "programme page" "$BASE/en/congresses/demo/programme"
round=1
while [ "$round" -le "$ROUNDS" ]; do
    run "static copy, plain, round $round" "$STATIC/demo.ics"
    run "cached feed, plain, round $round" "$FEED"
    run "static copy, gzipped, round $round" "$STATIC/demo.ics.gz"
    run "cached feed, gzipped, round $round" -H 'Accept-Encoding: gzip' "$FEED"
    round=$((round + 1))
done
run "programme feed answered 304 (If-None-Match)" -H "If-None-Match: $ETAG" "$FEED"
run "empty endpoint of the app (204)" "$BASE/_benchmark/empty"
stop_gunicorn

# What each process's second of grace on the programme's version buys (FEED_POLL_SECONDS):
# the same kept feed with the version read on every request.
CONGRESS_FEED_POLL_SECONDS=0
export CONGRESS_FEED_POLL_SECONDS
start_gunicorn
run "version read every time: static copy, gzipped, once" "$STATIC/demo.ics.gz"
run "version read every time: cached feed, gzipped, with CONGRESS_FEED_POLL_SECONDS=0" \
    -H 'Accept-Encoding: gzip' "$FEED"
stop_gunicorn
unset CONGRESS_FEED_POLL_SECONDS

CONGRESS_CACHE_STORAGE_URI=none://
start_gunicorn
run "programme feed (calendar.ics), built for every request (CONGRESS_CACHE_STORAGE_URI=none://)" \
    "$BASE/congresses/demo/calendar.ics"
stop_gunicorn

echo
echo "== summary: requests/s, p99, what"
cat "$SUMMARY"
polls=$(grep 'answered 304' "$SUMMARY" | cut -f1)
empty=$(grep 'empty endpoint' "$SUMMARY" | cut -f1)
echo "polls answered 304: $polls a second; the empty endpoint: $empty a second" \
    "($(echo "$polls $empty" | awk '{ printf "%.0f", 100 * $1 / $2 }') %)"
# The cached feed against its static copy, over every round: summed rates, the worst p99.
compare() {
    awk -F '\t' -v encoding="$1" -v prefix="${2:-}" '
        function ms(text) {
            gsub(/ /, "", text)
            if (text ~ /us$/) return substr(text, 1, length(text) - 2) / 1000
            if (text ~ /ms$/) return substr(text, 1, length(text) - 2) + 0
            if (text ~ /s$/) return substr(text, 1, length(text) - 1) * 1000
            return text + 0
        }
        index($3, prefix "static copy, " encoding ",") == 1 { static += $1 }
        index($3, prefix "cached feed, " encoding ",") == 1 {
            feed += $1
            if (ms($2) > worst) worst = ms($2)
        }
        END {
            verdict = (feed >= 0.5 * static && worst < 50) ? "meets" : "misses"
            printf "%scached feed, %s: %.0f %% of the static copy, p99 at most %.1f ms: %s the target\n",
                prefix, encoding, 100 * feed / static, worst, verdict
        }' "$SUMMARY"
}
compare plain
compare gzipped
compare gzipped "version read every time: "
