#!/usr/bin/env bash
# `npm run demo`: builds the plugin, then starts Prometheus, a live (or backfilled) workload and
# the sandbox page (test/sandbox/demo.ts). Ctrl-C stops it all. Arguments go to demo.ts
# (--port <n>, --backfill).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x /usr/bin/prometheus ] || [ ! -x /usr/bin/promtool ]; then
  echo "Prometheus is not installed. Install Debian's package: sudo apt-get install -y prometheus" >&2
  exit 1
fi
echo "building the plugin…"
npm run --silent build >/dev/null
exec node -r ts-node/register/transpile-only test/sandbox/demo.ts "$@"
