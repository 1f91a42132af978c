#!/usr/bin/env bash
# Fuzz the API against its own OpenAPI schema: a fresh SQLite database with a small demo county,
# the web server on a loopback port, and schemathesis with a bounded number of examples per
# operation and a time bound, reading and writing as the office (the widest role). Fails on any
# server error (5xx) or a response that does not match the schema.
#
#   bash scripts/api-fuzz.sh            # FUZZ_EXAMPLES=15 FUZZ_MAX_TIME=200 FUZZ_SEED=20260101
#
# FUZZ_EXAMPLES bounds the examples per operation in each round, FUZZ_MAX_TIME the seconds of the
# whole schemathesis run: it runs the coverage, fuzzing and stateful phases, then repeats the
# fuzzing with new examples until the time is spent, and stops cleanly when it is (a slow machine
# runs fewer rounds, never a longer step). `timeout` only ends a run that hangs.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python

EXAMPLES="${FUZZ_EXAMPLES:-15}"
MAX_TIME="${FUZZ_MAX_TIME:-200}"
SEED="${FUZZ_SEED:-20260101}"
PORT="${FUZZ_PORT:-$($PY -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/qx-api-fuzz.XXXXXX")
SERVER=""
cleanup() {
  if [ -n "$SERVER" ]; then kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT INT TERM

# Everything the run writes stays in $WORK: never the developer's var/ database.
# FUZZ_DATABASE_URL may name an empty PostgreSQL database to fuzz against that instead.
export QX_VAR_DIR="$WORK" DATABASE_URL="${FUZZ_DATABASE_URL:-sqlite:///$WORK/fuzz.sqlite3}" DJANGO_DEBUG=0 QX_TESTING=0
export DJANGO_SECRET_KEY="fuzz-$($PY -c 'import secrets; print(secrets.token_urlsafe(40))')"
export DJANGO_ALLOWED_HOSTS=127.0.0.1 QX_STATIC_ROOT="$WORK/static"
started=$(date +%s)

$PY manage.py migrate --noinput -v0
$PY manage.py collectstatic --noinput -v0
$PY manage.py demo --enterprises 40 --password "fuzz-$SEED" > "$WORK/demo.log"
TOKEN=$($PY manage.py shell --no-imports -c '
from qiangxian.core.models import User
from qiangxian.core.services import api_token_create
print(api_token_create(actor=User.objects.get(username="office"), name="接口模糊测试", scope="write")[1])')

.venv/bin/gunicorn qiangxian.wsgi:application --bind "127.0.0.1:$PORT" --workers 2 --timeout 60 \
  --error-logfile "$WORK/server.log" --log-level warning >> "$WORK/server.log" 2>&1 &
SERVER=$!
$PY - "$PORT" <<'WAIT'
import sys, time, urllib.request
for _ in range(150):
    try:
        urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}/healthz", timeout=2)
        break
    except OSError:
        time.sleep(0.2)
else:
    sys.exit("api-fuzz: the server did not start")
WAIT
echo "api-fuzz: demo database and server ready in $(( $(date +%s) - started )) s"

status=0
# Run from $WORK: schemathesis keeps a cache of crashes in its working directory.
ROOT=$(pwd)
cd "$WORK"
timeout $(( MAX_TIME + 120 )) "$ROOT/.venv/bin/schemathesis" run "http://127.0.0.1:$PORT/api/openapi.json" \
  --header "Authorization: Bearer $TOKEN" \
  --checks not_a_server_error,response_schema_conformance \
  --phases examples,coverage,fuzzing,stateful \
  --max-examples "$EXAMPLES" --max-time "$MAX_TIME" --seed "$SEED" \
  --workers 2 --request-timeout 30 --generation-database none --no-color \
  --suppress-health-check all --warnings off || status=$?

if [ "$status" -eq 124 ]; then
  echo "api-fuzz: schemathesis hung past ${MAX_TIME} s and was stopped"
fi
if [ "$status" -ne 0 ]; then
  echo "api-fuzz: failed (exit $status); server errors:"
  grep -E "Error handling request|^[A-Za-z_.]+(Error|Exception)" "$WORK/server.log" | head -40 || true
fi
echo "api-fuzz: finished in $(( $(date +%s) - started )) s"
exit "$status"
