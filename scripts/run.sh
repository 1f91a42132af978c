#!/usr/bin/env bash
# Start the platform: migrate, build the demo county if the database is empty, then serve it
# with gunicorn (web) and the django-tasks database worker (background work).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
mkdir -p var
if [ -z "${DJANGO_SECRET_KEY:-}" ]; then
  if [ ! -s var/secret_key ]; then
    $PY -c 'import secrets; print(secrets.token_urlsafe(50))' > var/secret_key
    chmod 600 var/secret_key
  fi
  DJANGO_SECRET_KEY=$(cat var/secret_key)
  export DJANGO_SECRET_KEY
fi
export DEMO_PASSWORD="${DEMO_PASSWORD:-Qiangxian@2026}"
PORT="${PORT:-8000}"
HOST="${HOST:-127.0.0.1}"
export DJANGO_ALLOWED_HOSTS="${DJANGO_ALLOWED_HOSTS:-127.0.0.1,localhost,$HOST}"

# Never print a password that may be inside DATABASE_URL.
DB_SHOWN=$(printf '%s' "${DATABASE_URL:-sqlite (var/qiangxian.sqlite3)}" | sed -E 's#//[^@/]*@#//***@#')

$PY manage.py migrate --noinput -v0
$PY manage.py collectstatic --noinput -v0
$PY manage.py demo --if-empty

$PY manage.py db_worker --queue-name '*' --interval 1 > var/worker.log 2>&1 &
WORKER=$!
trap 'kill $WORKER 2>/dev/null || true' EXIT INT TERM

cat <<MSG

  强县 工业强县平台 已启动： http://${HOST}:${PORT}
  数据库：${DB_SHOWN}
  演示账号（密码均为 ${DEMO_PASSWORD}，仅用于演示数据库）：
    admin       系统管理员
    leader      县领导（只读全县）
    office      工业强县领导小组办公室（管理全县）
    bureau      投促局人员
    park        青山工业园区人员
    town        城关镇人员
    enterprise  企业用户（本企业）
  按 Ctrl+C 停止。

MSG
exec .venv/bin/gunicorn qiangxian.wsgi:application --bind "${HOST}:${PORT}" --workers "${WEB_WORKERS:-2}" \
  --access-logfile var/access.log --error-logfile - --log-level warning
