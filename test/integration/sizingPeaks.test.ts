// Right-sizing's peaks (src/prometheus/sizingQueries.ts) on a real Prometheus: three days at
// 5-minute steps, with known daily peaks — a batch container with one job a day at different
// heights (one of them a single sample exactly on a window boundary), a cache-heavy container whose
// working set is far above its real used, a container scraped by two jobs that disagree, and one
// without file-cache series (real used estimated from cache). Each window's peak from the built
// range queries must equal a plain computation from the fixture's own values: each figure read at
// the subquery's instants (the last sample at or before each), summed per group, the largest per window.
import '../support/polyfills';

import { PrometheusClient } from '../../src/prometheus/client';
import { DEFAULT_LABELS } from '../../src/prometheus/promql';
import { SizingPeakQueries, sizingPeakQueries } from '../../src/prometheus/sizingQueries';
import { withoutFileCacheExpr } from '../../src/prometheus/withoutFileCache';
import { GroupBy } from '../../src/types';
import { CgroupStat, MB, SeriesSpec, cadvisorValues, toOpenMetrics } from '../fixtures/cadvisor';
import { installBackendSrv } from '../support/backendSrv';
import { RunningPrometheus, startPrometheus } from '../support/prometheus';

jest.setTimeout(120000);

const STEP = 300;
const DAY = 86400;
const PER_DAY = DAY / STEP;
const END = Math.floor(Date.now() / 1000 / 3600) * 3600 - 3600;
const START = END - 3 * DAY;
const TIMESTAMPS = Array.from({ length: 3 * PER_DAY + 1 }, (_, i) => START + i * STEP);

const stat = (rss: number, active: number, inactive: number, shmem = 0, kernel = 2): CgroupStat => ({
  rss: Math.round(rss * MB),
  activeFile: Math.round(active * MB),
  inactiveFile: Math.round(inactive * MB),
  shmem: Math.round(shmem * MB),
  kernel: Math.round(kernel * MB),
  swap: 0,
});

const KUBELET = { job: 'kubelet', instance: 'node-1:10250' };
const spec = (ns: string, pod: string, container: string, f: SeriesSpec['stat'], job = KUBELET): SeriesSpec => ({
  labels: { namespace: ns, pod, container, image: `${container}:1`, id: `/kubepods/${pod}/${container}`, ...job },
  stat: f,
});

/** The batch job: a 30-minute job a day, at different heights; on day 1 also one sample on the boundary. */
const BOUNDARY = 2 * PER_DAY; // START + 2 days: the end of the second daily window
const batchRss = (i: number) =>
  i >= 36 && i < 42
    ? 400
    : i >= 400 && i < 406
      ? 350
      : i === BOUNDARY
        ? 700
        : i >= 798 && i < 804
          ? 550
          : 100 + (i % 7);
const wave = (i: number, period: number) => Math.sin((2 * Math.PI * i) / period);

const SERIES: SeriesSpec[] = [
  spec('shop', 'batch-0', 'batch', (i) => stat(batchRss(i), 10, 5)),
  // Cache-heavy: 600–1,000 MB of active file on 80 MB of anon memory.
  spec('shop', 'cache-0', 'cache', (i) => stat(80 + 10 * wave(i, 50), 800 + 200 * wave(i, 288), 300)),
  // Without file-cache series: real used estimated as working set − (cache − (usage − working set)).
  {
    ...spec('shop', 'old-0', 'old', (i) => stat(60 + 20 * wave(i, 97), 40, 30, 5)),
    drop: (metric) => metric === 'activeFile' || metric === 'inactiveFile',
  },
  // Scraped by two jobs that disagree: more real used from the kubelet, more working set from the other.
  spec('data', 'db-0', 'postgres', (i) => stat(150 + 30 * wave(i, 130), 20, 10)),
  spec('data', 'db-0', 'postgres', (i) => stat(100 + 30 * wave(i, 130), 150 + (i % 5), 10), {
    job: 'cadvisor',
    instance: '10.0.0.5:8080',
  }),
];

/** One scrape's working set and real used at step i, as Prometheus' expressions compute them. */
function figures(s: SeriesSpec, i: number): { ws: number; real: number } | undefined {
  const st = s.stat(i);
  if (!st) {
    return undefined;
  }
  const v = cadvisorValues(st);
  const hasFileCache = !s.drop?.('activeFile', i);
  const pos = (x: number) => Math.max(x, 0);
  const real = hasFileCache
    ? pos(v.workingSet - v.activeFile)
    : pos(v.workingSet - pos(v.cache - pos(v.usage - v.workingSet)));
  return { ws: v.workingSet, real };
}

const keyOf = (s: SeriesSpec, groupBy: GroupBy) =>
  groupBy === 'namespace' ? s.labels.namespace : `${s.labels.namespace}/${s.labels.pod}/${s.labels.container}`;

/**
 * The plain computation: at each subquery instant in (t − W, t] after the range's start, each
 * container's largest figure among its scrapes (from the last sample at or before the instant),
 * summed to the group; the largest per window.
 */
function expectedPeaks(q: SizingPeakQueries, from: number, groupBy: GroupBy, which: 'ws' | 'real') {
  const out = new Map<string, number[]>();
  const points: number[] = [];
  for (let t = q.range.start; t <= q.range.end; t += q.range.step) {
    points.push(t);
  }
  points.forEach((t, k) => {
    for (let p = t - q.windowSeconds + q.resolutionSeconds; p <= t; p += q.resolutionSeconds) {
      if (p <= from) {
        continue;
      }
      const i = Math.floor((p - START) / STEP);
      const perContainer = new Map<string, { group: string; v: number }>();
      for (const s of SERIES) {
        const f = figures(s, i);
        if (!f) {
          continue;
        }
        const c = keyOf(s, 'container');
        perContainer.set(c, { group: keyOf(s, groupBy), v: Math.max(perContainer.get(c)?.v ?? -Infinity, f[which]) });
      }
      const sums = new Map<string, number>();
      perContainer.forEach(({ group, v }) => sums.set(group, (sums.get(group) ?? 0) + v));
      sums.forEach((v, group) => {
        const peaks = out.get(group) ?? points.map(() => -Infinity);
        peaks[k] = Math.max(peaks[k], v);
        out.set(group, peaks);
      });
    }
  });
  return out;
}

describe('sizing peaks: per group, the peak of working set and of real used in each window', () => {
  let prom: RunningPrometheus;
  let client: PrometheusClient;
  let estimate: boolean;

  beforeAll(async () => {
    prom = await startPrometheus({ openMetrics: toOpenMetrics(SERIES, TIMESTAMPS, true) });
    installBackendSrv({ sizing: prom.url });
    client = new PrometheusClient('/api/datasources/proxy/uid/sizing');
    const without = await client.queryInstant(withoutFileCacheExpr([], DEFAULT_LABELS, 3 * DAY), END);
    estimate = (without[0]?.value ?? 0) > 0;
  }, 60000);
  afterAll(() => prom?.stop());

  async function peaksOf(q: SizingPeakQueries, groupBy: GroupBy, which: 'ws' | 'real') {
    const answer = await client.queryRange(which === 'ws' ? q.workingSet : q.realUsed, q.range);
    const out = new Map<string, number[]>();
    for (const s of answer) {
      const key =
        groupBy === 'namespace' ? s.labels.namespace : `${s.labels.namespace}/${s.labels.pod}/${s.labels.container}`;
      const values: number[] = [];
      for (let t = q.range.start; t <= q.range.end; t += q.range.step) {
        const i = Array.from(s.times).indexOf(t * 1000);
        values.push(i < 0 ? NaN : s.values[i]);
      }
      out.set(key, values);
    }
    return out;
  }

  const within = (actual: number[], expected: number[]) => {
    expect(actual).toHaveLength(expected.length);
    actual.forEach((a, k) => {
      expect(Number.isFinite(expected[k])).toBe(true);
      expect(Math.abs(a - expected[k])).toBeLessThanOrEqual(expected[k] * 0.005);
    });
  };

  it('the fixture can tell right from wrong', () => {
    expect(estimate).toBe(true);
    // The boundary sample is the second window's peak; counted in the third too, that one would read 700.
    expect(batchRss(BOUNDARY)).toBeGreaterThan(batchRss(803));
    // Cache-heavy: working set far above real used.
    const cache = figures(SERIES[1], 0)!;
    expect(cache.ws).toBeGreaterThan(5 * cache.real);
    // The two scrapes of postgres: the largest of each metric taken apart gives a real used no scrape reported.
    const [a, b] = [cadvisorValues(SERIES[3].stat(0)!), cadvisorValues(SERIES[4].stat(0)!)];
    const [ra, rb] = [figures(SERIES[3], 0)!.real, figures(SERIES[4], 0)!.real];
    expect(Math.max(a.workingSet, b.workingSet) - Math.max(a.activeFile, b.activeFile)).toBeLessThan(Math.max(ra, rb));
    expect(b.workingSet).toBeGreaterThan(a.workingSet);
    expect(ra).toBeGreaterThan(rb);
  });

  it.each(['container', 'namespace'] as const)(
    '3 days by %s: one peak a day, as computed from the raw values',
    async (groupBy) => {
      const q = sizingPeakQueries({
        matchers: [],
        labels: DEFAULT_LABELS,
        groupBy,
        estimate,
        fromSeconds: START,
        toSeconds: END,
      });
      expect(q.windowSeconds).toBe(DAY);
      expect(q.range).toEqual({ start: START + DAY, end: END, step: DAY });
      for (const which of ['ws', 'real'] as const) {
        const actual = await peaksOf(q, groupBy, which);
        const expected = expectedPeaks(q, START, groupBy, which);
        expect([...actual.keys()].sort()).toEqual([...expected.keys()].sort());
        expected.forEach((peaks, group) => within(actual.get(group)!, peaks));
      }
      if (groupBy === 'container') {
        const real = (await peaksOf(q, groupBy, 'real')).get('shop/batch-0/batch')!;
        const ws = (await peaksOf(q, groupBy, 'ws')).get('shop/batch-0/batch')!;
        // working set = rss + active + kernel (10 + 2 MB), real used = rss + kernel.
        expect(ws).toEqual([412, 712, 562].map((x) => x * MB));
        expect(real).toEqual([402, 702, 552].map((x) => x * MB));
      }
    }
  );

  it.each(['container', 'namespace'] as const)('6 h by %s: hourly peaks at 60 s resolution', async (groupBy) => {
    const from = END - 6 * 3600;
    const q = sizingPeakQueries({
      matchers: [],
      labels: DEFAULT_LABELS,
      groupBy,
      estimate,
      fromSeconds: from,
      toSeconds: END,
    });
    expect(q.windowSeconds).toBe(3600);
    expect(q.resolutionSeconds).toBe(60);
    expect(q.range).toEqual({ start: END - 5 * 3600, end: END, step: 3600 });
    for (const which of ['ws', 'real'] as const) {
      const actual = await peaksOf(q, groupBy, which);
      const expected = expectedPeaks(q, from, groupBy, which);
      expect([...actual.keys()].sort()).toEqual([...expected.keys()].sort());
      expected.forEach((peaks, group) => within(actual.get(group)!, peaks));
    }
    if (groupBy === 'container') {
      // The day's job (steps 798–803) runs in the first hour of the last six, and only there.
      const real = (await peaksOf(q, groupBy, 'real')).get('shop/batch-0/batch')!;
      expect(real[0]).toBe(552 * MB);
      expect(Math.max(...real.slice(1))).toBeLessThan(120 * MB);
    }
  });
});
