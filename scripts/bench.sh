#!/usr/bin/env bash
# Run every benchmark; each prints lines "BENCH <name> <value> <unit>".
set -euo pipefail
cd "$(dirname "$0")/.."
status=0
# The scale-out benchmark drives the web instances with wrk (Debian's package): a load generator
# in C leaves the cores to the instances it measures. Without it, locust is used.
if ! command -v wrk > /dev/null; then
  if [ "$(id -u)" -eq 0 ]; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk > /dev/null || echo "未能安装 wrk，扩容基准改用 locust" >&2
  else
    echo "缺少 wrk：扩容基准改用 locust（以 root 运行 apt-get install -y wrk 可安装）" >&2
  fi
fi
for script in benchmarks/*.py; do
  case "$(basename "$script")" in _*) continue ;; esac  # shared modules, not benchmarks
  echo "== $script"
  QX_TESTING=1 .venv/bin/python "$script" || status=1
done
exit $status
