// force timezone to UTC to allow tests to work regardless of local timezone
process.env.TZ = 'UTC';

const scaffold = require('./.config/jest.config');

// d3-interpolate 3.0.2 (pulled in by @grafana/data) ships only `.mjs`, which the scaffold's
// transform pattern does not cover; transform `.mjs` with the same swc settings.
const swc = scaffold.transform['^.+\\.(t|j)sx?$'];
// @react-hookz/web (imported by @grafana/data via @grafana/runtime and @grafana/ui) and its @ver0/deep-equal are ESM-only too.
const { grafanaESModules, nodeModulesToTransform } = require('./.config/jest/utils');
const base = {
  ...scaffold,
  // jsdom with Node's fetch, which the Grafana fakes use (test/support/backendSrv.ts).
  testEnvironment: '<rootDir>/test/support/jsdomWithFetch.js',
  transform: { '^.+\\.(t|j)sx?$': swc, '^.+\\.mjs$': swc },
  transformIgnorePatterns: [nodeModulesToTransform([...grafanaESModules, '@react-hookz', '@ver0', '@marcbachmann'])],
  // The Grafana 12.3 check has its own packages and jest config (scripts/compat.sh).
  modulePathIgnorePatterns: ['<rootDir>/test/compat-12.3/'],
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/compat-12.3/'],
};

// Two projects: fast unit tests beside the code (src/), and integration tests (test/)
// that start a real Prometheus, real cgroups and a real browser; those run one at a time.
module.exports = {
  testTimeout: 120000,
  projects: [
    { ...base, displayName: 'unit', rootDir: __dirname },
    {
      ...base,
      displayName: 'integration',
      rootDir: __dirname,
      testMatch: ['<rootDir>/test/**/*.test.{ts,tsx}'],
    },
  ],
};
