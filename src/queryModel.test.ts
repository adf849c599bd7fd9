import '../test/support/polyfills';
import { lastValueFrom } from 'rxjs';
import { CoreApp, dateTime } from '@grafana/data';

import { installBackendSrv } from '../test/support/backendSrv';
import { makeDataSource } from '../test/support/dataSource';
import { inMemory, success } from '../test/support/grafanaServer';
import { installTemplateSrv } from '../test/support/templateSrv';
import { validateQuery } from './queryModel';
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
        incremental: true,
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
    const q = { refId: 'A', view: 'leakCheck', groupBy: 'pod', formula: 'usageMinusActiveFile', topN: '5' as never };
    expect(validateQuery(q as RealMemoryQuery)).toMatchObject({
      ok: true,
      query: { view: 'leakCheck', groupBy: 'pod', formula: 'usageMinusActiveFile', topN: 5 },
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
    expect(sent.every((r) => (r.query ?? '').includes('namespace="shop"'))).toBe(true);
  });
});
