// The sandbox's Node server: the page, the built plugin (where Grafana serves it), the data
// source settings API and Grafana's data-source proxy. Plain `http`, loopback only.
import fs from 'fs';
import http from 'http';
import path from 'path';

import type { TestVariable } from '../support/templateSrv';
import { PluginRoute, StoredDataSource, proxy } from './proxy';

export interface SandboxOptions {
  /** The Prometheus the data source points at initially. */
  prometheusUrl: string;
  /** 0 (default) picks a free port. */
  port?: number;
  /** The built plugin. Default: <repo>/dist. */
  distDir?: string;
  /** The built page bundle (see build-page.ts). */
  pageDir: string;
  /** Data-source proxy time-out. Grafana's default is 30 s. */
  proxyTimeoutMs?: number;
  /** Dashboard variables offered to the plugin. */
  variables?: TestVariable[];
}

export interface Sandbox {
  url: string;
  port: number;
  uid: string;
  pluginId: string;
  /** Server-side view of the data source, secrets included (for tests). */
  stored(): StoredDataSource;
  stop(): Promise<void>;
}

export const DS_UID = 'real-memory';
const REPO = path.resolve(__dirname, '../..');
// @grafana/ui's icons, where Grafana serves them (public/build/img/icons/).
const ICONS_BASE = '/public/build/img/icons/';
const ICONS_DIR = path.join(REPO, 'node_modules', '@grafana', 'ui', 'dist', 'public', 'img', 'icons');

const MIME: Record<string, string> = {
  '.js': 'text/javascript',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.map': 'application/json',
  '.md': 'text/markdown',
  '.css': 'text/css',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
};

function sendJson(res: http.ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

function serveFile(res: http.ServerResponse, root: string, rel: string) {
  const file = path.resolve(root, '.' + path.posix.normalize('/' + decodeURIComponent(rel)));
  if (!file.startsWith(path.resolve(root) + path.sep) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
    return sendJson(res, 404, { message: `Not found: ${rel}` });
  }
  res.writeHead(200, {
    'content-type': MIME[path.extname(file)] ?? 'application/octet-stream',
    'cache-control': 'no-store',
  });
  fs.createReadStream(file).pipe(res);
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function page(pluginId: string, variables: TestVariable[]): string {
  // grafanaBootData must exist before @grafana/runtime's config is evaluated.
  const boot = {
    settings: { appSubUrl: '', buildInfo: { version: '13.2.3', env: 'production' }, featureToggles: {} },
    user: { theme: 'dark', timezone: 'browser', orgRole: 'Admin', isSignedIn: true },
    navTree: [],
    assets: { dark: '', light: '' },
  };
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Real Memory sandbox</title>
<script>window.grafanaBootData = ${JSON.stringify(boot)}; window.sandboxConfig = ${JSON.stringify({ pluginId, uid: DS_UID, variables })};</script>
</head><body><div id="root"></div><script src="/sandbox/page.js"></script></body></html>`;
}

export async function startSandbox(opts: SandboxOptions): Promise<Sandbox> {
  const distDir = opts.distDir ?? path.join(REPO, 'dist');
  const pluginJson = JSON.parse(fs.readFileSync(path.join(distDir, 'plugin.json'), 'utf8'));
  const pluginId: string = pluginJson.id;
  const routes: PluginRoute[] = pluginJson.routes ?? [];
  const pluginBase = `/public/plugins/${pluginId}/`;
  const proxyPrefix = `/api/datasources/proxy/uid/${DS_UID}`;

  const ds: StoredDataSource = {
    uid: DS_UID,
    url: opts.prometheusUrl,
    basicAuth: false,
    basicAuthUser: '',
    jsonData: {},
    secureJsonData: {},
  };
  let version = 1;

  // What Grafana's /api/datasources/uid/<uid> returns: secrets only as `secureJsonFields`.
  const publicView = () => ({
    id: 1,
    uid: ds.uid,
    orgId: 1,
    name: pluginJson.name,
    type: pluginId,
    typeName: pluginJson.name,
    typeLogoUrl: pluginBase + (pluginJson.info?.logos?.small ?? ''),
    access: 'proxy',
    url: ds.url,
    user: '',
    database: '',
    basicAuth: ds.basicAuth,
    basicAuthUser: ds.basicAuthUser,
    withCredentials: false,
    isDefault: true,
    jsonData: ds.jsonData,
    secureJsonFields: Object.fromEntries(Object.keys(ds.secureJsonData).map((k) => [k, true])),
    version,
    readOnly: false,
  });

  const save = (body: any) => {
    ds.url = String(body.url ?? '');
    ds.basicAuth = Boolean(body.basicAuth);
    ds.basicAuthUser = String(body.basicAuthUser ?? '');
    ds.jsonData = body.jsonData ?? {};
    // Like Grafana: given secrets replace the stored ones, an empty string removes one, and
    // a secret left out is kept.
    for (const [k, v] of Object.entries<string>(body.secureJsonData ?? {})) {
      if (v === '' || v === null) {
        delete ds.secureJsonData[k];
      } else {
        ds.secureJsonData[k] = String(v);
      }
    }
    version++;
  };

  const server = http.createServer(async (req, res) => {
    try {
      const u = new URL(req.url ?? '/', 'http://127.0.0.1');
      const p = u.pathname;
      if (p === '/' || p === '/index.html') {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        return res.end(page(pluginId, opts.variables ?? []));
      }
      if (p.startsWith('/sandbox/')) {
        return serveFile(res, opts.pageDir, p.slice('/sandbox/'.length));
      }
      if (p.startsWith(ICONS_BASE)) {
        return serveFile(res, ICONS_DIR, p.slice(ICONS_BASE.length));
      }
      if (p.startsWith(pluginBase)) {
        return serveFile(res, distDir, p.slice(pluginBase.length));
      }
      if (p === proxyPrefix || p.startsWith(proxyPrefix + '/')) {
        return proxy(req, res, ds, routes, p.slice(proxyPrefix.length), u.search, opts.proxyTimeoutMs ?? 30000);
      }
      if (p === `/api/datasources/uid/${DS_UID}`) {
        if (req.method === 'GET') {
          return sendJson(res, 200, publicView());
        }
        if (req.method === 'PUT') {
          save(JSON.parse(await readBody(req)));
          return sendJson(res, 200, {
            id: 1,
            name: pluginJson.name,
            message: 'Datasource updated',
            datasource: publicView(),
          });
        }
      }
      return sendJson(res, 404, { message: `Not found: ${req.method} ${p}` });
    } catch (e: any) {
      sendJson(res, 500, { message: `Sandbox server error: ${e.message}` });
    }
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}/`,
    port,
    uid: DS_UID,
    pluginId,
    stored: () => JSON.parse(JSON.stringify(ds)),
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
