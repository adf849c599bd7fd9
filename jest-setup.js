// Jest setup provided by Grafana scaffolding. It mocks DOM APIs, so it only applies to
// jsdom tests; `@jest-environment node` tests (browser e2e, process harnesses) have no DOM.
if (typeof window !== 'undefined') {
  require('./.config/jest-setup');
  // What @grafana/ui needs at import time (the view registry brings its editor fields along with
  // every view, so anything that imports the data source or the query model loads it).
  require('./test/support/polyfills');
}
