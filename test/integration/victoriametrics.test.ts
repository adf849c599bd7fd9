// The integration suite's core cases against a real single-node VictoriaMetrics (Debian's
// victoria-metrics), loaded with the same generated cAdvisor data through
// /api/v1/import/prometheus: DataSource.query() gives the oracle's figures exactly, the fallback
// without file-cache series works, and on the trend data the leak-check verdicts, annotations,
// label values and Save & test equal those of a real Prometheus loaded with the same samples.
import '../support/polyfills';
import { execFile } from 'child_process';
import path from 'path';
import { promisify } from 'util';

import { AnnotationQuery, DataFrame, DataQueryResponse, dateTime } from '@grafana/data';
import { lastValueFrom } from 'rxjs';

import { DataSource } from '../../src/datasource';
import { FIELD_ROOM_KUBELET, FIELD_ROOM_OOM } from '../../src/frames/headroomFrames';
import { FIELD_REAL_SLOPE, FIELD_TIME_TO_LIMIT, FIELD_VERDICT } from '../../src/frames/leakFrames';
import { bytesPerHourOf } from '../../src/frames/iecPerHour';
import { VERDICT_CACHE, VERDICT_LEAK, VERDICT_STABLE } from '../../src/memory/leakVerdict';
import { RealMemoryQuery, RealMemoryVariableQuery } from '../../src/types';
import {
  buildDataset,
  cadvisorValues,
  Dataset,
  DUPLICATED,
  GAP_FROM,
  GAP_TO,
  GAPPY,
  HOLE_FROM,
  HOLE_TO,
  HOLEY,
  MB,
  METRICS,
  WORKED_EXAMPLE,
} from '../fixtures/cadvisor';
import { expectedFigures, ExpectOptions, GroupBy } from '../fixtures/expected';
import {
  buildTrendDataset,
  CACHE,
  CRASH,
  ERROR_RESTART_AT,
  FREE,
  LEAK,
  LIMIT_MB,
  MIXED_MAIN,
  NOISY,
  REQUEST_MB,
  RESTART_AT,
  SAW,
  STATS,
} from '../fixtures/trends';
import { installBackendSrv, TestBackendSrv } from '../support/backendSrv';
import { makeDataSource, panelRequest, runQuery } from '../support/dataSource';
import { expectFramesMatch, field, frameFor, labelsOf, valueAt } from '../support/frames';
import { freePort, RunningPrometheus, startPrometheus } from '../support/prometheus';
import { installTemplateSrv } from '../support/templateSrv';
import { RunningVictoriaMetrics, startVictoriaMetrics } from '../support/victoriaMetrics';
import { metricsIn, panelQueriesOf } from '../support/sentQueries';

jest.setTimeout(120000);

/**
 * VictoriaMetrics has no fixed 5-minute lookback: an instant vector takes the latest sample in
 * (t − w, t], w = max(step, the series' sample interval + 1/8 of it for intervals above 32 s;
 * 1.79's rollup.go, getMaxPrevInterval). Samples and steps here are 60 s apart, so w = 67.5 s: the
 * sample at t or t − 60 s. A series that stops shows for one more step, not five minutes.
 */
const VM_LOOKBACK_SECONDS = 60;

const dsNew = buildDataset('new');
const dsOld = buildDataset('old', { end: dsNew.end });
const trends = buildTrendDataset();

let vmNew: RunningVictoriaMetrics;
let vmOld: RunningVictoriaMetrics;
let vmTrend: RunningVictoriaMetrics;
let promTrend: RunningPrometheus;
let vmLimited: RunningVictoriaMetrics;
let backend: TestBackendSrv;
const panelQueries = () => panelQueriesOf(backend.queries);
let sourceNew: DataSource;
let sourceOld: DataSource;
let sourceTrend: DataSource;
let promSourceTrend: DataSource;

/** Starts servers in parallel; if one fails, stops the others and throws its error. */
async function startAll<T extends { stop(): Promise<void> }>(starts: Array<Promise<T>>): Promise<T[]> {
  const settled = await Promise.allSettled(starts);
  const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed) {
    await Promise.all(settled.map((s) => (s.status === 'fulfilled' ? s.value.stop() : undefined)));
    throw failed.reason;
  }
  return settled.map((s) => (s as PromiseFulfilledResult<T>).value);
}

beforeAll(async () => {
  [vmNew, vmOld, vmTrend, promTrend, vmLimited] = await startAll<RunningVictoriaMetrics | RunningPrometheus>([
    startVictoriaMetrics({ openMetrics: dsNew.openMetrics }),
    startVictoriaMetrics({ openMetrics: dsOld.openMetrics }),
    startVictoriaMetrics({ openMetrics: trends.openMetrics }),
    startPrometheus({ openMetrics: trends.openMetrics }),
    // The new dataset behind a points limit below the 61 points of an hour at 60 s.
    startVictoriaMetrics({ openMetrics: dsNew.openMetrics, flags: ['-search.maxPointsPerTimeseries=50'] }),
  ]);
  const closedPort = await freePort();
  backend = installBackendSrv({
    new: vmNew.url,
    old: vmOld.url,
    trend: vmTrend.url,
    'prom-trend': promTrend.url,
    limited: vmLimited.url,
    down: `http://127.0.0.1:${closedPort}`,
  });
  installTemplateSrv([
    { name: 'ns', value: ['shop', 'data'] },
    { name: 'pod', value: '$__all', options: ['web-1', 'db-0'] },
    { name: 'one', value: 'log-writer-0' },
  ]);
  sourceNew = makeDataSource({}, 'new');
  sourceOld = makeDataSource({}, 'old');
  sourceTrend = makeDataSource({}, 'trend');
  promSourceTrend = makeDataSource({}, 'prom-trend');
}, 90000);

afterAll(async () => {
  await Promise.all([vmNew, vmOld, vmTrend, promTrend, vmLimited].map((s) => s?.stop()));
});

beforeEach(() => backend.reset());

/** A panel request over the whole dataset at its step. */
const request = (ds: { start: number; end: number; step: number }, targets: Array<Partial<RealMemoryQuery>>) =>
  panelRequest(targets, ds.start, ds.end, { interval: `${ds.step}s`, intervalMs: ds.step * 1000 });

async function run(source: DataSource, ds: Dataset, targets: Array<Partial<RealMemoryQuery>>) {
  const res = await runQuery(source, request(ds, targets));
  expect(res.errors ?? []).toEqual([]);
  return res;
}

const vmOracle = (opts: Omit<ExpectOptions, 'lookbackSeconds'>): ExpectOptions => ({
  ...opts,
  lookbackSeconds: VM_LOOKBACK_SECONDS,
});

describe('real used vs working set, with file-cache series', () => {
  it.each(['container', 'pod', 'namespace'] as const)('matches the oracle grouped by %s', async (groupBy) => {
    const res = await run(sourceNew, dsNew, [{ view: 'realVsWorkingSet', groupBy }]);
    expectFramesMatch(res.data, dsNew, vmOracle({ groupBy }), { 'working set': 'workingSet', 'real used': 'realUsed' });
    expect(metricsIn(panelQueries())).toEqual([METRICS.activeFile, METRICS.workingSet].sort());
  });

  it('gives the worked example exactly: usage 101, working set 53, real used 23 MB', async () => {
    const res = await run(sourceNew, dsNew, [{ view: 'realVsWorkingSet', showUsage: true }]);
    const frame = frameFor(res.data, WORKED_EXAMPLE);
    expect(frame.fields.map((f) => f.name)).toEqual(['Time', 'working set', 'real used', 'usage']);
    expect(frame.fields.find((f) => f.name === 'real used')?.config.description).toMatch(
      /^usage − active file − inactive file/
    );
    expect(frame.meta?.notices ?? []).toEqual([]);
    for (const t of [dsNew.start, dsNew.end]) {
      expect([valueAt(frame, 'usage', t), valueAt(frame, 'working set', t), valueAt(frame, 'real used', t)]).toEqual([
        101 * MB,
        53 * MB,
        23 * MB,
      ]);
    }
  });

  it('does not double-count a container scraped by two jobs (max by, not sum)', async () => {
    const res = await run(sourceNew, dsNew, [{ namespace: 'data', pod: 'db-0' }]);
    const frame = frameFor(res.data, DUPLICATED);
    expect(valueAt(frame, 'working set', dsNew.start)).toBe(555 * MB);
    expect(valueAt(frame, 'real used', dsNew.start)).toBe(255 * MB);
  });

  it('gives null, not 0, where an input is missing: one step after it stops, not five minutes', async () => {
    const res = await run(sourceNew, dsNew, [{ namespace: 'shop' }]);
    const nginx = frameFor(res.data, HOLEY);
    // The last active-file sample before the hole is still seen one step later (see VM_LOOKBACK_SECONDS).
    expect(valueAt(nginx, 'real used', dsNew.timestamps[HOLE_FROM])).toBeGreaterThan(0);
    for (let i = HOLE_FROM + 1; i < HOLE_TO; i++) {
      expect(valueAt(nginx, 'working set', dsNew.timestamps[i])).toBeGreaterThan(0);
      expect(valueAt(nginx, 'real used', dsNew.timestamps[i])).toBeNull();
    }
    const batch = frameFor(res.data, GAPPY);
    expect(valueAt(batch, 'real used', dsNew.timestamps[GAP_FROM])).toBe(51 * MB);
    expect(valueAt(batch, 'real used', dsNew.timestamps[GAP_TO])).toBe(51 * MB);
    for (const i of [0, GAP_FROM - 1, GAP_TO + 1, dsNew.timestamps.length - 1]) {
      expect(valueAt(batch, 'working set', dsNew.timestamps[i]) ?? null).toBeNull();
    }
  });

  it('resolves multi-value, All and single dashboard variables, and /regex/ filters', async () => {
    const res = await run(sourceNew, dsNew, [{ namespace: '$ns', pod: '$pod' }]);
    expect(res.data.map((f) => labelsOf(f).container).sort()).toEqual(['app', 'nginx', 'postgres']);
    const one = await run(sourceNew, dsNew, [{ pod: '${one}' }]);
    expect(one.data.map(labelsOf)).toEqual([WORKED_EXAMPLE]);
    const regex = await run(sourceNew, dsNew, [{ groupBy: 'pod', pod: '/(web|db)-.*/' }]);
    expect(regex.data.map((f) => labelsOf(f).pod).sort()).toEqual(['db-0', 'web-1']);
  });
});

describe('real used vs working set, without file-cache series (fallback)', () => {
  it.each(['container', 'pod', 'namespace'] as const)('matches the estimated oracle grouped by %s', async (groupBy) => {
    const res = await run(sourceOld, dsOld, [{ view: 'realVsWorkingSet', groupBy, showUsage: true }]);
    expectFramesMatch(res.data, dsOld, vmOracle({ groupBy }), {
      'working set': 'workingSet',
      'real used': 'realUsed',
      usage: 'usage',
    });
    // Every group's split was estimated: one notice says so for all of them.
    const frames = res.data as DataFrame[];
    const notices = frames.flatMap((f) => f.meta?.notices ?? []).map((n) => n.text);
    expect(notices.filter((t) => /estimated/.test(t))).toHaveLength(1);
    expect(notices.join(' ')).toMatch(
      frames.length > 1 ? ` — ${frames.length} of ${frames.length} ${groupBy}s.` : /estimated/
    );
  });

  it('estimates the worked example (real used 21 MB), fetching usage and cache only as fallback', async () => {
    const res = await run(sourceOld, dsOld, [{ view: 'realVsWorkingSet', ...WORKED_EXAMPLE }]);
    const frame = frameFor(res.data, WORKED_EXAMPLE);
    expect(valueAt(frame, 'working set', dsOld.end)).toBe(53 * MB);
    expect(valueAt(frame, 'real used', dsOld.end)).toBe(21 * MB);
    expect(metricsIn(panelQueries())).toEqual(
      [METRICS.activeFile, METRICS.cache, METRICS.usage, METRICS.workingSet].sort()
    );
  });
});

describe('breakdown', () => {
  const figures = {
    anon: 'anon',
    'active file': 'activeFile',
    'inactive file': 'inactiveFile',
    other: 'other',
  } as const;

  // Up to three groups, a stack each (beyond, one summed stack: datasource.test.ts).
  it.each([
    ['new', 'container', 'data'],
    ['new', 'namespace', undefined],
    ['old', 'container', 'data'],
    ['old', 'pod', 'shop'],
  ] as const)(
    'matches the oracle (%s dataset, by %s, namespace %s); the parts add up to usage',
    async (kind, groupBy, namespace) => {
      const [source, ds] = kind === 'new' ? [sourceNew, dsNew] : [sourceOld, dsOld];
      const res = await run(source, ds, [{ view: 'breakdown', groupBy, namespace }]);
      expectFramesMatch(res.data, ds, vmOracle({ groupBy, namespace }), figures);
      const oracle = expectedFigures(ds.openMetrics, ds.timestamps, vmOracle({ groupBy, namespace }));
      for (const [, group] of oracle) {
        const frame = frameFor(res.data, group.labels);
        const parts = Object.keys(figures).map((n) => valueAt(frame, n, ds.end) as number);
        // NaN = no row at the end (a container that stopped), where the oracle has no usage either.
        expect(parts.reduce((a, b) => a + b, 0)).toBe(group.points[group.points.length - 1].usage ?? NaN);
        const swapped = group.points.some((p) => (p.swap ?? 0) > 0);
        expect(frame.fields.some((f) => f.name === 'swap')).toBe(swapped);
        if (swapped) {
          expect(valueAt(frame, 'swap', ds.end)).toBe(7 * MB);
        }
      }
    }
  );
});

describe('top N', () => {
  /** The oracle's groups ranked by real used at the end of the range. */
  const ranked = (ds: Dataset, groupBy: GroupBy) =>
    [...expectedFigures(ds.openMetrics, ds.timestamps, vmOracle({ groupBy })).values()]
      .map((g) => ({ labels: g.labels, realUsed: g.points[g.points.length - 1].realUsed }))
      .filter((g) => g.realUsed !== null)
      .sort((a, b) => b.realUsed! - a.realUsed!);

  it.each([
    ['new', 'container'],
    ['old', 'container'],
    ['new', 'pod'],
  ] as const)('keeps the N groups with the most real used (%s dataset, by %s)', async (kind, groupBy) => {
    const [source, ds] = kind === 'new' ? [sourceNew, dsNew] : [sourceOld, dsOld];
    const res = await run(source, ds, [{ groupBy, topN: 2 }]);
    const top = ranked(ds, groupBy).slice(0, 2);
    expect(res.data.map(labelsOf)).toEqual(top.map((g) => g.labels));
    expect(res.data.map((f) => valueAt(f, 'real used', ds.end))).toEqual(top.map((g) => g.realUsed));
    const all = expectedFigures(ds.openMetrics, ds.timestamps, vmOracle({ groupBy })).size;
    expect((res.data[0] as DataFrame).meta?.notices?.map((n) => n.text).join(' ')).toContain(
      `Showing the 2 of ${all} ${groupBy}s`
    );
  });
});

describe('Save & test', () => {
  it('says VictoriaMetrics answers and whether the file-cache series exist', async () => {
    expect(await sourceNew.testDatasource()).toMatchObject({
      status: 'success',
      message: expect.stringMatching(/^Real used is exact for all \d+ containers\.$/),
      details: { message: expect.stringMatching(/File-cache series present/) },
    });
    expect(await sourceOld.testDatasource()).toMatchObject({
      status: 'warning',
      message: expect.stringMatching(/the file-cache series are missing/),
    });
  });

  it('answers word for word as Prometheus does on the same data', async () => {
    const [vm, prom] = await Promise.all([sourceTrend.testDatasource(), promSourceTrend.testDatasource()]);
    expect(vm.status).toBe('success');
    expect(vm).toEqual(prom);
  });

  it('says when nothing matches, and when the server cannot be reached', async () => {
    const nothing = await makeDataSource({ extraSelector: 'cluster="nowhere"' }, 'new').testDatasource();
    expect(nothing.status).toBe('error');
    expect(nothing.message).toMatch(/has no cAdvisor memory series for containers/);
    const down = await makeDataSource({}, 'down').testDatasource();
    expect(down.status).toBe('error');
    expect(down.message).toMatch(/Cannot reach Prometheus.*502 Bad Gateway/);
  });
});

describe('label values, variables and the file-cache check', () => {
  const rangeOf = (ds: { start: number; end: number }) =>
    ({ from: dateTime(ds.start * 1000), to: dateTime(ds.end * 1000) }) as any;

  it('lists namespaces, pods and containers of real containers only', async () => {
    const range = rangeOf(dsNew);
    expect((await sourceNew.getLabelValues('namespace', {}, range)).sort()).toEqual(['data', 'shop']);
    expect((await sourceNew.getLabelValues('pod', { namespace: 'shop' }, range)).sort()).toEqual([
      'batch-1',
      'log-writer-0',
      'web-1',
    ]);
    // Not the pause container (POD) nor the pod-level cgroup (container="").
    expect((await sourceNew.getLabelValues('container', { pod: 'web-1' }, range)).sort()).toEqual(['app', 'nginx']);
  });

  it('answers a query variable', async () => {
    const variables = sourceNew.variables as unknown as {
      query(r: unknown): import('rxjs').Observable<DataQueryResponse>;
    };
    const query: RealMemoryVariableQuery = { refId: 'v', type: 'pods', namespace: 'data' };
    const res = await lastValueFrom(variables.query({ targets: [query], range: rangeOf(dsNew), scopedVars: {} }));
    expect([...res.data[0].fields[0].values].sort()).toEqual(['cache-0', 'db-0']);
  });

  it('tells whether the file-cache series exist', async () => {
    expect(await sourceNew.getFileCacheStatus({}, rangeOf(dsNew))).toBe('present');
    expect(await sourceOld.getFileCacheStatus({}, rangeOf(dsOld))).toBe('missing');
    expect(await sourceNew.getFileCacheStatus({ namespace: 'nowhere' }, rangeOf(dsNew))).toBe('noSeries');
  });

  it('lists the same label names and values as Prometheus on the same data', async () => {
    const range = rangeOf(trends);
    for (const label of ['namespace', 'pod', 'container']) {
      const [vm, prom] = await Promise.all([
        sourceTrend.getLabelValues(label, {}, range),
        promSourceTrend.getLabelValues(label, {}, range),
      ]);
      expect(vm.length).toBeGreaterThan(0);
      expect(vm.sort()).toEqual(prom.sort());
    }
    const [vmKeys, promKeys] = await Promise.all([sourceTrend.getTagKeys(), promSourceTrend.getTagKeys()]);
    expect(vmKeys.map((k) => k.text).sort()).toEqual(promKeys.map((k) => k.text).sort());
  });
});

describe('errors and limits', () => {
  it("names an invalid regex by its filter, as typed, from VictoriaMetrics' 422 as from Prometheus' bad_data", async () => {
    const res = await runQuery(sourceNew, request(dsNew, [{ pod: '/(unclosed/' }]));
    expect(res.data).toEqual([]);
    expect(res.errors?.[0]?.message).toBe(
      'pod /(unclosed/ is not a valid RE2 regular expression (the syntax Prometheus reads): missing closing ).'
    );
  });

  it('"Save & test" names a points limit below 11,000, which panels fit their step to', async () => {
    const result = await makeDataSource({}, 'limited').testDatasource();
    expect(result.status).toBe('success');
    expect(result.details?.message).toMatch(
      /The engine allows at most 50 points per series \(VictoriaMetrics -search\.maxPointsPerTimeseries\): panels raise their step to fit/
    );
    expect((await sourceNew.testDatasource()).details?.message).not.toMatch(/points per series/);
  });

  it("fits a points limit set below Prometheus' 11,000: the step is raised to fit, and a notice says why", async () => {
    const res = await runQuery(makeDataSource({}, 'limited'), request(dsNew, [{ ...WORKED_EXAMPLE }]));
    expect(res.errors ?? []).toEqual([]);
    expect(res.data).toHaveLength(1);
    const times = field(res.data[0], 'Time').values;
    expect(times.length).toBeLessThanOrEqual(50);
    expect(times.length).toBeGreaterThan(25);
    // Still the worked example's figures, at the coarser step.
    expect(field(res.data[0], 'real used').values.at(-1)).toBe(23 * MB);
    expect(res.data[0].meta?.notices?.map((n: { text: string }) => n.text)).toEqual([
      expect.stringMatching(
        /^The engine allows at most 50 points per series \(VictoriaMetrics -search\.maxPointsPerTimeseries\): the step was raised to \d+s to fit\./
      ),
    ]);
  });

  it("a 30-day range at a 1 s interval stays under both servers' points limits", async () => {
    const res = await runQuery(
      sourceNew,
      panelRequest([{ ...WORKED_EXAMPLE }], dsNew.end - 30 * 86400, dsNew.end, { interval: '1s', intervalMs: 1000 })
    );
    expect(res.errors ?? []).toEqual([]);
    expect(res.data).toHaveLength(1);
    expect(field(res.data[0], 'Time').values.length).toBeLessThanOrEqual(11000);
  });
});

describe('trend views: the same answers as Prometheus', () => {
  const trendRun = async (source: DataSource, targets: Array<Partial<RealMemoryQuery>>) => {
    const res = await runQuery(
      source,
      request(
        trends,
        targets.map((t) => ({ namespace: 'trend', ...t }))
      )
    );
    expect(res.errors ?? []).toEqual([]);
    return res.data;
  };
  const frameNamed = (frames: DataFrame[], c: { pod: string; container?: string }) => {
    const name = [c.pod, c.container].filter(Boolean).join('/');
    const f = frames.find((fr) => fr.name === name);
    if (!f) {
      throw new Error(`no frame ${name}: ${frames.map((fr) => fr.name).join(', ')}`);
    }
    return f;
  };
  const last = trends.timestamps.length - 1;
  const realUsed = (i: number, s = STATS.leak) =>
    cadvisorValues(s(i)!).usage - cadvisorValues(s(i)!).activeFile - cadvisorValues(s(i)!).inactiveFile;

  it('leak check: the verdicts and restarts Prometheus gives, and the generated slopes', async () => {
    const [[vm], [prom]] = await Promise.all([
      trendRun(sourceTrend, [{ view: 'leakCheck' }]),
      trendRun(promSourceTrend, [{ view: 'leakCheck' }]),
    ]);
    const rows = (table: DataFrame) =>
      (field(table, 'pod').values as string[])
        .map(
          (pod, i) =>
            `${pod}/${field(table, 'container').values[i]}: ${field(table, FIELD_VERDICT).values[i]}, ${field(table, 'restarts').values[i]} restarts`
        )
        .sort();
    expect(rows(vm)).toEqual(rows(prom));
    const cell = (c: { pod: string }, name: string) =>
      field(vm, name).values[(field(vm, 'pod').values as string[]).indexOf(c.pod)];
    const slope = (c: { pod: string }) =>
      bytesPerHourOf(cell(c, FIELD_REAL_SLOPE), field(vm, FIELD_REAL_SLOPE).config.unit);
    expect([LEAK, CACHE, SAW, NOISY, CRASH, FREE].map((c) => cell(c, FIELD_VERDICT))).toEqual([
      VERDICT_LEAK,
      VERDICT_CACHE,
      VERDICT_STABLE,
      VERDICT_STABLE,
      VERDICT_LEAK,
      VERDICT_LEAK,
    ]);
    expect(Math.abs(slope(LEAK) / (50 * MB) - 1)).toBeLessThan(0.02);
    expect(Math.abs(slope(CRASH) / (100 * MB) - 1)).toBeLessThan(0.02);
    // The killed cgroup's last sample is seen one step after the restart here, five minutes on Prometheus.
    const fittedFrom = cell(CRASH, 'fitted from') / 1000;
    expect(fittedFrom).toBeGreaterThanOrEqual(trends.timestamps[RESTART_AT]);
    expect(fittedFrom).toBeLessThanOrEqual(trends.timestamps[RESTART_AT + 1]);
    expect(Math.abs(cell(CRASH, FIELD_TIME_TO_LIMIT) - 1800)).toBeLessThan(0.05 * 1800);
  });

  it('headroom: limit − real used and limit − working set, cAdvisor limit else kube-state-metrics', async () => {
    const frames = await trendRun(sourceTrend, [{ view: 'headroom' }]);
    const leak = frameNamed(frames, LEAK);
    for (const i of [0, 100, last]) {
      const t = trends.timestamps[i];
      expect(valueAt(leak, FIELD_ROOM_OOM, t)).toBe(LIMIT_MB.leak * MB - realUsed(i));
      expect(valueAt(leak, FIELD_ROOM_KUBELET, t)).toBe(LIMIT_MB.leak * MB - cadvisorValues(STATS.leak(i)!).workingSet);
    }
    expect(valueAt(frameNamed(frames, CACHE), FIELD_ROOM_OOM, trends.end)).toBe(
      LIMIT_MB.cache * MB - realUsed(last, STATS.cache)
    );
    expect(frameNamed(frames, FREE).fields).toHaveLength(0);
    expect(valueAt(frameNamed(frames, MIXED_MAIN), FIELD_ROOM_OOM, trends.end)).toBe((LIMIT_MB.mixedMain - 80) * MB);
  });

  it('show limits: dashed limit and request series', async () => {
    const frames = await trendRun(sourceTrend, [{ view: 'realVsWorkingSet', showLimits: true }]);
    const cache = frameNamed(frames, CACHE);
    expect(valueAt(cache, 'limit', trends.end)).toBe(LIMIT_MB.cache * MB);
    expect(valueAt(cache, 'request', trends.end)).toBe(REQUEST_MB.cache * MB);
    expect(frameNamed(frames, FREE).fields.map((f) => f.name)).not.toContain('limit');
  });

  it('group by namespace: the sums Prometheus gives', async () => {
    const [[vm], [prom]] = await Promise.all([
      trendRun(sourceTrend, [{ groupBy: 'namespace' }]),
      trendRun(promSourceTrend, [{ groupBy: 'namespace' }]),
    ]);
    expect(labelsOf(vm)).toEqual({ namespace: 'trend' });
    // Before the restart both servers see the same samples; afterwards their lookbacks differ.
    for (const i of [0, 100, RESTART_AT - 1, last]) {
      const t = trends.timestamps[i];
      expect([valueAt(vm, 'working set', t), valueAt(vm, 'real used', t)]).toEqual([
        valueAt(prom, 'working set', t),
        valueAt(prom, 'real used', t),
      ]);
    }
  });

  it('annotations: the OOM kill and the restarts Prometheus gives, at the same times', async () => {
    const events = async (source: DataSource) => {
      const support = source.annotations!;
      const anno = support.prepareAnnotation!({
        name: 'OOM kills',
        enable: true,
        iconColor: 'red',
        target: { namespace: 'trend' },
      } as any);
      const [frame] = await trendRun(source, [support.prepareQuery!(anno as AnnotationQuery<RealMemoryQuery>)!]);
      return (field(frame, 'time').values as number[]).map((t, i) => ({
        t: t / 1000,
        title: field(frame, 'title').values[i] as string,
        text: field(frame, 'text').values[i] as string,
      }));
    };
    const [vm, prom] = await Promise.all([events(sourceTrend), events(promSourceTrend)]);
    const when = (list: typeof vm) => list.map((e) => [e.t, e.title]);
    expect(when(vm)).toEqual(when(prom));
    // The count is the counter's exact rise (no increase() extrapolation): one kill on both.
    expect(vm[0].text).toBe('trend/crash-0/worker: OOM kill (cAdvisor container_oom_events_total)');
    expect(vm.map((e) => e.text)).toEqual(prom.map((e) => e.text));
    expect(when(vm)).toEqual([
      [trends.timestamps[RESTART_AT - 1], 'OOM kill'],
      [trends.timestamps[RESTART_AT], 'Restart after OOM kill'],
      [trends.timestamps[ERROR_RESTART_AT], 'Restart'],
    ]);
  });
});

it('vmalert loads the rule file (expressions parsed as MetricsQL, templates checked)', async () => {
  const rules = path.resolve(__dirname, '../../rules/real-memory.rules.yml');
  await promisify(execFile)('/usr/bin/vmalert', ['-dryRun', `-rule=${rules}`, '-loggerLevel=ERROR']);
});
