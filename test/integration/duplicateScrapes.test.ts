// Per container the plugin fetches the plain series and collapses duplicate scrapes itself
// (src/memory/duplicateScrapes.ts): at each timestamp every figure comes from one scrape, the one
// with the most real used, so no figure is one that no scrape reported. This checks it point by
// point against the raw series of a real Prometheus, where the duplicates disagree: two jobs
// scraping one container with different values, one of them with gaps, NaN samples and a restart
// (a new `id`); two jobs that disagree wildly (the 190 MB against 50 MB); and containers
// scraped once.
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
const APART = { namespace: 'shop', pod: 'api-0', container: 'api' };
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
    stat: (i) =>
      i >= 10 && i < 15 ? undefined : i === 5 || i === 30 ? stat(NaN, NaN, NaN) : stat(205 + i, 290, 110 + i),
    drop: (metric, i) => metric === 'activeFile' && i >= 33,
  },
  {
    labels: { ...ONCE, image: 'nginx:1.27', id: '/kubepods/podweb0/nginx', job: 'kubelet', instance: 'node-1:10250' },
    stat: (i) => stat(30 + i, 10, 5),
  },
  // Two jobs far apart: ws 200 / active file 10 MB (real used 190) against ws 150 / active 100 (real used 50).
  {
    labels: { ...APART, image: 'api:2', id: '/kubepods/podapi0/api', job: 'kubelet', instance: 'node-1:10250' },
    stat: () => stat(188, 10, 10),
  },
  {
    labels: { ...APART, image: 'api:2', id: '/kubepods/podapi0/api', job: 'cadvisor', instance: '10.0.0.5:8080' },
    stat: () => stat(48, 100, 10),
  },
];

type Reading = Record<MetricKey, number | null>;

describe('per container, duplicate scrapes: every figure from one scrape, the one with the most real used', () => {
  let prom: RunningPrometheus;
  let ds: DataSource;

  beforeAll(async () => {
    prom = await startPrometheus({ openMetrics: toOpenMetrics(SERIES, TIMESTAMPS, true) });
    installBackendSrv({ dup: prom.url });
    installTemplateSrv([]);
    ds = makeDataSource({}, 'dup');
  }, 60000);
  afterAll(() => prom?.stop());

  /** Each scrape's own readings per step, from the raw series (a scrape: every label but the name). */
  async function scrapes(labels: Record<string, string>): Promise<Array<Map<string, Reading>>> {
    const client = new PrometheusClient('/api/datasources/proxy/uid/dup');
    const matchers = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
    const byStep = TIMESTAMPS.map(() => new Map<string, Reading>());
    const metrics: MetricKey[] = ['usage', 'workingSet', 'rss', 'activeFile', 'inactiveFile'];
    for (const metric of metrics) {
      const answer = await client.queryRange(`${METRICS[metric]}{${matchers.join(', ')}}`, {
        start: START,
        end: END,
        step: STEP,
      });
      for (const series of answer) {
        const { __name__: _name, ...scrapeLabels } = series.labels;
        const key = JSON.stringify(scrapeLabels);
        TIMESTAMPS.forEach((t, step) => {
          const i = Array.from(series.times).indexOf(t * 1000);
          const v = i < 0 ? NaN : series.values[i];
          const reading =
            byStep[step].get(key) ??
            ({ usage: null, workingSet: null, rss: null, activeFile: null, inactiveFile: null } as Reading);
          reading[metric] = Number.isFinite(v) && v >= 0 ? v : null;
          byStep[step].set(key, reading);
        });
      }
    }
    return byStep;
  }

  const realUsed = (r: Reading) =>
    r.workingSet !== null && r.activeFile !== null ? r.workingSet - r.activeFile : null;

  const valuesOf = (frame: DataFrame, name: string) => {
    const times = field(frame, 'Time').values as number[];
    return TIMESTAMPS.map((t) => {
      const i = times.indexOf(t * 1000);
      return i < 0 ? null : (field(frame, name).values[i] as number | null);
    });
  };
  const floor0 = (x: number) => (x > 0 ? x : 0);

  it('the fixture has disagreeing duplicates, NaN and gaps (so the test can fail)', async () => {
    const kubelet = cadvisorValues(SERIES[0].stat(3)!).workingSet;
    const cadvisor = cadvisorValues(SERIES[2].stat(3)!).workingSet;
    expect(kubelet).not.toBe(cadvisor);
    expect(SERIES[2].stat(5)!.rss).toBeNaN();
    expect(SERIES[2].stat(12)).toBeUndefined();
    // Taken metric by metric, the largest working set and the largest active file give a real used no scrape reported.
    const [a, b] = [cadvisorValues(SERIES[4].stat(0)!), cadvisorValues(SERIES[5].stat(0)!)];
    expect(Math.max(a.workingSet, b.workingSet) - Math.max(a.activeFile, b.activeFile)).toBe(100 * MB);
    expect([a.workingSet - a.activeFile, b.workingSet - b.activeFile]).toEqual([190 * MB, 50 * MB]);
  });

  it.each([TWICE, ONCE, APART])(
    "real used vs working set (with usage) for %o: one scrape's figures at every step",
    async (labels) => {
      const res = await runQuery(
        ds,
        panelRequest([{ view: 'realVsWorkingSet', showUsage: true, ...labels }], START, END, {
          intervalMs: STEP * 1000,
        })
      );
      expect(res.errors ?? []).toEqual([]);
      const frame = frameFor(res.data, labels);
      const [ws, real, usage] = ['working set', 'real used', 'usage'].map((name) => valuesOf(frame, name));
      const byStep = await scrapes(labels);
      TIMESTAMPS.forEach((_t, step) => {
        const readings = [...byStep[step].values()];
        const best = Math.max(...readings.map(realUsed).filter((v): v is number => v !== null));
        const from = readings.find((r) => realUsed(r) === best)!;
        expect([ws[step], real[step], usage[step]]).toEqual([from.workingSet, floor0(best), from.usage]);
      });
    }
  );

  it.each([TWICE, ONCE, APART])('breakdown for %o: the bands of one scrape, adding up to its usage', async (labels) => {
    const res = await runQuery(
      ds,
      panelRequest([{ view: 'breakdown', ...labels }], START, END, { intervalMs: STEP * 1000 })
    );
    expect(res.errors ?? []).toEqual([]);
    const frame = frameFor(res.data, labels);
    const [anon, other, active, inactive] = ['anon', 'other', 'active file', 'inactive file'].map((n) =>
      valuesOf(frame, n)
    );
    const byStep = await scrapes(labels);
    TIMESTAMPS.forEach((_t, step) => {
      const readings = [...byStep[step].values()].filter((r) => realUsed(r) !== null || r.usage !== null);
      const from = readings.find(
        (r) => r.rss === anon[step] && r.activeFile === active[step] && r.inactiveFile === inactive[step]
      );
      expect(from).toBeDefined();
      expect(other[step]).toBe(floor0(from!.usage! - from!.rss! - from!.activeFile! - from!.inactiveFile!));
    });
  });

  // Prometheus sums pods and namespaces (src/prometheus/promql.ts groupedExpr): the same rule in PromQL.
  it.each([
    ['pod', { namespace: 'shop', pod: 'db-0' }, [TWICE]],
    ['pod', { namespace: 'shop', pod: 'api-0' }, [APART]],
    ['namespace', { namespace: 'shop' }, [TWICE, ONCE, APART]],
  ] as const)("grouped by %s %o: the sum of each container's one scrape", async (groupBy, group, containers) => {
    const res = await runQuery(
      ds,
      panelRequest([{ view: 'realVsWorkingSet', showUsage: true, groupBy, ...group }], START, END, {
        intervalMs: STEP * 1000,
      })
    );
    expect(res.errors ?? []).toEqual([]);
    const frame = frameFor(res.data, group);
    const [ws, real, usage] = ['working set', 'real used', 'usage'].map((name) => valuesOf(frame, name));
    const perContainer = await Promise.all(containers.map((labels) => scrapes(labels)));
    TIMESTAMPS.forEach((_t, step) => {
      // Each container's scrapes with the most real used; those that tie on it are averaged.
      const sum = (key: MetricKey) =>
        perContainer.reduce((total, byStep) => {
          const readings = [...byStep[step].values()];
          const best = Math.max(...readings.map(realUsed).filter((v): v is number => v !== null));
          const tied = readings.filter((r) => realUsed(r) === best);
          return tied.length === 0 ? total : total + tied.reduce((t, r) => t + r[key]!, 0) / tied.length;
        }, 0);
      expect([ws[step], real[step], usage[step]]).toEqual([
        sum('workingSet'),
        floor0(sum('workingSet') - sum('activeFile')),
        sum('usage'),
      ]);
    });
    // Taking each metric's largest apart would read 100 MB for api-0; its scrapes report 190 and 50.
    if ('pod' in group && group.pod === 'api-0') {
      expect(real[0]).toBe(190 * MB);
    }
  });

  it('says when the scrapes disagree, naming them by the labels that tell them apart', async () => {
    const notices = async (labels: Record<string, string>) => {
      const res = await runQuery(
        ds,
        panelRequest([{ view: 'realVsWorkingSet', ...labels }], START, END, { intervalMs: STEP * 1000 })
      );
      return (res.data as DataFrame[])
        .flatMap((f) => f.meta?.notices ?? [])
        .map((n) => n.text)
        .join(' ');
    };
    expect(await notices(APART)).toMatch(
      /^Scraped more than once, and the scrapes disagree\. Every figure shown comes from one scrape at a time, the one with the most real used, never mixed; drop the duplicate scrape job to see one — real used 181\.2 MiB \(instance="node-1:10250", job="kubelet"\) against 47\.7 MiB \(instance="10\.0\.0\.5:8080", job="cadvisor"\) at .* UTC\.$/
    );
    // After its restart the kubelet reads the new cgroup while the cadvisor job still reads the old one.
    const twice = await notices(TWICE);
    expect(twice).toMatch(
      /to see one — real used [\d.]+ MiB \(id="\/kubepods\/poddb0\/postgres", instance="10\.0\.0\.5:8080", job="cadvisor"\) against [\d.]+ MiB \(id="\/kubepods\/poddb0\/postgres-2", instance="node-1:10250", job="kubelet"\)/
    );
    const when = Date.parse(/at (\S+ \S+) UTC/.exec(twice)![1].replace(' ', 'T') + ':00Z') / 1000;
    expect(when).toBeGreaterThanOrEqual(TIMESTAMPS[25]);
    expect(await notices(ONCE)).not.toMatch(/disagree/);
  });
});
