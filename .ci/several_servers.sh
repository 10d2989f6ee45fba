#!/usr/bin/env bash
# The portal on several servers (issue 18, part 5). Two gunicorn instances on two ports share
# PostgreSQL, an S3-compatible store (moto's server on 127.0.0.1) and the task queue (Redis, one RQ
# worker), all with production settings; .ci/several_servers.py then proves, as a clerk signed in
# with two-factor, that an annex uploaded through A downloads byte-identical through B, that a pack
# revision published through A is served by B, that a save made from a form opened before another
# server's save is refused, and that /health/ says ok on both.
#
# Needs the project's venv (make install), PostgreSQL at 127.0.0.1:5432 (user postgres, trust) and
# Redis at 127.0.0.1:6379. Uses the database lgaboard_servers and Redis databases 5 (tasks) and 6
# (cache), emptied first; stops what it started and drops the database when it ends, however it ends.
set -euo pipefail
cd "$(dirname "$0")/.."

BIN=.venv/bin
PY=$BIN/python
DB=lgaboard_servers
REDIS_TASKS=redis://127.0.0.1:6379/5
REDIS_CACHE=redis://127.0.0.1:6379/6
STARTED=$SECONDS

say() { echo "several servers: $*"; }
fail() { echo "several servers: FAILED: $*" >&2; exit 1; }

WORK=$(mktemp -d "${TMPDIR:-/tmp}/lgaboard-servers.XXXXXX")
PIDS=()
NAMES=()

# Each process is started in a session (and process group) of its own, so that stopping it stops
# what it forked too (gunicorn's workers, the RQ worker's work horse), and nothing else.
start() {
    local name=$1
    shift
    setsid "$@" >"$WORK/$name.log" 2>&1 &
    PIDS+=("$!")
    NAMES+=("$name")
}

# Running (a process that has exited but not yet been waited for still answers kill -0).
alive() {
    local state
    state=$(ps -o stat= -p "$1" 2>/dev/null) || return 1
    [[ $state != Z* ]]
}

stop_all() {
    local pid i
    for pid in "${PIDS[@]}"; do
        kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
    done
    for _ in $(seq 1 40); do
        local alive=0
        for pid in "${PIDS[@]}"; do alive "$pid" && alive=1; done
        [ "$alive" = 0 ] && break
        sleep 0.25
    done
    for pid in "${PIDS[@]}"; do
        kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
    done
    for i in "${!PIDS[@]}"; do wait "${PIDS[$i]}" 2>/dev/null || true; done
}

cleanup() {
    local status=$?
    set +e
    trap - EXIT INT TERM
    local stopping=$SECONDS
    stop_all
    say "stopped the processes it started ($((SECONDS - stopping)) s)"
    if [ "$status" -ne 0 ]; then
        for name in "${NAMES[@]}"; do
            echo "----- last lines of $name's log -----" >&2
            grep -v 'health-check' "$WORK/$name.log" | tail -n 30 >&2
        done
        echo "several servers: FAILED (exit $status) after $((SECONDS - STARTED)) s" >&2
    fi
    psql -h 127.0.0.1 -U postgres -q -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null 2>&1
    "$PY" - "$REDIS_TASKS" "$REDIS_CACHE" >/dev/null 2>&1 <<'EOF'
import sys, redis
for url in sys.argv[1:]:
    redis.Redis.from_url(url).flushdb()
EOF
    rm -rf "$WORK"
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

[ -x "$PY" ] || fail "no venv at .venv: run make install first"
if [ ! -x "$BIN/moto_server" ]; then
    "$BIN/pip" install --quiet 'moto[server]>=5.1,<6'
fi
if [ ! -x "$BIN/gunicorn" ]; then
    "$BIN/pip" install --quiet 'gunicorn>=27,<28'
fi
pg_isready -h 127.0.0.1 -p 5432 -q || fail "PostgreSQL is not answering at 127.0.0.1:5432"

# Three free ports on the loopback: the S3 store and the two servers.
read -r S3_PORT PORT_A PORT_B < <("$PY" -c '
import socket
sockets = [socket.socket() for _ in range(3)]
for s in sockets:
    s.bind(("127.0.0.1", 0))
print(*(s.getsockname()[1] for s in sockets))
')

# -- 1. the S3-compatible store and its bucket ----------------------------------------------------
export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_DEFAULT_REGION=us-east-1
start moto "$BIN/moto_server" -H 127.0.0.1 -p "$S3_PORT"
export LGABOARD_S3_BUCKET="lgaboard-servers-$(date +%s)"
export LGABOARD_S3_ENDPOINT_URL="http://127.0.0.1:$S3_PORT"
export LGABOARD_S3_REGION=us-east-1
"$PY" - <<'EOF' || fail "could not create the bucket on moto's server"
import os, time
import boto3
from botocore.exceptions import EndpointConnectionError
s3 = boto3.client("s3", endpoint_url=os.environ["LGABOARD_S3_ENDPOINT_URL"], region_name="us-east-1")
for attempt in range(60):
    try:
        s3.create_bucket(Bucket=os.environ["LGABOARD_S3_BUCKET"])
        break
    except EndpointConnectionError:
        time.sleep(0.5)
else:
    raise SystemExit("moto's server did not start")
EOF
say "S3-compatible store (moto) at $LGABOARD_S3_ENDPOINT_URL, bucket $LGABOARD_S3_BUCKET"

# -- 2. production settings, a fresh database, the demo --------------------------------------------
export DJANGO_SETTINGS_MODULE=lgaboard.settings.prod
DJANGO_SECRET_KEY="$("$PY" -c 'import secrets; print(secrets.token_urlsafe(60))')"
export DJANGO_SECRET_KEY
export DJANGO_ALLOWED_HOSTS=127.0.0.1
# The demo's contact officers have the real addresses the papers print: publishing here e-mails no one.
export DJANGO_EMAIL_BACKEND=django.core.mail.backends.dummy.EmailBackend
export DJANGO_SECURE_SSL_REDIRECT=0
export DATABASE_URL="postgres://postgres@127.0.0.1:5432/$DB"
export LGABOARD_TASKS=redis LGABOARD_REDIS_URL=$REDIS_TASKS LGABOARD_CACHE_URL=$REDIS_CACHE
"$PY" - "$REDIS_TASKS" "$REDIS_CACHE" <<'EOF' || fail "Redis is not answering at 127.0.0.1:6379"
import sys, redis
for url in sys.argv[1:]:
    redis.Redis.from_url(url).flushdb()
EOF
psql -h 127.0.0.1 -U postgres -q -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" -c "CREATE DATABASE $DB"

# The static files (whitenoise's manifest, which production's templates need) are collected while
# the database is migrated.
start collectstatic "$PY" manage.py collectstatic --noinput -v 0
COLLECTING=$((${#PIDS[@]} - 1))
"$PY" manage.py migrate --noinput -v 0
say "database $DB migrated ($((SECONDS - STARTED)) s)"
wait "${PIDS[$COLLECTING]}" || fail "collectstatic failed: $(tail -n 30 "$WORK/collectstatic.log")"
unset "PIDS[$COLLECTING]" "NAMES[$COLLECTING]"
say "static files collected ($((SECONDS - STARTED)) s)"
"$PY" manage.py load_demo
# The demo logins are refused with DEBUG off (load_demo --with-demo-users), so they are made here,
# as the command makes them; the clerk is given an authenticator (TOTP) whose key the driver knows.
# A draft meeting (May 2017, before the published ones, so their packs do not change) has a report
# to upload an annex to: the public may not read it.
CLERK_TOTP_KEY="$("$PY" -c 'import secrets; print(secrets.token_hex(20))')"
export CLERK_TOTP_KEY
SETUP_JSON="$WORK/setup.json"
export SETUP_JSON
"$PY" manage.py shell -v 0 -c '
import datetime, json, os
from django.contrib.auth import get_user_model
from django_otp.plugins.otp_totp.models import TOTPDevice
from meetings.management.commands.load_demo import DEMO_USERS, create_demo_users
from meetings.models import AgendaItem, Meeting, Report

create_demo_users()
clerk = get_user_model().objects.get(username="clerk")
TOTPDevice.objects.filter(user=clerk).delete()
TOTPDevice.objects.create(user=clerk, name="Authenticator app", key=os.environ["CLERK_TOTP_KEY"], confirmed=True)

november = Meeting.objects.get(board__slug="improvement-and-innovation-board", date=datetime.date(2017, 11, 1))
assert november.is_published, "the demo did not publish the 1 November 2017 meeting"
edited = Report.objects.get(item__meeting=november, item__number=5)
draft = Meeting.objects.create(board_year=november.board_year, date=datetime.date(2017, 5, 10))
item = AgendaItem.objects.create(meeting=draft, number=1, title="A paper with an annex uploaded through server A")
upload = Report.objects.create(item=item, for_information=True, body="The annex to this report is uploaded through one server.")
board = november.board.slug
with open(os.environ["SETUP_JSON"], "w") as handle:
    json.dump({
        "clerk": "clerk",
        "password": DEMO_USERS["clerk"][0],
        "s3_endpoint": os.environ["LGABOARD_S3_ENDPOINT_URL"],
        "upload": {
            "report_id": upload.pk,
            "item_url": item.get_absolute_url(),
            "annex_url": f"/boards/{board}/{draft.date}/items/{item.number}/annex-a.pdf",
        },
        "pack": {
            "meeting_id": november.pk,
            "report_id": edited.pk,
            "item_number": 5,
            "pdf_url": f"/boards/{board}/{november.date}/pack.pdf",
            "page_url": november.get_absolute_url(),
        },
    }, handle)
'
say "demo loaded and published, clerk given an authenticator ($((SECONDS - STARTED)) s)"

# -- 3. two servers and a worker --------------------------------------------------------------------
for server in A B; do
    port_var="PORT_$server"
    start "gunicorn-$server" "$BIN/gunicorn" lgaboard.wsgi:application \
        --bind "127.0.0.1:${!port_var}" --workers 2 --no-control-socket --access-logfile - --error-logfile -
done
start rqworker "$PY" manage.py rqworker default --job-class django_tasks_rq.Job
WORKER_PID=${PIDS[-1]}

"$PY" - "$PORT_A" "$PORT_B" <<'EOF' || fail "the servers did not say ok at /health/ within 60 s"
import sys, time, urllib.request
for port in sys.argv[1:]:
    for attempt in range(120):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/health/", timeout=5) as response:
                if response.read() == b"ok\n":
                    break
        except OSError:
            pass
        time.sleep(0.5)
    else:
        raise SystemExit(1)
EOF
alive "$WORKER_PID" || fail "the RQ worker did not start"
say "gunicorn A on :$PORT_A and B on :$PORT_B (2 workers each), one RQ worker, all healthy"

# -- 4. the checks ----------------------------------------------------------------------------------
"$PY" .ci/several_servers.py --a "$PORT_A" --b "$PORT_B" --setup "$SETUP_JSON" --worker-pid "$WORKER_PID"
say "passed in $((SECONDS - STARTED)) s"
