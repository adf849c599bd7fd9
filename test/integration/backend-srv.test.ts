// The test BackendSrv against a small loopback server: proxy URL mapping, bodies, recording,
// Grafana-shaped errors and requestId cancellation.
import '../support/polyfills';

import { getBackendSrv } from '@grafana/runtime';
import http from 'http';
import { AddressInfo } from 'net';
import { lastValueFrom } from 'rxjs';

import { installBackendSrv, TestBackendSrv } from '../support/backendSrv';
import { freePort } from '../support/prometheus';

jest.setTimeout(30000);

describe('TestBackendSrv', () => {
  let server: http.Server;
  let srv: TestBackendSrv;
  const seen: Array<{ method: string; url: string; type?: string; body: string }> = [];

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        seen.push({ method: req.method!, url: req.url!, type: req.headers['content-type'], body });
        if (req.url!.startsWith('/slow')) {
          setTimeout(() => res.end('{"late":true}'), 1000);
        } else if (req.url!.startsWith('/text-error')) {
          res.writeHead(503, 'Service Unavailable').end('<html><title>down for maintenance</title></html>');
        } else if (req.url!.startsWith('/json-error')) {
          res.writeHead(400, 'Bad Request').end('{"status":"error","errorType":"bad_data","error":"parse error"}');
        } else {
          res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ ok: true }));
        }
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const closed = await freePort();
    srv = installBackendSrv({
      prom: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      gone: `http://127.0.0.1:${closed}`,
    });
  });

  afterAll(() => new Promise((r) => server.close(r)));

  beforeEach(() => {
    srv.reset();
    seen.length = 0;
  });

  it('is what getBackendSrv() returns, and forwards proxy URLs with params', async () => {
    expect(getBackendSrv()).toBe(srv);
    const data = await srv.get('/api/datasources/proxy/uid/prom/api/v1/labels', { 'match[]': ['a', 'b'] });
    expect(data).toEqual({ ok: true });
    expect(seen[0]).toMatchObject({ method: 'GET', url: '/api/v1/labels?match%5B%5D=a&match%5B%5D=b' });
    expect(srv.requests[0]).toMatchObject({ method: 'GET', params: { 'match[]': ['a', 'b'] } });
  });

  it('sends form strings and objects as forms, other objects as JSON, and records the PromQL', async () => {
    await srv.post('/api/datasources/proxy/uid/prom/api/v1/query', 'query=up%7Bjob%3D%22x%22%7D&time=5');
    await srv.post(
      '/api/datasources/proxy/uid/prom/api/v1/query',
      { query: 'sum(up)' },
      {
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      }
    );
    await srv.post('/api/datasources/proxy/uid/prom/other', { a: 1 });
    expect(seen.map((s) => [s.type, s.body])).toEqual([
      ['application/x-www-form-urlencoded', 'query=up%7Bjob%3D%22x%22%7D&time=5'],
      ['application/x-www-form-urlencoded', 'query=sum%28up%29'],
      ['application/json', '{"a":1}'],
    ]);
    expect(srv.queries).toEqual(['up{job="x"}', 'sum(up)']);
  });

  it('errors like Grafana: status, statusText, data (JSON or text), config', async () => {
    const json = lastValueFrom(srv.fetch({ url: '/api/datasources/proxy/uid/prom/json-error' }));
    await expect(json).rejects.toMatchObject({
      status: 400,
      statusText: 'Bad Request',
      data: { errorType: 'bad_data', error: 'parse error' },
      config: { url: '/api/datasources/proxy/uid/prom/json-error' },
    });
    const text = lastValueFrom(srv.fetch({ url: '/api/datasources/proxy/uid/prom/text-error' }));
    await expect(text).rejects.toMatchObject({ status: 503, data: expect.stringContaining('down for maintenance') });
  });

  it('answers 502 Bad Gateway when the upstream cannot be reached, 404 for an unknown uid', async () => {
    await expect(
      lastValueFrom(srv.fetch({ url: '/api/datasources/proxy/uid/gone/api/v1/query' }))
    ).rejects.toMatchObject({
      status: 502,
      statusText: 'Bad Gateway',
      data: { message: expect.stringMatching(/cannot be reached: .*ECONNREFUSED/) },
    });
    await expect(lastValueFrom(srv.fetch({ url: '/api/datasources/proxy/uid/nope/x' }))).rejects.toMatchObject({
      status: 404,
      data: { message: 'Data source with uid "nope" not found' },
    });
  });

  it('cancels an earlier request with the same requestId: it completes without a value', async () => {
    const first = lastValueFrom(srv.fetch({ url: '/api/datasources/proxy/uid/prom/slow', requestId: 'r1' }), {
      defaultValue: 'cancelled',
    });
    const second = lastValueFrom(srv.fetch({ url: '/api/datasources/proxy/uid/prom/slow', requestId: 'r1' }));
    const other = lastValueFrom(srv.fetch({ url: '/api/datasources/proxy/uid/prom/slow', requestId: 'r2' }));
    expect(await first).toBe('cancelled');
    expect((await second).data).toEqual({ late: true });
    expect((await other).data).toEqual({ late: true });
  });
});
