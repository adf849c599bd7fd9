#!/usr/bin/env bash
# README's test command: set-up, then everything CI checks. Stops at the first failure.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh

step() { echo; echo "=== $*"; }
step "lint";       npm run lint
step "typecheck";  npm run typecheck
step "build";      npm run build
step "package";    npm run package
step "tests: unit, integration (real Prometheus and VictoriaMetrics, real cgroup), browser (real Chromium), release archive"
npm run test:ci
step "compatibility: built plugin on Grafana 12.3 + React 18"; scripts/compat.sh
if [ -x scripts/levitate.sh ]; then
  step "compatibility (levitate)"; scripts/levitate.sh
fi
echo; echo "All checks passed."
