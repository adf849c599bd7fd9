// Incremental refresh and shared queries through DataSource.query() on a real Prometheus: a panel
// on "last 2 hours", refreshed every few minutes across six hours of generated data (a leak, page
// cache, a sawtooth at the limit, a restart mid-range), must draw exactly what a full query draws,
// while asking Prometheus for a fraction of the points.
import '../support/polyfills';
import { DataFrame, DataQueryRequest, dateTime } from '@grafana/data';

import { RealMemoryQuery } from '../../src/types';
import { RESTART_AT, buildTrendDataset } from '../fixtures/trends';
import {
  makeDataSource,
  panelRequest,
  PrometheusDataSource,
  runQuery,
  startPrometheusDataSource,
} from '../support/dataSource';

jest.setTimeout(300000);

const data = buildTrendDataset();
const WINDOW = 2 * 3600;
let rig: PrometheusDataSource;

beforeAll(async () => {
  rig = await startPrometheusDataSource({ openMetrics: data.openMetrics }, { uid: 'incremental' });
}, 60000);

afterAll(async () => {
  await rig?.stop();
});

/** "Last 2 hours" as Grafana sends it when `now` is `nowSec`: relative raw range, evaluated from/to. */
function relative(
  targets: Array<Partial<RealMemoryQuery>>,
  nowSec: number,
  panelId = 7
): DataQueryRequest<RealMemoryQuery> {
  const req = panelRequest(targets, nowSec - WINDOW, nowSec, {
    interval: '1m',
    intervalMs: 60000,
    panelId,
    dashboardUID: 'd1',
  });
  return {
    ...req,
    range: {
      from: dateTime((nowSec - WINDOW) * 1000),
      to: dateTime(nowSec * 1000),
      raw: { from: 'now-2h', to: 'now' },
    },
  };
}

/** Every field of every frame as plain arrays, so two answers compare point by point. */
const plain = (frames: DataFrame[]) =>
  frames.map((f) => ({ name: f.name, fields: f.fields.map((x) => ({ name: x.name, values: Array.from(x.values) })) }));

/** Grid points asked of Prometheus by the range queries among `requests`. */
function pointsAsked(requests: Array<{ params: Record<string, string | string[]> }>): number {
  return requests
    .filter((r) => r.params.step !== undefined)
    .reduce((n, r) => n + (Number(r.params.end) - Number(r.params.start)) / Number(r.params.step) + 1, 0);
}

const TARGETS: Array<Partial<RealMemoryQuery>> = [
  { namespace: 'trend', view: 'realVsWorkingSet', showLimits: true },
  { namespace: 'trend', view: 'breakdown' },
  { namespace: 'trend', view: 'leakCheck' },
  { namespace: 'trend', view: 'headroom', groupBy: 'pod' },
];

it('merged refreshes equal full queries at every refresh, across a restart, with a fraction of the points', async () => {
  const incremental = makeDataSource({}, 'incremental');
  const full = makeDataSource({ incrementalRefresh: false }, 'incremental');
  let askedIncremental = 0;
  let askedFull = 0;
  const restartAt = data.start + RESTART_AT * data.step;
  let refreshes = 0;
  // From a window ending before the restart to one starting after it, every 7 minutes.
  for (let now = restartAt - 20 * 60; now <= Math.min(restartAt + WINDOW + 20 * 60, data.end); now += 7 * 60) {
    rig.backend.requests.length = 0;
    const a = await runQuery(incremental, relative(TARGETS, now));
    askedIncremental += refreshes > 0 ? pointsAsked(rig.backend.requests) : 0;
    rig.backend.requests.length = 0;
    const b = await runQuery(full, relative(TARGETS, now, 8));
    askedFull += refreshes > 0 ? pointsAsked(rig.backend.requests) : 0;
    expect(a.errors ?? []).toEqual([]);
    expect(b.errors ?? []).toEqual([]);
    expect(plain(a.data)).toEqual(plain(b.data));
    refreshes++;
  }
  expect(refreshes).toBeGreaterThan(20);
  // Each refresh re-reads at most the 7 new minutes plus the 10-minute overlap of a 2-hour window.
  expect(askedIncremental / askedFull).toBeLessThan(0.2);
  console.log(
    `incremental refresh: ${refreshes} refreshes, points asked ${askedIncremental} vs ${askedFull} for full queries (${((100 * askedIncremental) / askedFull).toFixed(1)}%)`
  );
});

it('top N on "last 2 hours" ranks at 5-minute marks: refreshes every minute equal a full query of the same moment, and rank only at a new mark', async () => {
  const target: Partial<RealMemoryQuery> = { namespace: 'trend', view: 'realVsWorkingSet', topN: 3 };
  const ds = makeDataSource({}, 'incremental');
  const restartAt = data.start + RESTART_AT * data.step;
  const notices = new Set<string>();
  const orders = new Set<string>();
  let rankings = 0;
  let refetched = 0;
  let refreshes = 0;
  // Forty one-minute refreshes around the restart, where the ranking changes.
  for (let now = restartAt - 20 * 60 + 17; now <= restartAt + 20 * 60; now += 60) {
    rig.backend.requests.length = 0;
    const merged = await runQuery(ds, relative([target], now));
    const asked = [...rig.backend.requests];
    // Top N, the count of groups and the file-cache probe (the recorded-series probe is the data source's, cached apart).
    const ranked = asked.filter((r) => /^(topk\(|count\(count by )/.test(r.query ?? '')).length;
    // A new data source: its first query is a full one, at the same moment.
    const full = await runQuery(makeDataSource({}, 'incremental'), relative([target], now, 8));
    expect(merged.errors ?? []).toEqual([]);
    expect(plain(merged.data)).toEqual(plain(full.data));
    expect(merged.data.map((f) => f.meta?.notices)).toEqual(full.data.map((f) => f.meta?.notices));
    (merged.data as DataFrame[]).forEach((f) => f.meta?.notices?.forEach((n) => notices.add(n.text)));
    orders.add(merged.data.map((f) => f.name ?? f.refId).join(','));
    // The first query and each new mark rank (top N, the count, the file-cache probe); the refreshes between reuse it.
    expect([0, 3]).toContain(ranked);
    rankings += ranked / 3;
    const whole = asked.filter(
      (r) => r.params.step !== undefined && Number(r.params.end) - Number(r.params.start) >= WINDOW
    );
    if (refreshes > 0 && whole.length > 0) {
      refetched++;
    }
    refreshes++;
  }
  // 40 minutes: the first query plus one ranking per 5-minute mark crossed.
  expect(refreshes).toBe(40);
  // The ranking did change along the way (the restarted container drops out and comes back).
  expect(orders.size).toBeGreaterThan(1);
  // It changed within the groups fetched beside the top 3 (the slack): no refresh fetched a whole range again.
  expect(refetched).toBe(0);
  expect(rankings).toBeGreaterThanOrEqual(8);
  expect(rankings).toBeLessThanOrEqual(9);
  expect([...notices].some((n) => n.includes('in the range up to its last 5-minute mark'))).toBe(true);
  console.log(
    `top N at marks: ${refreshes} refreshes, ${rankings} rankings, ${orders.size} different tops, ${refetched} refreshes fetched a whole range`
  );
});

it('an absolute range is never cached, and the query option turns it off', async () => {
  const ds = makeDataSource({}, 'incremental');
  // Each request ends a minute later, so none is answered by the few-seconds sharing of identical queries.
  const absolute = (end: number) => panelRequest([{ namespace: 'trend' }], end - WINDOW, end, { intervalMs: 60000 });
  const optedOut = (end: number) => relative([{ namespace: 'trend', incremental: false }], end);
  for (const req of [absolute(data.end - 180), absolute(data.end - 120), optedOut(data.end - 60), optedOut(data.end)]) {
    rig.backend.requests.length = 0;
    await runQuery(ds, { ...req, requestId: `${req.requestId}-x` });
    const ranges = rig.backend.requests.filter((r) => r.params.step !== undefined);
    expect(ranges.length).toBeGreaterThan(0);
    expect(ranges.every((r) => Number(r.params.end) - Number(r.params.start) >= WINDOW)).toBe(true);
  }
});

it('the panels of one dashboard refresh ask each range query once', async () => {
  const ds = makeDataSource({ incrementalRefresh: false }, 'incremental');
  rig.backend.requests.length = 0;
  // Three panels at once: two share working set and active file of the same selection.
  const panels = [
    relative([{ namespace: 'trend', view: 'realVsWorkingSet' }], data.end, 1),
    relative([{ namespace: 'trend', view: 'headroom' }], data.end, 2),
    relative([{ namespace: 'trend', view: 'leakCheck' }], data.end, 3),
  ];
  const answers = await Promise.all(panels.map((p) => runQuery(ds, p)));
  answers.forEach((a) => expect(a.errors ?? []).toEqual([]));
  const ranges = rig.backend.requests
    .filter((r) => r.params.step !== undefined)
    .map((r) => `${r.query}|${r.params.start}|${r.params.end}`);
  expect(new Set(ranges).size).toBe(ranges.length);
  // Working set and active file once each, though all three views plot them.
  expect(ranges.filter((r) => r.startsWith('container_memory_working_set_bytes{')).length).toBe(1);
});
