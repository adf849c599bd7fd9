import { FieldType } from '@grafana/data';

import { RawSeries, rawSeries } from '../memory/series';
import { CADVISOR_METRIC } from '../prometheus/metrics';
import { DEFAULT_LABELS, PLAIN_SELECTOR_NOTE } from '../prometheus/promql';
import { QueryClient, RunRequest } from '../run/request';
import { VIEWS } from './registry';

const runMemoryQuery = (client: QueryClient, req: RunRequest) => VIEWS[req.view].run(client, req);

/** Answers range queries from a table of series per metric name, and records which metrics were asked for. */
function fakeClient(seriesByMetric: Record<string, RawSeries[]>, ranking: Array<Record<string, string>> = []) {
  const asked: string[] = [];
  const client = {
    queryRange: async (expr: string) => {
      const metric = Object.values(CADVISOR_METRIC).find((m) => expr.includes(m + '{'))!;
      asked.push(metric);
      return seriesByMetric[metric] ?? [];
    },
    queryInstant: async (expr: string) =>
      expr.startsWith('count(') ? [{ labels: {}, value: 3 }] : ranking.map((labels, i) => ({ labels, value: 100 - i })),
  } as unknown as QueryClient;
  return { client, asked };
}

const labels = (container: string) => ({ namespace: 'shop', pod: 'api-0', container });
const series = (container: string, values: number[]): RawSeries =>
  rawSeries(
    labels(container),
    values.map((v, i) => [i * 15000, v])
  );

const request = (over: Partial<RunRequest> = {}): RunRequest => ({
  refId: 'A',
  view: 'realVsWorkingSet',
  groupBy: 'container',
  formula: 'realUsed',
  showUsage: false,
  showLimits: false,
  headroomUnit: 'bytes',
  showPressure: false,
  matchers: ['namespace="shop"'],
  ksmMatchers: ['namespace="shop"'],
  labels: DEFAULT_LABELS,
  range: { start: 0, end: 30, step: 15 },
  topN: 0,
  requestId: 'r',
  ...over,
});

const values = (frame: { fields: Array<{ name: string; values: unknown }> }, name: string) =>
  Array.from(frame.fields.find((f) => f.name === name)!.values as ArrayLike<unknown>);

describe('container view runners', () => {
  it('per container, drops series without a pod or an image itself, and says so in the executed query', async () => {
    const withLabels = (extra: Record<string, string>, v: number) =>
      rawSeries({ ...labels('app'), image: 'shop/app:1', ...extra }, [[0, v]]);
    const strays = (v: number) => [
      withLabels({}, v),
      withLabels({ image: '' }, 5 * v),
      withLabels({ pod: '', container: 'x' }, 7 * v),
    ];
    const { client } = fakeClient({
      [CADVISOR_METRIC.workingSet]: strays(50e6),
      [CADVISOR_METRIC.activeFile]: strays(20e6),
    });
    const exclusions = ['container!=""', 'container!="POD"', 'pod!=""', 'image!=""'];
    const frames = await runMemoryQuery(
      client,
      request({ matchers: ['namespace="shop"', ...exclusions], range: { start: 0, end: 0, step: 15 } })
    );
    expect(frames).toHaveLength(1);
    expect(values(frames[0], 'working set')).toEqual([50e6]);
    expect(values(frames[0], 'real used')).toEqual([30e6]);
    const executed = frames[0].meta!.executedQueryString!.split('\n');
    expect(executed[0]).toBe(PLAIN_SELECTOR_NOTE);
    expect(executed).toContain(`${CADVISOR_METRIC.workingSet}{namespace="shop", container!="", container!="POD"}`);
  });

  it('fetches only working set and active file when the file-cache series exist', async () => {
    const { client, asked } = fakeClient({
      [CADVISOR_METRIC.workingSet]: [series('app', [53e6, 60e6])],
      [CADVISOR_METRIC.activeFile]: [series('app', [30e6, 30e6])],
    });
    const [frame] = await runMemoryQuery(client, request());
    expect(asked.sort()).toEqual([CADVISOR_METRIC.activeFile, CADVISOR_METRIC.workingSet].sort());
    expect(values(frame, 'working set')).toEqual([53e6, 60e6]);
    expect(values(frame, 'real used')).toEqual([23e6, 30e6]);
    expect(frame.fields[1].config.unit).toBe('bytes');
    expect(frame.fields[1].labels).toEqual(labels('app'));
    // A healthy query carries no notice; the formula is in the field description.
    expect(frame.fields[2].config.description).toMatch(/^usage − active file − inactive file/);
    expect(frame.meta?.notices).toEqual([]);
  });

  it('falls back to usage and cache for the groups without file-cache series, and says so', async () => {
    const { client, asked } = fakeClient({
      [CADVISOR_METRIC.workingSet]: [series('old', [53e6]), series('new', [53e6])],
      [CADVISOR_METRIC.activeFile]: [series('new', [30e6])],
      [CADVISOR_METRIC.usage]: [series('old', [101e6]), series('new', [101e6])],
      [CADVISOR_METRIC.cache]: [series('old', [80e6]), series('new', [80e6])],
    });
    const frames = await runMemoryQuery(client, request());
    expect(asked).toHaveLength(4);
    const byName = Object.fromEntries(frames.map((f) => [f.fields[1].labels!.container, f]));
    expect(values(byName.old, 'real used')).toEqual([21e6]);
    expect(values(byName.new, 'real used')).toEqual([23e6]);
    // One notice for the query, on its first frame, naming the group it concerns.
    expect(frames[0].meta?.notices).toEqual([
      {
        severity: 'warning',
        text: expect.stringMatching(/the split was estimated .* — 1 of 2 containers: api-0\/old\.$/),
      },
    ]);
    expect(frames[1].meta?.notices).toEqual([]);
  });

  it('breakdown stacks anon, other, active file and inactive file', async () => {
    const { client, asked } = fakeClient({
      [CADVISOR_METRIC.usage]: [series('app', [101e6])],
      [CADVISOR_METRIC.rss]: [series('app', [20e6])],
      [CADVISOR_METRIC.activeFile]: [series('app', [30e6])],
      [CADVISOR_METRIC.inactiveFile]: [series('app', [48e6])],
    });
    const [frame] = await runMemoryQuery(client, request({ view: 'breakdown' }));
    expect(asked).not.toContain(CADVISOR_METRIC.workingSet);
    expect(frame.fields.map((f) => f.name)).toEqual(['Time', 'anon', 'other', 'active file', 'inactive file']);
    expect(values(frame, 'other')).toEqual([3e6]);
    expect(
      frame.fields.slice(1).every((f) => f.type === FieldType.number && f.config.custom?.stacking?.mode === 'normal')
    ).toBe(true);
  });

  it('an empty selection returns a notice naming the selector, not a blank result', async () => {
    const { client } = fakeClient({});
    const [frame] = await runMemoryQuery(client, request());
    expect(frame.meta?.notices?.[0].text).toBe(
      'No cAdvisor memory series match container_memory_working_set_bytes{namespace="shop"} in this time range.'
    );
  });

  it('topN keeps the ranked groups in rank order and says how many were left out', async () => {
    const { client } = fakeClient(
      {
        [CADVISOR_METRIC.workingSet]: [series('a', [1]), series('b', [2]), series('c', [3])],
        [CADVISOR_METRIC.activeFile]: [series('a', [0]), series('b', [0]), series('c', [0])],
      },
      [labels('c'), labels('a')]
    );
    const frames = await runMemoryQuery(client, request({ topN: 2 }));
    expect(frames.map((f) => f.fields[1].labels!.container)).toEqual(['c', 'a']);
    expect(frames[0].meta?.notices?.map((n) => n.text).join(' ')).toContain('Showing the 2 of 3 containers');
  });

  it('"Show limits" without any limit series warns on that group instead of drawing nothing silently', async () => {
    const { client } = fakeClient({
      [CADVISOR_METRIC.workingSet]: [series('app', [53e6, 60e6])],
      [CADVISOR_METRIC.activeFile]: [series('app', [30e6, 30e6])],
    });
    const [frame] = await runMemoryQuery(client, request({ showLimits: true }));
    expect(frame.fields.map((f) => f.name)).toEqual(['Time', 'working set', 'real used']);
    expect(frame.meta?.notices).toEqual([
      expect.objectContaining({
        severity: 'warning',
        text: 'No memory limit (no limit series from cAdvisor or kube-state-metrics): no limit line to draw.',
      }),
    ]);
    const [plain] = await runMemoryQuery(client, request());
    expect(plain.meta?.notices).toEqual([]);
  });

  it('"Show pressure" adds PSI on a right axis in percent; without PSI series, a notice and no line (never 0)', async () => {
    const { client, asked } = fakeClient({
      [CADVISOR_METRIC.workingSet]: [series('v2', [53e6, 60e6]), series('v1', [53e6, 60e6])],
      [CADVISOR_METRIC.activeFile]: [series('v2', [30e6, 30e6]), series('v1', [30e6, 30e6])],
      [CADVISOR_METRIC.pressure]: [series('v2', [0.02, 0.3])],
    });
    const frames = await runMemoryQuery(client, request({ showPressure: true }));
    expect(asked).toContain(CADVISOR_METRIC.pressure);
    const byName = Object.fromEntries(frames.map((f) => [f.fields[1].labels!.container, f]));
    const pressure = byName.v2.fields.find((f) => f.name === 'memory pressure')!;
    expect(Array.from(pressure.values)).toEqual([0.02, 0.3]);
    expect(pressure.config).toMatchObject({ unit: 'percentunit', min: 0, max: 1, custom: { axisPlacement: 'right' } });
    expect(byName.v1.fields.map((f) => f.name)).not.toContain('memory pressure');
    expect(frames.flatMap((f) => f.meta?.notices ?? []).map((n) => n.text)).toEqual([
      'Memory pressure unknown: no PSI series (cgroup v1 or kubelet < 1.34) — 1 of 2 containers: api-0/v1.',
    ]);
    // Off by default: nothing asked.
    const quiet = fakeClient({
      [CADVISOR_METRIC.workingSet]: [series('v2', [1])],
      [CADVISOR_METRIC.activeFile]: [series('v2', [0])],
    });
    await runMemoryQuery(quiet.client, request());
    expect(quiet.asked).not.toContain(CADVISOR_METRIC.pressure);
  });
});
