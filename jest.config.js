// force timezone to UTC to allow tests to work regardless of local timezone
process.env.TZ = 'UTC';

const base = require('./.config/jest.config');

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
