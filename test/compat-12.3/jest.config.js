// Jest for the compatibility check: the repository's jest, swc and jsdom (from the root
// node_modules), but Grafana's packages, React and rxjs from this folder's node_modules — for
// this folder's files and for the shared test helpers outside it (test/support, test/fixtures),
// so there is one instance of each, the old one.
process.env.TZ = 'UTC';

const path = require('path');

const REPO = path.resolve(__dirname, '../..');
const fromRepo = (name) => require.resolve(name, { paths: [REPO] });
const { grafanaESModules, nodeModulesToTransform } = require(path.join(REPO, '.config/jest/utils'));

const swc = [
  fromRepo('@swc/jest'),
  { jsc: { parser: { syntax: 'typescript', tsx: true }, transform: { react: { runtime: 'automatic' } } } },
];
const here = (name) => path.join(__dirname, 'node_modules', name);

module.exports = {
  rootDir: __dirname,
  roots: [__dirname],
  testMatch: ['<rootDir>/*.test.{ts,tsx}'],
  // jsdom with Node's fetch, which the Grafana fakes use (test/support/backendSrv.ts).
  testEnvironment: path.join(REPO, 'test/support/jsdomWithFetch.js'),
  // The scaffold's jsdom set-up (matchMedia, TextEncoder, jest-dom matchers), as the root config.
  setupFilesAfterEnv: [path.join(REPO, 'jest-setup.js')],
  testTimeout: 120000,
  transform: { '^.+\\.(t|j)sx?$': swc, '^.+\\.mjs$': swc },
  // Same ESM-only packages as the root config (jest.config.js) transforms.
  transformIgnorePatterns: [nodeModulesToTransform([...grafanaESModules, '@react-hookz', '@ver0', '@marcbachmann'])],
  moduleNameMapper: {
    '\\.(css|scss|sass)$': fromRepo('identity-obj-proxy'),
    // Icons fetch their SVG; the scaffold's mock draws an empty one.
    'react-inlinesvg': path.join(REPO, '.config/jest/mocks/react-inlinesvg.tsx'),
    '^@grafana/(data|ui|runtime)$': here('@grafana/$1'),
    '^react$': here('react'),
    '^react/(.*)$': here('react/$1'),
    '^react-dom$': here('react-dom'),
    '^react-dom/(.*)$': here('react-dom/$1'),
    '^rxjs$': here('rxjs'),
    '^rxjs/(.*)$': here('rxjs/$1'),
  },
};
