// Headroom, leak check, limits and OOM/restart annotations end to end: generated series with
// known slopes (test/fixtures/trends.ts) backfilled into a real Prometheus, read through
// DataSource.query() and a backend service playing Grafana's proxy.
import '../support/polyfills';
import { AnnotationQuery, DataFrame, DataQueryResponse, Field } from '@grafana/data';

import { DataSource } from '../../src/datasource';
import { FIELD_ROOM_KUBELET, FIELD_ROOM_OOM } from '../../src/frames/headroomFrames';
import {
  FIELD_CACHE_SLOPE,
  FIELD_FIT,
  FIELD_REAL_SLOPE,
  FIELD_TIME_TO_LIMIT,
  FIELD_VERDICT,
} from '../../src/frames/leakFrames';
import { bytesPerHourOf } from '../../src/frames/iecPerHour';
import { VERDICT_CACHE, VERDICT_LEAK, VERDICT_STABLE } from '../../src/memory/leakVerdict';
import { RealMemoryQuery } from '../../src/types';
import { cadvisorValues, MB } from '../fixtures/cadvisor';
import {
  buildTrendDataset,
  CACHE,
  CRASH,
  ERROR_RESTART_AT,
  FREE,
  LEAK,
  LIMIT_MB,
  MIXED_KSM_MAIN,
  MIXED_MAIN,
  NOISY,
  REQUEST_MB,
  RESTART_AT,
  SAW,
  STATS,
} from '../fixtures/trends';
import { TestBackendSrv } from '../support/backendSrv';
import { panelRequest, PrometheusDataSource, runQuery, startPrometheusDataSource } from '../support/dataSource';

jest.setTimeout(120000);

/** Slopes must be within 2% of the generated ones (noise is ±2–3 MB on a 6-hour line). */
const SLOPE_TOLERANCE = 0.02;
const HOUR = 3600;

const ds = buildTrendDataset();
let rig: PrometheusDataSource;
let backend: TestBackendSrv;
let source: DataSource;

beforeAll(async () => {
  rig = await startPrometheusDataSource({ openMetrics: ds.openMetrics }, { uid: 'trends' });
  ({ backend, ds: source } = rig);
}, 60000);

afterAll(async () => {
  await rig?.stop();
});

const request = (targets: Array<Partial<RealMemoryQuery>>) =>
  panelRequest(
    targets.map((t) => ({ namespace: 'trend', ...t })),
    ds.start,
    ds.end,
    { interval: `${ds.step}s`, intervalMs: ds.step * 1000 }
  );

async function run(targets: Array<Partial<RealMemoryQuery>>): Promise<DataQueryResponse> {
  const res = await runQuery(source, request(targets));
  expect(res.errors ?? []).toEqual([]);
  return res;
}

const field = (frame: DataFrame, name: string): Field => {
  const f = frame.fields.find((x) => x.name === name);
  if (!f) {
    throw new Error(`no field "${name}" in ${frame.name}: ${frame.fields.map((x) => x.name).join(', ')}`);
  }
  return f;
};
const valueAt = (frame: DataFrame, name: string, t: number) =>
  field(frame, name).values[(field(frame, 'Time').values as number[]).indexOf(t * 1000)];
/** The frame whose legend is <pod>[/<container>] (namespace="trend" is fixed by the selection, so not in the legend). */
const frameOf = (frames: DataFrame[], c: { pod: string; container?: string }) => {
  const f = frames.find((fr) => fr.name === [c.pod, c.container].filter(Boolean).join('/'));
  if (!f) {
    throw new Error(`no frame for ${c.pod}/${c.container ?? ''}: ${frames.map((fr) => fr.name).join(', ')}`);
  }
  return f;
};
const realUsed = (i: number, s = STATS.leak) =>
  cadvisorValues(s(i)!).usage - cadvisorValues(s(i)!).activeFile - cadvisorValues(s(i)!).inactiveFile;
const workingSet = (i: number, s = STATS.leak) => cadvisorValues(s(i)!).workingSet;
const last = ds.timestamps.length - 1;

describe('leak check', () => {
  let table: DataFrame;
  const row = (c: { pod: string }) => (field(table, 'pod').values as string[]).indexOf(c.pod);
  const cell = (c: { pod: string }, name: string) => field(table, name).values[row(c)];
  /** A slope in bytes per hour (the table shows each slope column in its own IEC unit). */
  const slope = (c: { pod: string }, name: string) => bytesPerHourOf(cell(c, name), field(table, name).config.unit);

  beforeAll(async () => {
    const res = await run([{ view: 'leakCheck' }]);
    expect(res.data).toHaveLength(1);
    table = res.data[0];
    if (process.env.PRINT_TRENDS) {
      // Measured figures, for the record: PRINT_TRENDS=1 npx jest … trends.test.ts
      const names = [
        'pod',
        FIELD_VERDICT,
        FIELD_REAL_SLOPE,
        FIELD_CACHE_SLOPE,
        FIELD_FIT,
        FIELD_TIME_TO_LIMIT,
        'restarts',
      ];
      console.log(
        (field(table, 'pod').values as string[])
          .map((_, i) =>
            names
              .map((n) => {
                const v = field(table, n).values[i];
                return typeof v === 'number' && Math.abs(v) > 1e5 ? `${(v / MB).toFixed(2)} MB` : String(v);
              })
              .join(' | ')
          )
          .join('\n')
      );
    }
  });

  it('is one table with a row per container', () => {
    expect(table.meta?.preferredVisualisationType).toBe('table');
    const rows = (field(table, 'pod').values as string[]).map((p, i) => `${p}/${field(table, 'container').values[i]}`);
    expect(rows.sort()).toEqual(
      [LEAK, CACHE, SAW, NOISY, CRASH, FREE]
        .map((c) => `${c.pod}/${c.container}`)
        .concat(['mixed-0/main', 'mixed-0/sidecar', 'mixed-1/main', 'mixed-1/sidecar'])
        .sort()
    );
  });

  it('lists the worst first: leaks by fastest real used growth, then the rest by verdict', () => {
    const verdicts = field(table, FIELD_VERDICT).values as string[];
    const slopes = field(table, FIELD_REAL_SLOPE).values as number[];
    const leaks = verdicts.filter((v) => v === VERDICT_LEAK).length;
    expect(leaks).toBeGreaterThan(1);
    expect(verdicts.slice(0, leaks).every((v) => v === VERDICT_LEAK)).toBe(true);
    expect(slopes.slice(0, leaks)).toEqual([...slopes.slice(0, leaks)].sort((a, b) => b - a));
    expect(verdicts.indexOf(VERDICT_STABLE)).toBeGreaterThan(verdicts.indexOf(VERDICT_CACHE));
    // The PSI note is said once for the table, not on each row.
    expect((field(table, 'notes').values as string[]).some((n) => /PSI/.test(n) && /no PSI series/.test(n))).toBe(
      false
    );
  });

  it('a steady anon leak: verdict, slope within 2%, time to the 1000 MB limit', () => {
    expect(cell(LEAK, FIELD_VERDICT)).toBe(VERDICT_LEAK);
    expect(slope(LEAK, FIELD_REAL_SLOPE)).toBeGreaterThan(50 * MB * (1 - SLOPE_TOLERANCE));
    expect(slope(LEAK, FIELD_REAL_SLOPE)).toBeLessThan(50 * MB * (1 + SLOPE_TOLERANCE));
    expect(cell(LEAK, FIELD_FIT)).toBeGreaterThan(0.95);
    // At the end real used is 500 MB: 500 MB to go at 50 MB/h = 10 h (±3% from slope and noise).
    expect(Math.abs(cell(LEAK, FIELD_TIME_TO_LIMIT) - 10 * HOUR)).toBeLessThan(0.03 * 10 * HOUR);
  });

  it('page cache growth is not a leak, and its slope is measured', () => {
    expect(cell(CACHE, FIELD_VERDICT)).toBe(VERDICT_CACHE);
    expect(Math.abs(slope(CACHE, FIELD_CACHE_SLOPE) / (80 * MB) - 1)).toBeLessThan(SLOPE_TOLERANCE);
    expect(Math.abs(slope(CACHE, FIELD_REAL_SLOPE))).toBeLessThan(MB);
    expect(cell(CACHE, FIELD_TIME_TO_LIMIT)).toBeNull();
  });

  it('a cache sawtooth reclaimed at the limit is not a leak', () => {
    expect(cell(SAW, FIELD_VERDICT)).toBe(VERDICT_STABLE);
    expect(cell(SAW, FIELD_TIME_TO_LIMIT)).toBeNull();
  });

  it('noisy but stable is stable', () => {
    expect(cell(NOISY, FIELD_VERDICT)).toBe(VERDICT_STABLE);
    // R² qualifies the anon-growth verdict only: beside "stable" it would read as a doubt.
    expect(cell(NOISY, FIELD_FIT)).toBeNull();
    expect(cell(LEAK, FIELD_FIT)).toBeGreaterThan(0.9);
  });

  it('a restart mid-range: fitted after the restart, slope and time to limit of the new process', () => {
    expect(cell(CRASH, FIELD_VERDICT)).toBe(VERDICT_LEAK);
    expect(cell(CRASH, 'restarts')).toBe(1);
    // Backfilled data has no staleness markers, so the dead cgroup's last sample is still seen
    // for Prometheus' 5-minute lookback: the drop shows between the restart and 5 minutes later.
    const fittedFrom = cell(CRASH, 'fitted from') / 1000;
    expect(fittedFrom).toBeGreaterThanOrEqual(ds.timestamps[RESTART_AT]);
    expect(fittedFrom).toBeLessThanOrEqual(ds.timestamps[RESTART_AT] + 5 * 60);
    expect(Math.abs(slope(CRASH, FIELD_REAL_SLOPE) / (100 * MB) - 1)).toBeLessThan(SLOPE_TOLERANCE);
    // 350 MB at the end, 400 MB limit, 100 MB/h: 30 minutes.
    expect(Math.abs(cell(CRASH, FIELD_TIME_TO_LIMIT) - 1800)).toBeLessThan(0.05 * 1800);
  });

  it('without a limit: still a verdict, no time to limit, a note saying why', () => {
    expect(cell(FREE, FIELD_VERDICT)).toBe(VERDICT_LEAK);
    expect(Math.abs(slope(FREE, FIELD_REAL_SLOPE) / (30 * MB) - 1)).toBeLessThan(SLOPE_TOLERANCE);
    expect(cell(FREE, FIELD_TIME_TO_LIMIT)).toBeNull();
    expect(cell(FREE, 'notes')).toMatch(/no memory limit/);
  });

  it('fetched working set, active and inactive file, anon (rss), PSI pressure and the three limit series, nothing else', () => {
    const metrics = backend.queries
      .filter((q) => q.includes('{namespace="trend"'))
      .map((q) => /(\w+)\{namespace="trend"/.exec(q)![1]);
    expect(metrics).toEqual(
      expect.arrayContaining([
        'container_memory_working_set_bytes',
        'container_memory_total_active_file_bytes',
        'container_memory_total_inactive_file_bytes',
        'container_memory_rss',
        'container_pressure_memory_waiting_seconds_total',
        'container_spec_memory_limit_bytes',
        'kube_pod_container_resource_limits',
        'kube_pod_container_resource_requests',
      ])
    );
    // The file-cache series exist: the fallback's usage and cache are not fetched.
    expect(metrics.some((m) => /usage|memory_cache/.test(m))).toBe(false);
  });
});

describe('headroom', () => {
  let frames: DataFrame[];
  beforeAll(async () => {
    frames = (await run([{ view: 'headroom' }])).data;
  });

  it('limit − real used and limit − working set, in bytes, or in % with headroomUnit percent, from the cAdvisor limit', async () => {
    const f = frameOf(frames, LEAK);
    const pct = frameOf((await run([{ view: 'headroom', headroomUnit: 'percent' }])).data, LEAK);
    expect(f.fields.map((x) => x.name)).toEqual(['Time', FIELD_ROOM_OOM, FIELD_ROOM_KUBELET]);
    for (const i of [0, 100, last]) {
      const t = ds.timestamps[i];
      const limit = LIMIT_MB.leak * MB;
      expect(valueAt(f, FIELD_ROOM_OOM, t)).toBe(limit - realUsed(i));
      expect(valueAt(f, FIELD_ROOM_KUBELET, t)).toBe(limit - workingSet(i));
      expect(valueAt(pct, `${FIELD_ROOM_OOM} (% of limit)`, t)).toBeCloseTo((100 * (limit - realUsed(i))) / limit, 9);
      expect(valueAt(pct, `${FIELD_ROOM_KUBELET} (% of limit)`, t)).toBeCloseTo(
        (100 * (limit - workingSet(i))) / limit,
        9
      );
    }
  });

  it('falls back to the kube-state-metrics limit when cAdvisor has none', () => {
    const f = frameOf(frames, CACHE);
    const limit = LIMIT_MB.cache * MB;
    expect(valueAt(f, FIELD_ROOM_KUBELET, ds.end)).toBe(limit - workingSet(last, STATS.cache));
  });

  it('a container without a limit gets a notice, not zeros', () => {
    const f = frameOf(frames, FREE);
    expect(f.fields).toHaveLength(0);
    // One notice for the panel (on its first frame) names it.
    expect(frames.flatMap((x) => x.meta?.notices ?? []).map((n) => n.text)).toContainEqual(
      expect.stringMatching(
        /^No memory limit \(none set: unlimited\): headroom is not defined — \d+ of \d+ containers: .*free-0\/batch/
      )
    );
  });

  it('a pod is limited only when all its containers are (cAdvisor 0 or a missing KSM limit)', async () => {
    const containers = frameOf(frames, MIXED_MAIN);
    expect(valueAt(containers, FIELD_ROOM_OOM, ds.end)).toBe(LIMIT_MB.mixedMain * MB - 80 * MB);
    expect(valueAt(frameOf(frames, MIXED_KSM_MAIN), FIELD_ROOM_OOM, ds.end)).toBe(LIMIT_MB.mixedMain * MB - 80 * MB);

    const pods = (await run([{ view: 'headroom', groupBy: 'pod' }])).data;
    // The panel's notices, one per cause, name the pods they concern.
    const notices = pods.flatMap((f) => f.meta?.notices ?? []).map((n) => n.text);
    const notice = (pod: string) => notices.filter((t) => t.includes(pod)).join(' ');
    // Summing 300 MB with an unlimited sidecar would claim a 300 MB pod limit: it must not.
    expect(frameOf(pods, { pod: 'mixed-0' }).fields).toHaveLength(0);
    expect(notice('mixed-0')).toMatch(/unlimited/);
    expect(frameOf(pods, { pod: 'mixed-1' }).fields).toHaveLength(0);
    expect(notice('mixed-1')).toMatch(/no limit series from cAdvisor or kube-state-metrics/);
  });

  it('works at pod level too (one container per pod here: same figures)', async () => {
    const pods = (await run([{ view: 'headroom', groupBy: 'pod' }])).data;
    expect(valueAt(frameOf(pods, { pod: LEAK.pod }), FIELD_ROOM_OOM, ds.end)).toBe(LIMIT_MB.leak * MB - realUsed(last));
    expect(valueAt(frameOf(pods, { pod: CACHE.pod }), FIELD_ROOM_OOM, ds.end)).toBe(
      LIMIT_MB.cache * MB - realUsed(last, STATS.cache)
    );
  });
});

describe('limits in the real-used-vs-working-set view', () => {
  it('adds dashed limit and request series when asked, nothing when not', async () => {
    const withLimits = (await run([{ view: 'realVsWorkingSet', showLimits: true }])).data;
    const cache = frameOf(withLimits, CACHE);
    expect(valueAt(cache, 'limit', ds.end)).toBe(LIMIT_MB.cache * MB);
    expect(valueAt(cache, 'request', ds.end)).toBe(REQUEST_MB.cache * MB);
    expect(field(cache, 'limit').config.custom?.lineStyle?.fill).toBe('dash');
    expect(valueAt(frameOf(withLimits, LEAK), 'limit', ds.end)).toBe(LIMIT_MB.leak * MB);
    // FREE is unlimited (cAdvisor 0, its KSM limit is for CPU): no limit line at zero.
    expect(frameOf(withLimits, FREE).fields.map((f) => f.name)).not.toContain('limit');

    backend.reset();
    const without = (await run([{ view: 'realVsWorkingSet' }])).data;
    expect(frameOf(without, CACHE).fields.map((f) => f.name)).not.toContain('limit');
    expect(backend.queries.some((q) => q.includes('limit'))).toBe(false);
  });
});

describe('annotations', () => {
  it('OOM kill and restarts appear at the right times through the AnnotationSupport flow', async () => {
    const support = source.annotations!;
    const anno = support.prepareAnnotation!({
      name: 'OOM kills',
      enable: true,
      iconColor: 'red',
      target: { namespace: 'trend' },
    } as any);
    const query = support.prepareQuery!(anno as AnnotationQuery<RealMemoryQuery>)!;
    const res = await run([query]);
    const frame = res.data[0];
    const events = (field(frame, 'time').values as number[]).map((t, i) => ({
      t: t / 1000,
      title: field(frame, 'title').values[i] as string,
      text: field(frame, 'text').values[i] as string,
    }));
    // Step 60 s, window 120 s: each event lands on the first step whose window holds the change.
    expect(events).toEqual([
      { t: ds.timestamps[RESTART_AT - 1], title: 'OOM kill', text: expect.stringContaining('trend/crash-0/worker') },
      {
        t: ds.timestamps[RESTART_AT],
        title: 'Restart after OOM kill',
        text: expect.stringContaining('trend/crash-0/worker'),
      },
      { t: ds.timestamps[ERROR_RESTART_AT], title: 'Restart', text: expect.stringContaining('trend/noisy-0/api') },
    ]);
  });
});

// Top N answers the view's question over the whole range: checked against the plugin's own
// figures for every group (top N off), so the ranking's PromQL and the frames must agree.
describe("top N by the view's question", () => {
  const lowest = (frame: DataFrame, name: string) =>
    Math.min(...(field(frame, name).values as Array<number | null>).filter((v): v is number => v !== null));
  const names = (frames: DataFrame[]) => frames.map((f) => f.name);

  it.each(['bytes', 'percent'] as const)(
    'headroom (%s): the groups with the least room at their lowest',
    async (unit) => {
      const name = unit === 'percent' ? `${FIELD_ROOM_OOM} (% of limit)` : FIELD_ROOM_OOM;
      const all = (await runQuery(source, request([{ view: 'headroom', headroomUnit: unit }]))).data as DataFrame[];
      const limited = all.filter((f) => f.fields.some((x) => x.name === name));
      const expected = [...limited].sort((a, b) => lowest(a, name) - lowest(b, name)).slice(0, 3);
      expect(limited.length).toBeGreaterThan(3);
      const top = await runQuery(source, request([{ view: 'headroom', headroomUnit: unit, topN: 3 }]));
      // The least rooms, in order (groups that tie may come in either order).
      expect((top.data as DataFrame[]).map((f) => lowest(f, name))).toEqual(expected.map((f) => lowest(f, name)));
      // Not the biggest: ranking by real used would answer another question.
      const biggest = await runQuery(source, request([{ view: 'realVsWorkingSet', topN: 3 }]));
      expect(names(top.data)).not.toEqual(names(biggest.data));
    }
  );

  it('the leak check: the fastest growing real used first', async () => {
    const top = await runQuery(source, request([{ view: 'leakCheck', topN: 1 }]));
    const [table] = top.data as DataFrame[];
    expect(table.length).toBe(1);
    const all = ((await runQuery(source, request([{ view: 'leakCheck' }]))).data as DataFrame[])[0];
    const slopes = field(all, FIELD_REAL_SLOPE).values as number[];
    const fastest = slopes.indexOf(Math.max(...slopes));
    expect(field(table, 'container').values[0]).toBe(field(all, 'container').values[fastest]);
  });
});
