// Bundles the sandbox page (test/sandbox/page) with the real @grafana/*, react and rxjs
// packages into .tmp/sandbox-page/page.js. Webpack's file cache makes rebuilds quick.
import path from 'path';
import webpack from 'webpack';

const REPO = path.resolve(__dirname, '../..');
export const PAGE_DIR = path.join(REPO, '.tmp', 'sandbox-page');

export function buildPage(): Promise<string> {
  const compiler = webpack({
    // Production semantics (React's production build) without minifying: minifying
    // @grafana/ui takes minutes on a small machine and buys nothing here.
    mode: 'production',
    optimization: { minimize: false },
    devtool: false,
    context: REPO,
    entry: path.join(__dirname, 'page', 'index.tsx'),
    output: { path: PAGE_DIR, filename: 'page.js', publicPath: '/sandbox/', clean: true },
    resolve: { extensions: ['.tsx', '.ts', '.mjs', '.js', '.json'] },
    module: {
      rules: [
        { test: /\.m?js$/, resolve: { fullySpecified: false } },
        {
          test: /\.tsx?$/,
          exclude: /node_modules/,
          use: {
            loader: 'swc-loader',
            options: {
              jsc: {
                parser: { syntax: 'typescript', tsx: true },
                transform: { react: { runtime: 'automatic' } },
                target: 'es2020',
              },
            },
          },
        },
        { test: /\.css$/, use: ['style-loader', 'css-loader'] },
        { test: /\.(svg|png|woff2?|ttf|eot)$/, type: 'asset/resource' },
      ],
    },
    // One file: the page loads nothing lazily, so the tiny static server stays simple.
    plugins: [new webpack.optimize.LimitChunkCountPlugin({ maxChunks: 1 })],
    performance: { hints: false },
    cache: {
      type: 'filesystem',
      cacheDirectory: path.join(REPO, 'node_modules', '.cache', 'sandbox-page'),
      buildDependencies: { config: [__filename] },
    },
    infrastructureLogging: { level: 'error' },
  });
  return new Promise((resolve, reject) => {
    compiler.run((err, stats) => {
      compiler.close(() => {});
      if (err) {
        return reject(err);
      }
      if (stats?.hasErrors()) {
        const errors = stats.toJson({ all: false, errors: true }).errors ?? [];
        return reject(new Error('sandbox page build failed:\n' + errors.map((e) => e.message).join('\n')));
      }
      resolve(PAGE_DIR);
    });
  });
}

if (require.main === module) {
  const t0 = Date.now();
  buildPage().then(
    (dir) => console.log(`sandbox page built in ${((Date.now() - t0) / 1000).toFixed(1)} s: ${dir}/page.js`),
    (e) => {
      console.error(e.message);
      process.exit(1);
    }
  );
}
