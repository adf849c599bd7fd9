#!/usr/bin/env bash
# `npm run screenshots`: retakes the plugin catalog's pictures (plugin.json `screenshots`) with the
# e2e suite, which writes them from the sandbox at a fixed size (test/e2e/harness.ts,
# catalogScreenshot), and copies them into src/img/. Commit the new pictures: the package is built
# from the committed ones and never needs a browser.
set -euo pipefail
cd "$(dirname "$0")/.."
npm run --silent build >/dev/null
rm -rf test-output/e2e/catalog
npx jest test/e2e/sandbox.test.ts --selectProjects integration
cp test-output/e2e/catalog/screenshot-*.png src/img/
ls -l src/img/screenshot-*.png
