/**
 * Faults between the data source and Prometheus: unreachable Prometheus, error pages, a time-out,
 * a cut-off answer, Prometheus' own errors, and a refresh that supersedes a request in flight.
 * Each case: query() emits one response (never an error or exception) whose `errors` carry a
 * specific sentence, and no frame with numbers.
 */
import '../support/polyfills';

import type { DataQueryResponse } from '@grafana/data';

import { freePort } from '../support/prometheus';
import { installBackendSrv } from '../support/backendSrv';
import { NS } from './faultData';
import { Fault, startFaultProxy } from './faultProxy';
import { faultSuite, UID, makeDataSource, panelRequest, runQuery } from './harness';

const PROXY_TIMEOUT_MS = 1500;

const suite = faultSuite({ timeoutMs: PROXY_TIMEOUT_MS });
const { end: END, timestamps: TS } = suite;
beforeEach(() => {
  installBackendSrv({ [UID]: suite.rig.proxy.url });
});

const request = () => panelRequest([{ namespace: NS }], TS[0], END);

async function withFault(fault: Fault): Promise<DataQueryResponse> {
  suite.rig.proxy.fault = () => fault;
  return runQuery(suite.rig.ds, request());
}

function expectOnlyError(res: DataQueryResponse, message: RegExp) {
  expect(res.errors).toHaveLength(1);
  expect(res.errors![0].refId).toBe('A');
  expect(res.errors![0].message).toMatch(message);
  expect(res.data).toHaveLength(0);
}

const HTML = (status: string) =>
  `<html>\r\n<head><title>${status}</title></head>\r\n<body>\r\n<center><h1>${status}</h1></center>\r\n<hr><center>nginx/1.25.3</center>\r\n</body>\r\n</html>\r\n`;

it('answers normally through the fault proxy when nothing is injected (the baseline)', async () => {
  const res = await runQuery(suite.rig.ds, request());
  expect(res.errors).toEqual([]);
  expect(res.data.length).toBe(4); // ok, weird, dup, short
});

describe('Prometheus cannot be reached', () => {
  it("Prometheus down behind Grafana's proxy (502, empty body)", async () => {
    const closed = await freePort();
    const proxy = await startFaultProxy(`http://127.0.0.1:${closed}`);
    installBackendSrv({ [UID]: proxy.url });
    try {
      const res = await runQuery(makeDataSource(), request());
      expectOnlyError(res, /^Grafana could not reach Prometheus \(502 Bad Gateway\).*data source URL/);
    } finally {
      await proxy.close();
    }
  });

  it("Grafana's proxy itself refuses the connection (502 with Grafana's JSON message)", async () => {
    const closed = await freePort();
    installBackendSrv({ [UID]: `http://127.0.0.1:${closed}` });
    const res = await runQuery(makeDataSource(), request());
    expectOnlyError(res, /Cannot reach Prometheus through Grafana's proxy \(502 Bad Gateway\): .*ECONNREFUSED/);
  });

  it('the connection drops without an answer', async () => {
    const res = await withFault({ kind: 'hangup' });
    // fetch's words for the dropped connection (Node's http module said "socket hang up").
    expectOnlyError(res, /Cannot reach Prometheus through Grafana's proxy \(502 Bad Gateway\): .*other side closed/);
  });
});

describe('error pages', () => {
  it.each([500, 502, 503])('%i with an HTML page from a proxy in front of Prometheus', async (status) => {
    const text = `${status} ${status === 500 ? 'Internal Server Error' : status === 502 ? 'Bad Gateway' : 'Service Temporarily Unavailable'}`;
    const res = await withFault({ kind: 'respond', status, contentType: 'text/html', body: HTML(text) });
    expectOnlyError(res, new RegExp(`^Prometheus \\(or a proxy in front of it\\) answered ${status} .*: ${text}$`));
  });

  it.each([
    [500, 'internal', 'unexpected error: runtime error'],
    [503, 'unavailable', 'Prometheus is shutting down'],
    [503, 'timeout', 'query timed out in expression evaluation'],
  ])('%i with a Prometheus JSON error (%s)', async (status, errorType, error) => {
    const body = JSON.stringify({ status: 'error', errorType, error });
    const res = await withFault({ kind: 'respond', status, contentType: 'application/json', body });
    expectOnlyError(res, new RegExp(`^Prometheus error \\(${errorType}\\): ${error}`));
  });

  it('502 with a JSON message from another gateway', async () => {
    const body = JSON.stringify({ message: 'upstream connect error or disconnect/reset before headers' });
    const res = await withFault({ kind: 'respond', status: 502, contentType: 'application/json', body });
    expectOnlyError(res, /Cannot reach Prometheus through Grafana's proxy \(502 Bad Gateway\): upstream connect error/);
  });
});

describe('time-out', () => {
  it("Prometheus answers after Grafana's proxy time-out: 504 with a clear message", async () => {
    const started = Date.now();
    const res = await withFault({ kind: 'delay', ms: PROXY_TIMEOUT_MS + 2000 });
    expectOnlyError(
      res,
      /Prometheus did not answer in time: Grafana's data-source proxy gave up \(504 Gateway Timeout\).*raise Min step.*\[dataproxy\] timeout/
    );
    expect(Date.now() - started).toBeLessThan(PROXY_TIMEOUT_MS + 1500);
  });

  it('a slow answer within the time-out is fine', async () => {
    const res = await withFault({ kind: 'delay', ms: 300 });
    expect(res.errors).toEqual([]);
    expect(res.data).toHaveLength(4);
  });
});

describe('cut-off and malformed answers', () => {
  it('truncated JSON (status 200)', async () => {
    const res = await withFault({ kind: 'truncate', bytes: 200 });
    expectOnlyError(res, /^Prometheus' answer was cut off: 200 characters of incomplete JSON/);
  });

  it('an empty 200 answer', async () => {
    const res = await withFault({ kind: 'truncate', bytes: 0 });
    expectOnlyError(res, /^Prometheus sent an empty answer/);
  });

  it('a 200 answer that is not Prometheus JSON (an HTML login page)', async () => {
    const res = await withFault({
      kind: 'respond',
      status: 200,
      contentType: 'text/html',
      body: '<html><title>Sign in</title></html>',
    });
    expectOnlyError(res, /did not look like a Prometheus API response; is the URL a Prometheus server\?/);
  });
});

describe("Prometheus' own errors, produced by a real Prometheus", () => {
  it('bad_data: a query Prometheus cannot parse', async () => {
    const res = await withFault({
      kind: 'editRequest',
      edit: (p) => p.set('query', 'sum by (namespace (container_memory_rss)'),
    });
    expectOnlyError(res, /^Prometheus error \(bad_data\): .*parse error/);
  });

  it('execution: a query whose result has duplicate label sets', async () => {
    const query = `{__name__=~"container_memory_rss|container_memory_cache", namespace="${NS}"} + 1`;
    const res = await withFault({ kind: 'editRequest', edit: (p) => p.set('query', query) });
    expectOnlyError(res, /^Prometheus error \(execution\): .*same labelset/);
  });

  it('bad_data: more than 11,000 points per series', async () => {
    const res = await withFault({
      kind: 'editRequest',
      edit: (p) => {
        p.set('start', String(END - 86400));
        p.set('step', '1');
      },
    });
    expectOnlyError(res, /^Prometheus error \(bad_data\): exceeded maximum resolution of 11,000 points per timeseries/);
  });

  it.each([
    // Prometheus' two wordings of its --query.timeout: during evaluation, and while it reads the index.
    ['timeout', 503, 'query timed out in expression evaluation'],
    ['execution', 422, 'expanding series: context deadline exceeded'],
  ])('%s "%s"-style time-out: named, with the remedies, Min step among them', async (errorType, status, error) => {
    const body = JSON.stringify({ status: 'error', errorType, error });
    const res = await withFault({ kind: 'respond', status: status as number, contentType: 'application/json', body });
    expectOnlyError(
      res,
      new RegExp(
        `^Prometheus error \\(${errorType}\\): ${error} — narrow the selection \\(namespace, pod\\), shorten the time range, use top N, or raise Min step \\(fewer points per series\\)\\.$`
      )
    );
  });

  it('422 too many samples: tells how to narrow the query', async () => {
    const body = JSON.stringify({
      status: 'error',
      errorType: 'execution',
      error: 'query processing would load too many samples into memory in query execution',
    });
    const res = await withFault({ kind: 'respond', status: 422, contentType: 'application/json', body });
    expectOnlyError(
      res,
      /^Prometheus error \(execution\): query processing would load too many samples.*narrow the selection.*top N/
    );
  });
});

describe('a dashboard refresh supersedes the request in flight', () => {
  const waitForRequests = async () => {
    for (let i = 0; i < 50 && suite.rig.proxy.requests.length === 0; i++) {
      await new Promise((r) => setTimeout(r, 20));
    }
    await new Promise((r) => setTimeout(r, 100));
    return suite.rig.proxy.requests.length;
  };

  it("Grafana's way: a new run (new requestId) unsubscribes the old one, whose HTTP requests are aborted", async () => {
    suite.rig.proxy.fault = () => ({ kind: 'delay', ms: 1000 });
    suite.rig.proxy.requests.length = 0;
    const emitted: unknown[] = [];
    const sub = suite.rig.ds
      .query(request())
      .subscribe({ next: (r) => emitted.push(r), error: (e) => emitted.push(e) });
    const inFlight = await waitForRequests();
    expect(inFlight).toBeGreaterThan(0);
    sub.unsubscribe();
    suite.rig.proxy.fault = () => ({ kind: 'pass' });
    const second = await runQuery(suite.rig.ds, request());

    expect(second.errors).toEqual([]);
    expect(second.data).toHaveLength(4);
    const first = suite.rig.proxy.requests.slice(0, inFlight);
    expect(first.every((r) => r.aborted && r.status === undefined)).toBe(true);
    expect(emitted).toEqual([]);
  });

  it('a newer request with the same requestId cancels the older one: no error, no frames', async () => {
    suite.rig.proxy.fault = () => ({ kind: 'delay', ms: 1000 });
    suite.rig.proxy.requests.length = 0;
    const req = request();
    const first = runQuery(suite.rig.ds, req);
    const inFlight = await waitForRequests();
    suite.rig.proxy.fault = () => ({ kind: 'pass' });
    const second = await runQuery(suite.rig.ds, { ...req });
    const firstRes = await first;

    expect(firstRes.errors).toEqual([]);
    expect(firstRes.data).toEqual([]);
    expect(second.errors).toEqual([]);
    expect(second.data).toHaveLength(4);
    expect(suite.rig.proxy.requests.slice(0, inFlight).every((r) => r.aborted)).toBe(true);
  });
});
