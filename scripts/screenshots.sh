#!/usr/bin/env bash
# `npm run screenshots`: retakes the pictures with the e2e suite, which writes them from the sandbox
# (test/e2e/harness.ts): the plugin catalog's (plugin.json `screenshots`, at a fixed size) into
# src/img/, and the README's into docs/. Then records in src/img/screenshots.json which source they
# show (scripts/package/pictures.ts), and builds again so that dist/ holds them: `npm run package`
# refuses pictures of another source. Commit the pictures and the record: the package is built from
# the committed ones and never needs a browser.
set -euo pipefail
cd "$(dirname "$0")/.."
pictures() { node -r ts-node/register/transpile-only scripts/package/pictures.ts "$@"; }
# Hashed before the build: a source edited while the pictures are taken no longer matches the record.
source_hash=$(pictures source)
npm run --silent build >/dev/null
rm -rf test-output/e2e/catalog test-output/e2e/readme
npx jest test/e2e/sandbox.test.ts --selectProjects integration
cp test-output/e2e/catalog/screenshot-*.png src/img/
cp test-output/e2e/readme/screenshot.png test-output/e2e/readme/screenshot-nodes.png docs/
pictures record "$source_hash"
npm run --silent build >/dev/null
ls -l src/img/screenshot-*.png src/img/screenshots.json docs/screenshot*.png
