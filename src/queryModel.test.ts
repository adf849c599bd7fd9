import { lastValueFrom } from 'rxjs';
import { CoreApp, dateTime } from '@grafana/data';

import { fakeBackend, fakeTemplateSrv, makeDataSource, success } from './components/testing/fakeGrafana';
import { queryDisplayText, validateQuery } from './queryModel';
import { RealMemoryQuery } from './types';

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
      /Unknown view "nonsense" in this query; allowed: realVsWorkingSet, breakdown, headroom, leakCheck\./,
    ],
    [{ groupBy: 'node' }, /Unknown groupBy "node" in this query; allowed: container, pod, namespace\./],
    [{ formula: 'x' }, /Unknown formula "x" in this query; allowed: realUsed, usageMinusActiveFile\./],
    [{ formula: 3 }, /Unknown formula 3/],
    [{ topN: -1 }, /topN must be a whole number ≥ 0 \(0 = all\), not -1\./],
    [{ topN: 2.5 }, /topN must be a whole number ≥ 0 \(0 = all\), not 2\.5\./],
    [{ topN: 'ten' }, /topN must be a whole number ≥ 0 \(0 = all\), not "ten"\./],
    [{ headroomUnit: '%' }, /Unknown headroomUnit "%" in this query; allowed: bytes, percent\./],
    [{ minStep: '1m30s' }, /minStep must be a duration such as 30s, 1m or 1h, not "1m30s"\./],
    [{ minStep: '$step' }, /minStep must be a duration/],
  ])('%j is refused with a message naming the key and the allowed values', (bad, message) => {
    const result = validateQuery({ refId: 'A', ...(bad as object) });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error).toMatch(message);
  });

  it('names every bad key at once', () => {
    const result = validateQuery({ refId: 'A', view: 'v' as never, topN: -2 });
    expect(!result.ok && result.error).toMatch(/Unknown view "v".*topN must be/);
  });
});

describe('query() with a stored query from another version', () => {
  it('answers with the error for that target only, and sends nothing to Prometheus for it', async () => {
    fakeTemplateSrv({});
    const sent = fakeBackend(() => success({ resultType: 'matrix', result: [] }));
    const ds = makeDataSource();
    const now = dateTime();
    const response = await lastValueFrom(
      ds.query({
        targets: [
          { refId: 'A', view: 'nonsense' as never },
          { refId: 'B', formula: 'x' as never },
          { refId: 'C', namespace: 'shop' },
        ],
        range: { from: dateTime(now.valueOf() - 3600_000), to: now, raw: { from: 'now-1h', to: 'now' } },
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
    expect(sent.every((r) => (r.params.get('query') ?? '').includes('namespace="shop"'))).toBe(true);
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
    expect(queryDisplayText({ refId: 'A', formula: 'usageMinusActiveFile' })).toMatch(/^Real used vs working set \(Usage − active file\)/);
  });

  it('never throws on a query from another version', () => {
    expect(queryDisplayText({ refId: 'A', view: 'nodes' as never, topN: 'x' as never })).toMatch(/^Real used vs working set/);
  });
});
