import { DataFrame } from '@grafana/data';

import { RawSeries, rawSeries } from '../memory/series';
import { CADVISOR_METRIC } from '../prometheus/metrics';
import { DEFAULT_LABELS } from '../prometheus/promql';
import { RECORDED_NOTE } from '../prometheus/recordedQueries';
import { RECORDED } from '../recordingRules/rules';
import { QueryClient, RunRequest } from './request';
import { VIEWS } from '../views/registry';

/**
 * The choice between the recording rules' series and cAdvisor's, on a fake Prometheus that holds
 * both with the same values: which series are asked for, and that the frames are the same. The
 * equality on real data is tested against a real Prometheus (test/integration/recordedSeries.test.ts).
 */

const labels = (container: string) => ({ namespace: 'shop', pod: 'api-0', container });
const series = (container: string, values: number[], name?: string): RawSeries =>
  rawSeries(
    // cAdvisor's series carry the image (the plugin keeps only those that do); the rules' do not.
    name ? { __name__: name, ...labels(container) } : { ...labels(container), image: `shop/${container}:1` },
    values.map((v, i) => [i * 15000, v])
  );

/** Answers by the metric name in the expression; records the names asked for. */
function fakeClient(byName: Record<string, RawSeries[]>) {
  const asked: string[] = [];
  const names = [...Object.values(RECORDED), ...Object.values(CADVISOR_METRIC)];
  const client = {
    queryRange: async (expr: string) => {
      // Limits, requests and others: asked for by their expression.
      const name = names.find((n) => expr.includes(n + '{')) ?? expr;
      asked.push(name);
      return byName[name] ?? [];
    },
    queryInstant: async () => [],
  } as unknown as QueryClient;
  return { client, asked };
}

const bothSources = (withActiveFile = true) => ({
  [CADVISOR_METRIC.workingSet]: [series('app', [53e6, 60e6]), series('sidecar', [10e6, 11e6])],
  [CADVISOR_METRIC.activeFile]: [series('app', [30e6, 31e6]), series('sidecar', [2e6, 2e6])],
  [CADVISOR_METRIC.usage]: [series('app', [101e6, 102e6]), series('sidecar', [20e6, 20e6])],
  [CADVISOR_METRIC.cache]: [series('app', [80e6, 80e6]), series('sidecar', [10e6, 10e6])],
  [RECORDED.workingSet]: [
    series('app', [53e6, 60e6], RECORDED.workingSet),
    series('sidecar', [10e6, 11e6], RECORDED.workingSet),
  ],
  [RECORDED.activeFile]: withActiveFile
    ? [series('app', [30e6, 31e6], RECORDED.activeFile), series('sidecar', [2e6, 2e6], RECORDED.activeFile)]
    : [series('app', [30e6, 31e6], RECORDED.activeFile)],
});

function request(over: Partial<RunRequest> = {}, covered = true) {
  const probes: Array<{ start: number; end: number }> = [];
  const req: RunRequest = {
    refId: 'A',
    view: 'realVsWorkingSet',
    groupBy: 'container',
    formula: 'realUsed',
    showUsage: false,
    showLimits: false,
    showPressure: false,
    headroomUnit: 'bytes',
    matchers: ['namespace="shop"', 'container!=""', 'container!="POD"', 'pod!=""', 'image!=""'],
    ksmMatchers: ['namespace="shop"'],
    labels: DEFAULT_LABELS,
    range: { start: 0, end: 15, step: 15 },
    topN: 0,
    requestId: 'r',
    recorded: {
      matchers: ['namespace="shop"'],
      covers: async (span) => {
        probes.push(span);
        return covered;
      },
    },
    ...over,
  };
  return { req, probes };
}

const run = (client: QueryClient, req: RunRequest) => VIEWS[req.view].run(client, req);
/** Frames without the executed query, which names the series read. */
const plotted = (frames: DataFrame[]) =>
  frames.map((f) => ({ ...f, meta: { ...f.meta, executedQueryString: undefined } }));

describe('reading the recording rules’ series', () => {
  it.each(['realVsWorkingSet', 'headroom'] as const)('%s reads recorded working set and active file', async (view) => {
    const { client, asked } = fakeClient(bothSources());
    const { req, probes } = request({ view });
    const frames = await run(client, req);
    expect(probes).toEqual([req.range]);
    expect(asked.filter((n) => n.startsWith('namespace_pod_container:')).sort()).toEqual(
      [RECORDED.activeFile, RECORDED.workingSet].sort()
    );
    expect(asked).not.toContain(CADVISOR_METRIC.workingSet);
    expect(asked).not.toContain(CADVISOR_METRIC.activeFile);
    const executed = frames[0].meta!.executedQueryString!.split('\n');
    expect(executed).toContain(RECORDED_NOTE);
    expect(executed).toContain(`${RECORDED.workingSet}{namespace="shop"}`);

    const raw = fakeClient(bothSources());
    const rawFrames = await run(raw.client, request({ view }, false).req);
    expect(raw.asked).not.toContain(RECORDED.workingSet);
    expect(plotted(frames)).toEqual(plotted(rawFrames));
  });

  it('reads cAdvisor’s series when the rules do not cover the range', async () => {
    const { client, asked } = fakeClient(bothSources());
    const { req, probes } = request({}, false);
    const frames = await run(client, req);
    expect(probes).toHaveLength(1);
    expect(asked.sort()).toEqual([CADVISOR_METRIC.activeFile, CADVISOR_METRIC.workingSet].sort());
    expect(frames[0].meta!.executedQueryString).not.toContain('namespace_pod_container:');
  });

  it.each([
    ['the usage − active file formula', { formula: 'usageMinusActiveFile' as const }],
    ['show usage', { showUsage: true }],
    ['show pressure', { showPressure: true }],
    ['the breakdown', { view: 'breakdown' as const }],
    ['the leak check', { view: 'leakCheck' as const }],
    ['a selection on other labels', { recorded: { matchers: undefined, covers: async () => true } }],
  ])('reads cAdvisor’s series for %s, without probing', async (_name, over) => {
    const { client, asked } = fakeClient(bothSources());
    const { req, probes } = request(over);
    await run(client, req);
    expect(probes).toEqual([]);
    expect(asked.some((n) => n.startsWith('namespace_pod_container:'))).toBe(false);
  });

  it('reads cAdvisor’s series when a group has no active file (its split is estimated from usage and cache)', async () => {
    const { client, asked } = fakeClient(bothSources(false));
    const frames = await run(client, request().req);
    expect(asked).toEqual(
      expect.arrayContaining([RECORDED.workingSet, CADVISOR_METRIC.workingSet, CADVISOR_METRIC.activeFile])
    );
    expect(frames[0].meta!.executedQueryString).not.toContain('namespace_pod_container:');
  });

  it('sums recorded series by pod and namespace', async () => {
    const { client, asked } = fakeClient(bothSources());
    const frames = await run(client, request({ groupBy: 'namespace' }).req);
    expect(asked).toContain(RECORDED.workingSet);
    expect(frames[0].meta!.executedQueryString).toContain(
      `sum by (cluster, namespace) (${RECORDED.workingSet}{namespace="shop"})`
    );
  });
});
