#!/usr/bin/env bash
# The oldest Grafana the plugin claims (grafanaDependency in src/plugin.json): loads the BUILT
# dist/module.js with @grafana/data, ui and runtime 12.3 and React 18 (test/compat-12.3, its own
# package folder so the main lockfile stays on the current Grafana), renders the query, config and
# variable editors and queries a real Prometheus. Needs `npm run build` and the root packages.
set -euo pipefail
cd "$(dirname "$0")/.."
DIR=test/compat-12.3

if [ ! -f dist/module.js ]; then
  echo "compat: dist/module.js is missing; run \`npm run build\` first" >&2
  exit 1
fi

# npm ci only when the folder's lock file changed since its last install.
if [ ! -f "$DIR/node_modules/.package-lock.json" ] || [ "$DIR/package-lock.json" -nt "$DIR/node_modules/.package-lock.json" ]; then
  echo "compat: installing $DIR's npm packages"
  (cd "$DIR" && npm ci --no-audit --no-fund)
fi

npx --no-install jest -c "$DIR/jest.config.js" --ci "$@"
