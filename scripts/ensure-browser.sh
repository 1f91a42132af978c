#!/usr/bin/env bash
# Browser tests need Debian's Chromium and a CJK font (without it Chinese renders as boxes).
set -euo pipefail
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
fc-list 2>/dev/null | grep -qi "Noto Sans CJK" || missing+=(fonts-noto-cjk)
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "缺少 ${missing[*]}：请以 root 运行 apt-get install -y ${missing[*]}" >&2
  exit 1
fi
echo "安装 ${missing[*]} ..."
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" > /dev/null
