#!/usr/bin/env bash
# Set up and run everything CI runs: dependencies, Chromium + CJK fonts + HAProxy + LibreOffice Calc,
# ruff, the whole pytest suite. Tests run on two workers (pytest-xdist, pyproject.toml's addopts);
# those marked serial (bound by time or memory caps) run after them, one at a time.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
if ! command -v chromium >/dev/null 2>&1 || ! [ -x /usr/sbin/haproxy ] || ! fc-list 2>/dev/null | grep -qi "Noto Sans CJK"; then
  $SUDO apt-get update -qq && $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk haproxy openssl >/dev/null
fi
# LibreOffice Calc without a GUI (about a minute to install once): the exports test prints the
# workbooks to PDF with a real renderer and counts the pages
if ! command -v soffice >/dev/null 2>&1; then
  $SUDO apt-get update -qq && $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends libreoffice-calc-nogui >/dev/null
fi
python3 -m ruff check .
python3 -m pytest -m "not serial" "$@"
# exit 5 = nothing selected (e.g. a folder given that has no serial test)
python3 -m pytest -n 0 -m serial "$@" || [ $? -eq 5 ]
