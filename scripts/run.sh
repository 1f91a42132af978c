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

# The task worker is supervised: started again if it exits (a crash, "database is locked"),
# and stopped with the web server. Each child is run in the background and waited for, so the
# traps run when a signal arrives (an `exec` would drop them and leave the worker running).
supervise_worker() {
  local child=""
  trap 'if [ -n "$child" ]; then kill "$child" 2>/dev/null || true; fi; wait 2>/dev/null || true; exit 0' TERM INT
  while true; do
    $PY manage.py worker --queue-name '*' --interval 1 >> var/worker.log 2>&1 &
    child=$!
    wait "$child" && status=0 || status=$?
    child=""
    echo "$(date '+%F %T') 后台任务进程退出（代码 ${status}），2秒后重新启动" >> var/worker.log
    sleep 2
  done
}
supervise_worker &
SUPERVISOR=$!
WEB=""
# `|| true` everywhere: under `set -e` a failing kill (the process already gone) would end the
# trap before the worker is stopped.
stop_all() {
  trap - EXIT INT TERM
  if [ -n "$WEB" ]; then kill "$WEB" 2>/dev/null || true; fi
  kill "$SUPERVISOR" 2>/dev/null || true
  wait 2>/dev/null || true
}
trap stop_all EXIT
trap 'stop_all; exit 0' INT TERM

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
    security    安全管理员（安全设置、账号锁定、角色审批）
    auditor     审计管理员（安全审计）
  按 Ctrl+C 停止。

MSG
# gthread workers: a page waiting on the database does not hold up the next user's request.
# One process per core (at least two, so a restart never leaves nobody serving), four threads
# each; WEB_WORKERS and WEB_THREADS override.
CORES=$(nproc 2>/dev/null || echo 2)
WORKERS="${WEB_WORKERS:-$(( CORES > 2 ? CORES : 2 ))}"
THREADS="${WEB_THREADS:-4}"
.venv/bin/gunicorn qiangxian.wsgi:application --bind "${HOST}:${PORT}" \
  --worker-class gthread --workers "$WORKERS" --threads "$THREADS" --keep-alive 20 \
  --access-logfile var/access.log --error-logfile - --log-level warning &
WEB=$!
# When the web server ends (by itself or by a signal) the worker is stopped with it.
wait "$WEB" || true
