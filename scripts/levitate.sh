#!/usr/bin/env bash
# Checks that the Grafana APIs this plugin imports exist, unchanged, in the oldest Grafana
# release claimed by grafanaDependency in src/plugin.json (needs the npm registry).
# Usage: scripts/levitate.sh [version]   (default: the version in grafanaDependency)
set -euo pipefail
cd "$(dirname "$0")/.."

claim=$(node -p "require('./src/plugin.json').dependencies.grafanaDependency")
version=${1:-$(node -p "require('semver').minVersion(process.argv[1]).version" "$claim")}
echo "grafanaDependency: $claim -> checking against Grafana $version"

npx --no-install levitate is-compatible --path src/module.ts \
  --target "@grafana/data@$version,@grafana/ui@$version,@grafana/runtime@$version"
