#!/usr/bin/env bash
# Set up and run everything CI runs: dependencies, Chromium + CJK fonts + HAProxy, ruff, the whole pytest suite.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
if ! command -v chromium >/dev/null 2>&1 || ! [ -x /usr/sbin/haproxy ] || ! fc-list 2>/dev/null | grep -qi "Noto Sans CJK"; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk haproxy openssl >/dev/null
  else
    sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk haproxy openssl >/dev/null
  fi
fi
python3 -m ruff check .
python3 -m pytest "$@"
