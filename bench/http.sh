#!/usr/bin/env bash
# Benchmark: the portal under load, as served in production. Run by hand (never in CI):
#     bash bench/http.sh [seconds per page, default 30]
# gunicorn (2 workers, production settings) on PostgreSQL with the demo data (database
# lgaboard_bench, made afresh; the 1 November 2017 pack published as in the demo), then wrk on
# loopback, 20 connections, one page after another: the smallest Django page, the pack page, the
# stored pack PDF, the board page, the quarterly report and a static file. Prints requests/s, errors
# and p50/p95/p99 latency for each. Needs wrk (apt-get install wrk), PostgreSQL and Redis.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_EACH=${1:-30}
PORT=8199
DB=lgaboard_bench
export DJANGO_SETTINGS_MODULE=lgaboard.settings.prod
DJANGO_SECRET_KEY=$(.venv/bin/python -c 'import secrets; print(secrets.token_urlsafe(50))')
export DJANGO_SECRET_KEY DJANGO_ALLOWED_HOSTS=127.0.0.1 DJANGO_SECURE_SSL_REDIRECT=0
export DATABASE_URL=postgres://postgres@127.0.0.1:5432/$DB
# The demo's contact officers have the real addresses the papers print: publishing here e-mails no one.
export DJANGO_EMAIL_BACKEND=django.core.mail.backends.dummy.EmailBackend
export LGABOARD_MEDIA_ROOT=${TMPDIR:-/tmp}/lgaboard-bench-media
export LGABOARD_CACHE_URL=redis://127.0.0.1:6379/7

psql -h 127.0.0.1 -U postgres -q -c "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB"
.venv/bin/python manage.py collectstatic --noinput -v0  # before the demo: publishing names them
.venv/bin/python manage.py migrate --noinput -v0
.venv/bin/python manage.py load_demo >/dev/null
setsid .venv/bin/gunicorn lgaboard.wsgi:application -w 2 -b 127.0.0.1:$PORT --no-control-socket \
    --access-logfile /dev/null >"${TMPDIR:-/tmp}/lgaboard-bench-gunicorn.log" 2>&1 &
SERVER=$!
trap 'kill -TERM -- -$SERVER 2>/dev/null || true' EXIT
for _ in $(seq 1 60); do curl -sf "http://127.0.0.1:$PORT/health/" >/dev/null && break; sleep 1; done

LUA=$(mktemp --suffix=.lua)
cat >"$LUA" <<'LUA'
done = function(summary, latency, requests)
  local errors = summary.errors.status + summary.errors.connect + summary.errors.read
    + summary.errors.write + summary.errors.timeout
  io.write(string.format("%.0f req/s, %d errors, p50 %.1f ms, p95 %.1f ms, p99 %.1f ms\n",
    summary.requests / (summary.duration / 1e6), errors,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000))
end
LUA
STATIC=$(cd staticfiles && ls css/lgaboard.*.css | head -1)
DAY=/boards/improvement-and-innovation-board/2017-11-01
for page in /sign-in/ "$DAY/" "$DAY/pack.pdf" /boards/improvement-and-innovation-board/ /mou/2017-18/q2/ "/static/$STATIC"; do
    curl -s -o /dev/null "http://127.0.0.1:$PORT$page"  # warm
    printf '%-50s ' "$page"
    wrk -t 2 -c 20 -d "${SECONDS_EACH}s" -H 'X-Forwarded-Proto: https' -s "$LUA" "http://127.0.0.1:$PORT$page" | tail -1
done
rm -f "$LUA"
kill -TERM -- -$SERVER 2>/dev/null || true
sleep 2
psql -h 127.0.0.1 -U postgres -q -c "DROP DATABASE IF EXISTS $DB" || true
