// Grafana's data-source proxy, as far as a frontend plugin can see it:
// /api/datasources/proxy/uid/<uid>/<path> goes to the data source URL + <path>, or, when <path>
// starts with a plugin.json `routes` entry's path, to that route's URL (templates filled from
// jsonData / decrypted secureJsonData) with the route's headers. Secrets are added here, on the
// server, and never reach the browser. Upstream failures answer like Grafana: 502 (or 504 on a
// time-out) with an empty body.
import http from 'http';
import https from 'https';

export interface PluginRoute {
  path: string;
  method?: string;
  url?: string;
  headers?: Array<{ name: string; content: string }>;
  urlParams?: Array<{ name: string; content: string }>;
}

/** What the server keeps for a data source; secureJsonData never leaves the server. */
export interface StoredDataSource {
  uid: string;
  url: string;
  basicAuth: boolean;
  basicAuthUser: string;
  jsonData: Record<string, any>;
  secureJsonData: Record<string, string>;
}

/** Go-template subset Grafana's routes use: {{ .JsonData.x }} and {{ .SecureJsonData.x }}. */
export function interpolateRoute(template: string, ds: StoredDataSource): string {
  return template.replace(/\{\{\s*\.(JsonData|SecureJsonData)\.(\w+)\s*\}\}/g, (_, scope: string, key: string) => {
    const source = scope === 'JsonData' ? ds.jsonData : ds.secureJsonData;
    const value = source[key];
    // Go's text/template prints a missing map key as "<no value>".
    return value === undefined || value === null ? '<no value>' : String(value);
  });
}

function cleanPath(p: string): string {
  return p.replace(/^\/+/, '').replace(/\/+$/, '');
}

export function matchRoute(routes: PluginRoute[], method: string, proxyPath: string): PluginRoute | undefined {
  return routes.find(
    (r) => (!r.method || r.method === '*' || r.method === method) && cleanPath(proxyPath).startsWith(cleanPath(r.path))
  );
}

function joinUrl(base: string, rest: string): string {
  if (!rest) {
    return base;
  }
  return base.replace(/\/+$/, '') + '/' + rest.replace(/^\/+/, '');
}

/** The upstream URL and headers for one proxied request. */
export function upstreamRequest(
  ds: StoredDataSource,
  routes: PluginRoute[],
  method: string,
  proxyPath: string,
  search: string
): { url: URL; headers: Record<string, string> } {
  const headers: Record<string, string> = {};
  if (ds.basicAuth) {
    const pass = ds.secureJsonData.basicAuthPassword ?? '';
    headers.authorization = 'Basic ' + Buffer.from(`${ds.basicAuthUser}:${pass}`).toString('base64');
  }
  const route = matchRoute(routes, method, proxyPath);
  let target: string;
  if (route) {
    const rest = cleanPath(proxyPath).slice(cleanPath(route.path).length);
    target = joinUrl(route.url ? interpolateRoute(route.url, ds) : ds.url, rest);
    for (const h of route.headers ?? []) {
      headers[h.name.toLowerCase()] = interpolateRoute(h.content, ds);
    }
  } else {
    target = joinUrl(ds.url, proxyPath);
  }
  const url = new URL(target);
  url.search = search;
  for (const p of route?.urlParams ?? []) {
    url.searchParams.set(p.name, interpolateRoute(p.content, ds));
  }
  return { url, headers };
}

const PASS_HEADERS = ['accept', 'content-type', 'content-length', 'accept-encoding'];

export function proxy(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  ds: StoredDataSource,
  routes: PluginRoute[],
  proxyPath: string,
  search: string,
  timeoutMs: number
): void {
  let upstream: ReturnType<typeof upstreamRequest>;
  try {
    upstream = upstreamRequest(ds, routes, req.method ?? 'GET', proxyPath, search);
  } catch (e: any) {
    // Grafana answers an unusable data source URL with a 400 and a message.
    res.writeHead(400, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ message: `Invalid data source URL: ${e.message}` }));
    return;
  }
  const headers: Record<string, string> = {};
  for (const h of PASS_HEADERS) {
    const v = req.headers[h];
    if (typeof v === 'string') {
      headers[h] = v;
    }
  }
  Object.assign(headers, upstream.headers);
  const lib = upstream.url.protocol === 'https:' ? https : http;
  const out = lib.request(upstream.url, { method: req.method, headers }, (up) => {
    const h = { ...up.headers };
    delete h['set-cookie'];
    res.writeHead(up.statusCode ?? 502, h);
    up.pipe(res);
  });
  out.setTimeout(timeoutMs, () => out.destroy(Object.assign(new Error('timeout'), { timeout: true })));
  out.on('error', (e: any) => {
    if (!res.headersSent) {
      res.writeHead(e.timeout ? 504 : 502);
    }
    res.end();
  });
  // A browser that aborts (a superseded requestId) aborts the upstream request too.
  res.on('close', () => {
    if (!res.writableFinished) {
      out.destroy();
    }
  });
  req.pipe(out);
}
