#!/usr/bin/env bash
# Run every benchmark; each prints lines "BENCH <name> <value> <unit>".
set -euo pipefail
cd "$(dirname "$0")/.."
status=0
for script in benchmarks/*.py; do
  case "$(basename "$script")" in _*) continue ;; esac  # shared modules, not benchmarks
  echo "== $script"
  QX_TESTING=1 .venv/bin/python "$script" || status=1
done
exit $status
