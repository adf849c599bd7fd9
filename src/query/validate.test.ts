import '../../test/support/polyfills';
import { lastValueFrom } from 'rxjs';
import { CoreApp, dateTime } from '@grafana/data';

import { installBackendSrv } from '../../test/support/backendSrv';
import { makeDataSource } from '../../test/support/dataSource';
import { inMemory, success } from '../../test/support/grafanaServer';
import { installTemplateSrv } from '../../test/support/templateSrv';
import { queryDisplayText } from './displayText';
import { FIELD_LABELS, minStepOf, topNOf, validateNodeOptions, validateQuery } from './validate';
import { RealMemoryQuery } from '../types';

describe('validateQuery', () => {
  it('fills the defaults of an old or empty query', () => {
    expect(validateQuery({ refId: 'A' })).toEqual({
      ok: true,
      query: {
        view: 'realVsWorkingSet',
        groupBy: 'container',
        formula: 'realUsed',
        topN: 0,
        showUsage: false,
        showLimits: false,
        showPressure: false,
        incremental: true,
        headroomUnit: 'bytes',
        minStepSeconds: 0,
      },
    });
    expect(validateQuery({ refId: 'A', view: '' as never, topN: null as never }, 'usageMinusActiveFile')).toMatchObject(
      {
        ok: true,
        query: { view: 'realVsWorkingSet', formula: 'usageMinusActiveFile', topN: 0 },
      }
    );
  });

  it('keeps valid values; a quoted whole number from provisioning YAML is a number', () => {
    const q = {
      refId: 'A',
      view: 'leakCheck',
      groupBy: 'pod',
      formula: 'usageMinusActiveFile',
      topN: '5' as never,
      headroomUnit: 'percent',
      minStep: '2m',
    };
    expect(validateQuery(q as RealMemoryQuery)).toMatchObject({
      ok: true,
      query: {
        view: 'leakCheck',
        groupBy: 'pod',
        formula: 'usageMinusActiveFile',
        topN: 5,
        headroomUnit: 'percent',
        minStepSeconds: 120,
      },
    });
  });

  it.each([
    [
      { view: 'nonsense' },
      /Unknown view "nonsense" in this query; allowed: realVsWorkingSet, breakdown, headroom, leakCheck, nodes\./,
    ],
    [{ groupBy: 'node' }, /Unknown groupBy "node" in this query; allowed: container, pod, namespace\./],
    [{ formula: 'x' }, /Unknown formula "x" in this query; allowed: realUsed, usageMinusActiveFile\./],
    [{ formula: 3 }, /Unknown formula 3/],
    [{ topN: -1 }, /Top must be a whole number from 0 \(all\) to 100000, not -1\./],
    [{ topN: 2.5 }, /Top must be a whole number from 0 \(all\) to 100000, not 2\.5\./],
    [{ topN: 'ten' }, /Top must be a whole number from 0 \(all\) to 100000, not "ten"\./],
    [{ topN: 9223372036854776000 }, /Top must be a whole number from 0 \(all\) to 100000, not 9223372036854776000\./],
    [
      { view: 'nodes', nodeView: 'pods' },
      /Unknown nodeView "pods" in this query; allowed: memory, breakdown, table, evictionOrder\./,
    ],
    [{ headroomUnit: '%' }, /Unknown headroomUnit "%" in this query; allowed: bytes, percent\./],
    [{ minStep: '1m30s' }, /Min step must be a duration such as 30s, 1m or 1h, not "1m30s"\./],
    [{ minStep: '$step' }, /Min step must be a duration/],
  ])('%j is refused with a message naming the key and the allowed values', (bad, message) => {
    const result = validateQuery({ refId: 'A', ...(bad as object) });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error).toMatch(message);
  });

  it("names Top and Min step as the editor labels them, in the same words as the editor's own check", () => {
    const run = validateQuery({ refId: 'A', topN: 'abc' as never, minStep: '3x' });
    const top = topNOf('abc', FIELD_LABELS.topN);
    const step = minStepOf('3x', FIELD_LABELS.minStep);
    expect(top.error).toBe('Top must be a whole number from 0 (all) to 100000, not "abc".');
    expect(step.error).toBe('Min step must be a duration such as 30s, 1m or 1h, not "3x".');
    expect(!run.ok && run.error).toBe(`${top.error} ${step.error}`);
  });

  it('names every bad key at once', () => {
    const result = validateQuery({ refId: 'A', view: 'v' as never, topN: -2 });
    expect(!result.ok && result.error).toMatch(/Unknown view "v".*Top must be/);
  });
});

describe('validateQuery, view "nodes"', () => {
  it('defaults to the memory frames, without the eviction order; other views carry no node keys', () => {
    expect(validateQuery({ refId: 'A', view: 'nodes' })).toMatchObject({
      ok: true,
      query: { view: 'nodes', nodes: { nodeView: 'memory', showEvictionOrder: false } },
    });
    const other = validateQuery({ refId: 'A', nodeView: 'table', showEvictionOrder: true });
    expect(other.ok && other.query.nodes).toBeUndefined();
  });

  it('keeps the chosen node view and eviction order', () => {
    expect(validateQuery({ refId: 'A', view: 'nodes', nodeView: 'table', showEvictionOrder: true })).toMatchObject({
      ok: true,
      query: { nodes: { nodeView: 'table', showEvictionOrder: true } },
    });
  });
});

describe('validateNodeOptions', () => {
  const MiB = 2 ** 20;

  it('defaults: node label "node", evictionHard 100Mi, no soft threshold', () => {
    expect(validateNodeOptions({})).toEqual({
      ok: true,
      settings: { nodeLabel: 'node', evictionHard: { bytes: 100 * MiB }, evictionSoft: undefined },
    });
  });

  it('reads quantities and percentages as the kubelet does', () => {
    expect(validateNodeOptions({ nodeLabel: 'instance', evictionHard: '5%', evictionSoft: ' 1.5Gi ' })).toEqual({
      ok: true,
      settings: { nodeLabel: 'instance', evictionHard: { percent: 5 }, evictionSoft: { bytes: 1.5 * 1024 * MiB } },
    });
  });

  it.each([
    [
      { evictionHard: '100m' },
      /option evictionHard: "100m" is a fraction of a byte.*did you mean 100Mi or 100M\? Fix it/,
    ],
    [{ evictionSoft: '10Mb' }, /option evictionSoft: "10Mb" has an unknown unit "Mb"/],
    [{ evictionHard: '0%' }, /option evictionHard: "0%" must be a percentage above 0%/],
    [
      { nodeLabel: 'kubernetes.io/hostname' },
      /option nodeLabel: "kubernetes.io\/hostname" is not a Prometheus label name/,
    ],
    [{ evictionHard: 100 }, /option evictionHard must be text, not 100/],
  ])('%j is refused with a message naming the field', (options, message) => {
    const result = validateNodeOptions(options as never);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error).toMatch(message);
    expect(!result.ok && result.error).toMatch(/Fix it in the data source settings/);
  });

  it('names every bad field at once', () => {
    const result = validateNodeOptions({ nodeLabel: '1x', evictionHard: 'x', evictionSoft: '-1' });
    expect(!result.ok && result.error).toMatch(/nodeLabel.*evictionHard.*evictionSoft/);
  });
});

describe('query() with a stored query from another version', () => {
  it('answers with the error for that target only, and sends nothing to Prometheus for it', async () => {
    installTemplateSrv([]);
    const sent = installBackendSrv(inMemory(() => success({ resultType: 'matrix', result: [] }))).requests;
    const ds = makeDataSource();
    const now = dateTime();
    const response = await lastValueFrom(
      ds.query({
        targets: [
          { refId: 'A', view: 'nonsense' as never },
          { refId: 'B', formula: 'x' as never },
          { refId: 'C', namespace: 'shop' },
        ],
        range: { from: dateTime(now.valueOf() - 3_600_000), to: now, raw: { from: 'now-1h', to: 'now' } },
        interval: '60s',
        intervalMs: 60000,
        maxDataPoints: 100,
        requestId: 'q1',
        scopedVars: {},
        timezone: 'utc',
        app: CoreApp.Dashboard,
        startTime: now.valueOf(),
      })
    );
    expect(response.errors?.map((e) => e.refId)).toEqual(['A', 'B']);
    expect(response.errors?.[0].message).toMatch(/Unknown view "nonsense"/);
    expect(response.errors?.[1].message).toMatch(/Unknown formula "x"/);
    // Only C reached Prometheus.
    expect(sent.length).toBeGreaterThan(0);
    // (Beside the data source's probe for the recording rules' series, which names no target's selection.)
    const forTargets = sent.filter((r) => !(r.query ?? '').includes('namespace_pod_container:'));
    expect(forTargets.every((r) => (r.query ?? '').includes('namespace="shop"'))).toBe(true);
  });
});

describe('bad node options in queries and "Save & test"', () => {
  const now = dateTime();
  const request = (targets: RealMemoryQuery[]) => ({
    targets,
    range: { from: dateTime(now.valueOf() - 3600_000), to: now, raw: { from: 'now-1h', to: 'now' } },
    interval: '60s',
    intervalMs: 60000,
    maxDataPoints: 100,
    requestId: 'q2',
    scopedVars: {},
    timezone: 'utc',
    app: CoreApp.Dashboard,
    startTime: now.valueOf(),
  });

  it('fail every query with the field named, as the other settings do, and send nothing', async () => {
    installTemplateSrv([]);
    const sent = installBackendSrv(inMemory(() => success({ resultType: 'matrix', result: [] }))).requests;
    const ds = makeDataSource({ evictionHard: '100MB' });
    const response = await lastValueFrom(
      ds.query(
        request([
          { refId: 'A', view: 'nodes' },
          { refId: 'B', namespace: 'shop' },
        ])
      )
    );
    const message = expect.stringMatching(/Eviction hard: "100MB" has an unknown unit "MB"/);
    expect(response.errors?.map((e) => [e.refId, e.message])).toEqual([
      ['A', message],
      ['B', message],
    ]);
    expect(sent).toEqual([]);
  });

  it('"Save & test" names the field before asking Prometheus anything', async () => {
    const sent = installBackendSrv(inMemory(() => success({ resultType: 'vector', result: [] }))).requests;
    const result = await makeDataSource({ nodeLabel: 'node name' }).testDatasource();
    expect(result.status).toBe('error');
    expect(result.message).toMatch(/Node label: "node name" is not a Prometheus label name/);
    expect(sent).toEqual([]);
  });

  it('"Save & test" says how many nodes the nodes view will find', async () => {
    installBackendSrv(
      inMemory((req) => {
        const value = (req.query ?? '').includes('id="/"') ? '3' : '12';
        return success({ resultType: 'vector', result: [{ metric: {}, value: [0, value] }] });
      })
    );
    const result = await makeDataSource({ nodeLabel: 'instance' }).testDatasource();
    expect(result.status).toBe('success');
    expect(result.details?.message).toMatch(
      /Nodes view: 3 nodes with a root-cgroup series \(id="\/", label "instance"\)\./
    );
  });
});

describe('queryDisplayText (Explore query history)', () => {
  it('names the view, the filters as typed and what differs from the defaults', () => {
    expect(queryDisplayText({ refId: 'A' })).toBe('Real used vs working set · all containers');
    expect(
      queryDisplayText({
        refId: 'A',
        view: 'headroom',
        headroomUnit: 'percent',
        cluster: 'prod',
        namespace: 'shop',
        pod: '!/canary-.*/',
        groupBy: 'pod',
        topN: 10,
        minStep: '1m',
      })
    ).toBe('Headroom (% of limit) · cluster: prod, namespace: shop, pod: !/canary-.*/ · by pod · top 10 · min step 1m');
    expect(queryDisplayText({ refId: 'A', formula: 'usageMinusActiveFile' })).toMatch(
      /^Real used vs working set \(Usage − active file\)/
    );
  });

  it('never throws on a query from another version', () => {
    expect(queryDisplayText({ refId: 'A', view: 'pods' as never, topN: 'x' as never })).toMatch(
      /^Real used vs working set/
    );
  });
});
