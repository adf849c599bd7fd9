// The test BackendSrv against a small loopback server: proxy URL mapping, bodies, recording,
// Grafana-shaped errors, requestId cancellation and abort on unsubscribe.
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
  /** URLs whose answer the client stopped waiting for (connection closed before the answer ended). */
  const aborted: string[] = [];

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      res.on('close', () => {
        if (!res.writableFinished) {
          aborted.push(req.url!);
        }
      });
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
    aborted.length = 0;
  });

  it('is what getBackendSrv() returns, and forwards proxy URLs with params', async () => {
    expect(getBackendSrv()).toBe(srv);
    const data = await srv.get('/api/datasources/proxy/uid/prom/api/v1/labels', { 'match[]': ['a', 'b'] });
    expect(data).toEqual({ ok: true });
    expect(seen[0]).toMatchObject({ method: 'GET', url: '/api/v1/labels?match%5B%5D=a&match%5B%5D=b' });
    expect(srv.requests[0]).toMatchObject({ method: 'GET', params: { 'match[]': ['a', 'b'] } });
  });

  it("encodes bodies as Grafana does: strings as they are, objects as a form or JSON by content type, and records the PromQL", async () => {
    const form = { headers: { 'Content-Type': 'application/x-www-form-urlencoded' } };
    await srv.post('/api/datasources/proxy/uid/prom/api/v1/query', 'query=up%7Bjob%3D%22x%22%7D&time=5', form);
    await srv.post('/api/datasources/proxy/uid/prom/api/v1/query', { query: 'sum(up)' }, form);
    await srv.post('/api/datasources/proxy/uid/prom/other', { a: 1 });
    // Grafana labels a POST without a content type as JSON, whatever the body.
    await srv.post('/api/datasources/proxy/uid/prom/other', 'plain text');
    expect(seen.map((s) => [s.type, s.body])).toEqual([
      ['application/x-www-form-urlencoded', 'query=up%7Bjob%3D%22x%22%7D&time=5'],
      ['application/x-www-form-urlencoded', 'query=sum%28up%29'],
      ['application/json', '{"a":1}'],
      ['application/json', 'plain text'],
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
    // A text body becomes { message, error: statusText, response }, as Grafana's processRequestError makes it.
    const text = lastValueFrom(srv.fetch({ url: '/api/datasources/proxy/uid/prom/text-error' }));
    await expect(text).rejects.toMatchObject({
      status: 503,
      data: {
        message: expect.stringContaining('down for maintenance'),
        error: 'Service Unavailable',
        response: expect.stringContaining('down for maintenance'),
      },
    });
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

  it("a newer request with the same requestId cancels an unfinished one: it errors as Grafana's does and its HTTP request is aborted", async () => {
    const first = lastValueFrom(srv.fetch({ url: '/api/datasources/proxy/uid/prom/slow?n=1', requestId: 'r1' }));
    const second = lastValueFrom(srv.fetch({ url: '/api/datasources/proxy/uid/prom/slow?n=2', requestId: 'r1' }));
    const other = lastValueFrom(srv.fetch({ url: '/api/datasources/proxy/uid/prom/slow?n=3', requestId: 'r2' }));
    await expect(first).rejects.toEqual({
      type: 'cancelled',
      cancelled: true,
      status: -1,
      statusText: 'Request was aborted',
      data: null,
      config: { url: '/api/datasources/proxy/uid/prom/slow?n=1', requestId: 'r1' },
    });
    expect((await second).data).toEqual({ late: true });
    expect((await other).data).toEqual({ late: true });
    expect(aborted).toEqual(['/slow?n=1']);
  });

  it('a finished request is not cancelled by a later one with the same requestId', async () => {
    const first = await lastValueFrom(srv.fetch({ url: '/api/datasources/proxy/uid/prom/fast', requestId: 'r1' }));
    const second = await lastValueFrom(srv.fetch({ url: '/api/datasources/proxy/uid/prom/fast', requestId: 'r1' }));
    expect([first.data, second.data]).toEqual([{ ok: true }, { ok: true }]);
  });

  it('unsubscribing aborts the HTTP request and emits nothing', async () => {
    const emitted: unknown[] = [];
    const sub = srv
      .fetch({ url: '/api/datasources/proxy/uid/prom/slow?n=4' })
      .subscribe({ next: (v) => emitted.push(v), error: (e) => emitted.push(e), complete: () => emitted.push('complete') });
    for (let i = 0; i < 100 && seen.length === 0; i++) {
      await new Promise((r) => setTimeout(r, 10));
    }
    sub.unsubscribe();
    for (let i = 0; i < 100 && aborted.length === 0; i++) {
      await new Promise((r) => setTimeout(r, 10));
    }
    expect(aborted).toEqual(['/slow?n=4']);
    await new Promise((r) => setTimeout(r, 1200)); // past the moment the server would have answered
    expect(emitted).toEqual([]);
  });
});
