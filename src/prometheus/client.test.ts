import '../../test/support/polyfills';
import { lastValueFrom } from 'rxjs';

import { installBackendSrv, TestBackendSrv } from '../../test/support/backendSrv';
import { makeDataSource, panelRequest } from '../../test/support/dataSource';
import { GrafanaServer, inMemory, success } from '../../test/support/grafanaServer';
import { installTemplateSrv } from '../../test/support/templateSrv';
import { pointsOf } from '../memory/series';
import { CancelledError, describeFetchError, PrometheusClient } from './client';

const T0 = 1_700_000_000;
const MATRIX = success({
  resultType: 'matrix',
  result: [{ metric: { namespace: 'shop', pod: 'web-1', container: 'app' }, values: [[T0, '100'], [T0 + 60, '100']] }],
});

/**
 * Prometheus in memory, holding every range query's answer until `release()`: they stay in flight
 * meanwhile. Instant queries (the recording rules' probe: none here) answer at once.
 */
function heldPrometheus() {
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  const answer = inMemory((req) =>
    req.path === '/api/v1/query_range' ? MATRIX : success({ resultType: 'vector', result: [] })
  );
  const server: GrafanaServer = async (request, sent) => {
    if (sent.path === '/api/v1/query_range') {
      await held;
    }
    return answer(request, sent);
  };
  return { backend: installBackendSrv(server), release };
}

async function untilSent(backend: TestBackendSrv, count: number) {
  for (let i = 0; i < 100 && backend.requests.length < count; i++) {
    await new Promise((r) => setTimeout(r, 0));
  }
  expect(backend.requests.length).toBe(count);
}

describe('a request superseded by a newer one with the same requestId', () => {
  it('rejects with CancelledError (Grafana errors it with cancelled: true); the newer one answers', async () => {
    const { backend, release } = heldPrometheus();
    const client = new PrometheusClient('/api/datasources/proxy/uid/real-memory');
    const range = { start: T0, end: T0 + 60, step: 60 };
    const first = client.queryRange('up', range, 'r1');
    await untilSent(backend, 1);
    const second = client.queryRange('up', range, 'r1');
    await untilSent(backend, 2);
    release();
    await expect(first).rejects.toBeInstanceOf(CancelledError);
    expect((await second).map(pointsOf)).toEqual([
      [
        [T0 * 1000, 100],
        [(T0 + 60) * 1000, 100],
      ],
    ]);
  });

  it('a panel run superseded by a newer run with the same requestId shows no error and no frames', async () => {
    installTemplateSrv([]);
    const { backend, release } = heldPrometheus();
    const ds = makeDataSource();
    const request = panelRequest([{ namespace: 'shop' }], T0, T0 + 60, { requestId: 'panel-7', intervalMs: 60000 });
    const older = lastValueFrom(ds.query(request));
    await untilSent(backend, 3); // the recording rules' probe (no rules), working set and active file
    const newer = lastValueFrom(ds.query(request));
    await untilSent(backend, 5); // the probe's answer is remembered
    release();
    expect(await older).toEqual({ data: [], errors: [] });
    const answer = await newer;
    expect(answer.errors).toEqual([]);
    expect(answer.data).toHaveLength(1);
  });
});

describe('describeFetchError on errors as Grafana hands them over', () => {
  const config = { url: '/api/datasources/proxy/uid/real-memory/api/v1/query_range' };

  it("an empty 502 from Grafana's proxy (its data normalised from the empty text) says Prometheus could not be reached", () => {
    const err = { status: 502, statusText: 'Bad Gateway', data: { message: 'Bad Gateway', error: 'Bad Gateway', response: '' }, config };
    expect(describeFetchError(err)).toMatch(/^Grafana could not reach Prometheus \(502 Bad Gateway\): check the data source URL/);
  });

  it('an HTML error page is quoted by its title, not read as a Prometheus error', () => {
    const html = '<html><head><title>503 Service Temporarily Unavailable</title></head><body>nginx</body></html>';
    const err = { status: 503, statusText: 'Service Unavailable', data: { message: html, error: 'Service Unavailable', response: html }, config };
    expect(describeFetchError(err)).toBe(
      'Prometheus (or a proxy in front of it) answered 503 Service Unavailable: 503 Service Temporarily Unavailable'
    );
  });

  it("Prometheus' JSON error (Grafana copies `error` to `message`) gives Prometheus' words", () => {
    const data = { status: 'error', errorType: 'bad_data', error: 'parse error at char 5', message: 'parse error at char 5' };
    expect(describeFetchError({ status: 400, statusText: 'Bad Request', data, config })).toBe(
      'Prometheus error (bad_data): parse error at char 5'
    );
  });
});
