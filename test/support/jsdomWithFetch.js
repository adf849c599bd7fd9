// Jest's jsdom environment plus Node's fetch: jsdom has no fetch, and the Grafana fakes
// (test/support/backendSrv.ts) send HTTP with the global fetch, as a browser does.
const { TestEnvironment } = require('jest-environment-jsdom');

class JsdomWithFetch extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    for (const name of ['fetch', 'Request', 'Response', 'Headers']) {
      if (this.global[name] === undefined) {
        this.global[name] = globalThis[name];
      }
    }
  }
}

module.exports = JsdomWithFetch;
