/** @jest-environment node */
// The sandbox's stand-in for Grafana's data-source proxy: requests reach the configured URL,
// basic auth and the plugin.json route's bearer header are added on the server, and secrets
// never come back to the browser.
import fs from 'fs';
import http from 'http';
import os from 'os';
import path from 'path';

import { httpRequest } from '../support/http';
import { freePort } from '../support/prometheus';
import { Sandbox, startSandbox } from './server';

interface Seen {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

let upstream: http.Server;
let upstreamUrl: string;
let seen: Seen[] = [];
let sandbox: Sandbox;
let distDir: string;

beforeAll(async () => {
  upstream = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      seen.push({ method: req.method!, url: req.url!, headers: req.headers, body });
      res.writeHead(200, { 'content-type': 'application/json', 'set-cookie': 'upstream=1' });
      res.end('{"status":"success"}');
    });
  });
  await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', r));
  upstreamUrl = `http://127.0.0.1:${(upstream.address() as any).port}/prom`;
  // A dist/ with the same routes as ours, so this test does not depend on a build.
  distDir = fs.mkdtempSync(path.join(os.tmpdir(), 'realmemory-dist-'));
  const routes = JSON.parse(fs.readFileSync(path.join(__dirname, '../../src/plugin.json'), 'utf8')).routes;
  fs.writeFileSync(path.join(distDir, 'plugin.json'), JSON.stringify({ id: 'test-ds', name: 'Test', routes }));
  sandbox = await startSandbox({ prometheusUrl: upstreamUrl, distDir, pageDir: distDir });
});

afterAll(async () => {
  await sandbox?.stop();
  await new Promise((r) => upstream?.close(r));
  fs.rmSync(distDir, { recursive: true, force: true });
});

beforeEach(() => (seen = []));

const api = (p: string) => `${sandbox.url}api/datasources${p}`;
const save = (settings: object) =>
  httpRequest(api(`/uid/${sandbox.uid}`), { method: 'PUT', body: JSON.stringify(settings), headers: { 'content-type': 'application/json' } });

test('forwards path, query and body to the data source URL, without the browser credentials', async () => {
  await save({ url: upstreamUrl, jsonData: {} });
  const res = await httpRequest(api(`/proxy/uid/${sandbox.uid}/api/v1/query_range?x=1`), {
    method: 'POST',
    body: 'query=up&step=15',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: 'grafana_session=secret', authorization: 'Bearer browser' },
  });
  expect(res.status).toBe(200);
  expect(res.headers['set-cookie']).toBeUndefined();
  expect(seen).toHaveLength(1);
  expect(seen[0]).toMatchObject({ method: 'POST', url: '/prom/api/v1/query_range?x=1', body: 'query=up&step=15' });
  expect(seen[0].headers.cookie).toBeUndefined();
  expect(seen[0].headers.authorization).toBeUndefined();
});

test('basic auth is added by the server; GET shows only that a password is set', async () => {
  await save({ url: upstreamUrl, basicAuth: true, basicAuthUser: 'ops', jsonData: {}, secureJsonData: { basicAuthPassword: 'p@ss:word' } });
  await httpRequest(api(`/proxy/uid/${sandbox.uid}/api/v1/labels`));
  expect(seen[0].headers.authorization).toBe('Basic ' + Buffer.from('ops:p@ss:word').toString('base64'));
  const body = (await httpRequest(api(`/uid/${sandbox.uid}`))).body;
  expect(JSON.parse(body).secureJsonFields).toEqual({ basicAuthPassword: true });
  expect(body).not.toContain('p@ss:word');
  // Saving again without the secret keeps it, as Grafana does.
  await save({ url: upstreamUrl, basicAuth: true, basicAuthUser: 'ops', jsonData: {} });
  await httpRequest(api(`/proxy/uid/${sandbox.uid}/api/v1/labels`));
  expect(seen[1].headers.authorization).toBe('Basic ' + Buffer.from('ops:p@ss:word').toString('base64'));
});

test('the plugin.json "bearer" route: prefix trimmed, URL and header filled from jsonData/secureJsonData', async () => {
  await save({ url: upstreamUrl, jsonData: { bearerUrl: upstreamUrl + '/via-route' }, secureJsonData: { bearerToken: 't0k3n' } });
  await httpRequest(api(`/proxy/uid/${sandbox.uid}/bearer/api/v1/query?query=up`));
  expect(seen[0].url).toBe('/prom/via-route/api/v1/query?query=up');
  expect(seen[0].headers.authorization).toBe('Bearer t0k3n');
  expect((await httpRequest(api(`/uid/${sandbox.uid}`))).body).not.toContain('t0k3n');
});

test('an unreachable data source answers 502 with an empty body, as Grafana does', async () => {
  const closed = `http://127.0.0.1:${await freePort()}`;
  await save({ url: closed, jsonData: {} });
  const res = await httpRequest(api(`/proxy/uid/${sandbox.uid}/api/v1/labels`));
  expect(res.status).toBe(502);
  expect(res.body).toBe('');
});
