// Jest setup provided by Grafana scaffolding. It mocks DOM APIs, so it only applies to
// jsdom tests; `@jest-environment node` tests (browser e2e, process harnesses) have no DOM.
if (typeof window !== 'undefined') {
  require('./.config/jest-setup');
}
