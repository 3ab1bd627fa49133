#!/usr/bin/env bash
# Installs what a fresh Debian machine lacks: node packages (npm ci) and, for the browser tests,
# Debian's chromium (Playwright's own browser download does not work on these machines).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${1:-}" = "--with-browser" ] && [ ! -x /usr/lib/chromium/chromium ] && [ -z "${CHROMIUM_PATH:-}" ]; then
  echo "== installing Debian's chromium (for the browser tests)"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium fonts-dejavu-core >/dev/null
fi
if [ ! -d node_modules/.bin ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "== npm ci"
  if ! npm ci --no-audit --no-fund >/tmp/irqlab-npm-ci.log 2>&1; then
    cat /tmp/irqlab-npm-ci.log; echo "npm ci failed"; exit 1
  fi
fi
