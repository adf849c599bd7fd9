// Per container the plugin fetches the plain series and collapses duplicate scrapes itself
// (src/memory/align.ts), instead of asking Prometheus for `max by (cluster, namespace, pod,
// container)`. This checks that the two give the same frames, point by point, against a real
// Prometheus, where the duplicates disagree: two jobs scraping one container with different
// values, one of them with gaps, NaN samples and a restart (a new `id`), and containers scraped once.
import '../support/polyfills';

import { DataFrame } from '@grafana/data';

import { DataSource } from '../../src/datasource';
import { PrometheusClient } from '../../src/prometheus/client';
import { CgroupStat, MB, METRICS, MetricKey, SeriesSpec, cadvisorValues, toOpenMetrics } from '../fixtures/cadvisor';
import { makeDataSource, panelRequest, runQuery } from '../support/dataSource';
import { installBackendSrv } from '../support/backendSrv';
import { field, frameFor } from '../support/frames';
import { RunningPrometheus, startPrometheus } from '../support/prometheus';
import { installTemplateSrv } from '../support/templateSrv';

jest.setTimeout(120000);

const STEP = 60;
const POINTS = 40;
const END = Math.floor(Date.now() / 1000 / STEP) * STEP - 600;
const START = END - (POINTS - 1) * STEP;
const TIMESTAMPS = Array.from({ length: POINTS }, (_, i) => START + i * STEP);

const stat = (rss: number, active: number, inactive: number, kernel = 2): CgroupStat => ({
  rss: rss * MB,
  activeFile: active * MB,
  inactiveFile: inactive * MB,
  shmem: 0,
  kernel: kernel * MB,
  swap: 0,
});

const base = { namespace: 'shop', pod: 'db-0', container: 'postgres', image: 'postgres:16' };
const ONCE = { namespace: 'shop', pod: 'web-0', container: 'nginx' };
const TWICE = { namespace: base.namespace, pod: base.pod, container: base.container };

/** The same container from two jobs: the second reads higher for some metrics, lower for others. */
const SERIES: SeriesSpec[] = [
  {
    labels: { ...base, id: '/kubepods/poddb0/postgres', job: 'kubelet', instance: 'node-1:10250' },
    // Restarted at step 25: from then on it is a new cgroup (a new id, below).
    stat: (i) => (i < 25 ? stat(200 + i, 300, 100 + 2 * i) : undefined),
  },
  {
    labels: { ...base, id: '/kubepods/poddb0/postgres-2', job: 'kubelet', instance: 'node-1:10250' },
    stat: (i) => (i >= 25 ? stat(150, 20 + i, 40) : undefined),
  },
  {
    labels: { ...base, id: '/kubepods/poddb0/postgres', job: 'cadvisor', instance: '10.0.0.5:8080' },
    // Scraped a moment later: more anon, less page cache; missing for a while; NaN at two steps.
    stat: (i) => (i >= 10 && i < 15 ? undefined : i === 5 || i === 30 ? stat(NaN, NaN, NaN) : stat(205 + i, 290, 110 + i)),
    drop: (metric, i) => metric === 'activeFile' && i >= 33,
  },
  {
    labels: { ...ONCE, image: 'nginx:1.27', id: '/kubepods/podweb0/nginx', job: 'kubelet', instance: 'node-1:10250' },
    stat: (i) => stat(30 + i, 10, 5),
  },
];

const IDENTITY = 'cluster, namespace, pod, container';

describe('per container, plain series collapsed in the plugin equal Prometheus max by', () => {
  let prom: RunningPrometheus;
  let ds: DataSource;

  beforeAll(async () => {
    prom = await startPrometheus({ openMetrics: toOpenMetrics(SERIES, TIMESTAMPS, true) });
    installBackendSrv({ dup: prom.url });
    installTemplateSrv([]);
    ds = makeDataSource({}, 'dup');
  }, 60000);
  afterAll(() => prom?.stop());

  /** One metric per container as Prometheus' own `max by` gives it, by step index (null: no sample or not a number ≥ 0). */
  async function maxBy(metric: MetricKey, labels: Record<string, string>): Promise<Array<number | null>> {
    const client = new PrometheusClient('/api/datasources/proxy/uid/dup');
    const matchers = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
    const [series] = await client.queryRange(`max by (${IDENTITY}) (${METRICS[metric]}{${matchers.join(', ')}})`, {
      start: START,
      end: END,
      step: STEP,
    });
    return TIMESTAMPS.map((t) => {
      const i = series ? Array.from(series.times).indexOf(t * 1000) : -1;
      const v = i < 0 ? NaN : series.values[i];
      return Number.isFinite(v) && v >= 0 ? v : null;
    });
  }

  const valuesOf = (frame: DataFrame, name: string) => {
    const times = field(frame, 'Time').values as number[];
    return TIMESTAMPS.map((t) => {
      const i = times.indexOf(t * 1000);
      return i < 0 ? null : (field(frame, name).values[i] as number | null);
    });
  };
  const zip = (a: Array<number | null>, b: Array<number | null>, f: (x: number, y: number) => number) =>
    a.map((x, i) => (x === null || b[i] === null ? null : f(x, b[i]!)));
  const floor0 = (x: number) => (x > 0 ? x : 0);

  it('the fixture has disagreeing duplicates, NaN and gaps (so the test can fail)', async () => {
    const kubelet = cadvisorValues(SERIES[0].stat(3)!).workingSet;
    const cadvisor = cadvisorValues(SERIES[2].stat(3)!).workingSet;
    expect(kubelet).not.toBe(cadvisor);
    expect(SERIES[2].stat(5)!.rss).toBeNaN();
    expect(SERIES[2].stat(12)).toBeUndefined();
  });

  it.each([TWICE, ONCE])('real used vs working set (with usage) for %o', async (labels) => {
    const res = await runQuery(
      ds,
      panelRequest([{ view: 'realVsWorkingSet', showUsage: true, ...labels }], START, END, { intervalMs: STEP * 1000 })
    );
    expect(res.errors ?? []).toEqual([]);
    const frame = frameFor(res.data, labels);
    const [ws, active, usage] = await Promise.all([maxBy('workingSet', labels), maxBy('activeFile', labels), maxBy('usage', labels)]);
    expect(valuesOf(frame, 'working set')).toEqual(ws);
    expect(valuesOf(frame, 'usage')).toEqual(usage);
    expect(valuesOf(frame, 'real used')).toEqual(zip(ws, active, (w, a) => floor0(w - a)));
  });

  it.each([TWICE, ONCE])('breakdown for %o', async (labels) => {
    const res = await runQuery(ds, panelRequest([{ view: 'breakdown', ...labels }], START, END, { intervalMs: STEP * 1000 }));
    expect(res.errors ?? []).toEqual([]);
    const frame = frameFor(res.data, labels);
    const [usage, rss, active, inactive] = await Promise.all(
      (['usage', 'rss', 'activeFile', 'inactiveFile'] as const).map((m) => maxBy(m, labels))
    );
    expect(valuesOf(frame, 'anon')).toEqual(rss);
    expect(valuesOf(frame, 'active file')).toEqual(active);
    expect(valuesOf(frame, 'inactive file')).toEqual(inactive);
    const other = usage.map((u, i) =>
      u === null || rss[i] === null || active[i] === null || inactive[i] === null
        ? null
        : floor0(u - rss[i]! - active[i]! - inactive[i]!)
    );
    expect(valuesOf(frame, 'other')).toEqual(other);
  });
});
