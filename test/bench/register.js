// ts-node for the benchmark: modern classes (Grafana's classes cannot be extended from ES5
// output, which the repo's ts-node default targets) and CommonJS modules.
require('ts-node').register({
  transpileOnly: true,
  compilerOptions: { module: 'commonjs', moduleResolution: 'node10', target: 'es2020', esModuleInterop: true, jsx: 'react-jsx' },
});
