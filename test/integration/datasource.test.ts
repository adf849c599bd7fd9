// DataSource.query() end to end against a real Prometheus backfilled with cAdvisor-format data:
// frame values equal the oracle (test/fixtures/expected.ts) at every timestamp, for the new
// dataset (file-cache series) and the old one (estimated split), at each group level; and each
// view fetches only the metrics it needs.
import '../support/polyfills';

import { DataFrame } from '@grafana/data';

import { DataSource } from '../../src/datasource';
import { RealMemoryQuery } from '../../src/types';
import {
  buildDataset,
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
import { expectedFigures, LOOKBACK_SECONDS } from '../fixtures/expected';
import { installBackendSrv, TestBackendSrv } from '../support/backendSrv';
import { makeDataSource, panelRequest, runQuery } from '../support/dataSource';
import { expectFramesMatch, field, frameFor, labelsOf, valueAt } from '../support/frames';
import { freePort, RunningPrometheus, startPrometheus } from '../support/prometheus';
import { installTemplateSrv } from '../support/templateSrv';
import { metricsIn, panelQueriesOf } from '../support/sentQueries';

jest.setTimeout(120000);

/** A panel request over the whole dataset at its step. */
const request = (ds: Dataset, targets: Array<Partial<RealMemoryQuery>>, requestId?: string) =>
  panelRequest(targets, ds.start, ds.end, {
    interval: `${ds.step}s`,
    intervalMs: ds.step * 1000,
    ...(requestId ? { requestId } : {}),
  });

describe('DataSource.query() against Prometheus', () => {
  const dsNew = buildDataset('new');
  const dsOld = buildDataset('old', { end: dsNew.end });
  let promNew: RunningPrometheus;
  let promOld: RunningPrometheus;
  let backend: TestBackendSrv;
  const panelQueries = () => panelQueriesOf(backend.queries);
  let sourceNew: DataSource;
  let sourceOld: DataSource;

  beforeAll(async () => {
    [promNew, promOld] = await Promise.all([
      startPrometheus({ openMetrics: dsNew.openMetrics }),
      startPrometheus({ openMetrics: dsOld.openMetrics }),
    ]);
    const closedPort = await freePort();
    backend = installBackendSrv({ test: promNew.url, old: promOld.url, down: `http://127.0.0.1:${closedPort}` });
    installTemplateSrv([
      { name: 'ns', value: ['shop', 'data'] },
      { name: 'pod', value: '$__all', options: ['web-1', 'db-0'] },
      { name: 'one', value: 'log-writer-0' },
    ]);
    sourceNew = makeDataSource({}, 'test');
    sourceOld = makeDataSource({}, 'old');
  }, 60000);

  afterAll(async () => {
    await Promise.all([promNew?.stop(), promOld?.stop()]);
  });

  beforeEach(() => backend.reset());

  describe('real used vs working set, with file-cache series', () => {
    it.each(['container', 'pod', 'namespace'] as const)('matches the oracle grouped by %s', async (groupBy) => {
      const res = await runQuery(sourceNew, request(dsNew, [{ view: 'realVsWorkingSet', groupBy }]));
      expect(res.errors ?? []).toEqual([]);
      expectFramesMatch(res.data, dsNew, { groupBy }, { 'working set': 'workingSet', 'real used': 'realUsed' });
      // Only working set and active file are fetched: real used = working set − active file.
      expect(metricsIn(panelQueries())).toEqual([METRICS.activeFile, METRICS.workingSet].sort());
      // Per container, the series as they are (the plugin collapses duplicate scrapes); above it,
      // Prometheus sums each container (one scrape of each: this dataset has duplicates).
      for (const q of panelQueries()) {
        if (groupBy === 'container') {
          expect(q).toMatch(/^container_memory_\w+\{[^}]*\}$/);
        } else {
          expect(q).toMatch(/^sum by \(.*avg by \(cluster, namespace, pod, container\)/);
        }
      }
    });

    it('has the frame contract: fields, labels, one memory scale, the formula in the field description and no notice', async () => {
      const res = await runQuery(sourceNew, request(dsNew, [{ view: 'realVsWorkingSet', showUsage: true }]));
      const frame = frameFor(res.data, WORKED_EXAMPLE);
      expect(frame.fields.map((f) => f.name)).toEqual(['Time', 'working set', 'real used', 'usage']);
      for (const f of frame.fields.slice(1)) {
        expect(f.labels).toEqual(WORKED_EXAMPLE);
        expect(f.config.unit).toBe('bytes');
        expect(f.config.min).toBe(0);
      }
      const realUsed = frame.fields.find((f) => f.name === 'real used')!;
      expect(realUsed.config.description).toMatch(
        /^usage − active file − inactive file \(= working set − active file\)/
      );
      // A healthy query carries no notice: a notice always means something to look at.
      expect(frame.meta?.notices ?? []).toEqual([]);
      // the worked example (docs/architecture.md), at the first and last timestamps.
      for (const t of [dsNew.start, dsNew.end]) {
        expect(valueAt(frame, 'usage', t)).toBe(101 * MB);
        expect(valueAt(frame, 'working set', t)).toBe(53 * MB);
        expect(valueAt(frame, 'real used', t)).toBe(23 * MB);
      }
      expect(metricsIn(panelQueries())).toEqual([METRICS.activeFile, METRICS.usage, METRICS.workingSet].sort());
    });

    it('offers usage − active file as a named variant', async () => {
      const res = await runQuery(
        sourceNew,
        request(dsNew, [{ view: 'realVsWorkingSet', formula: 'usageMinusActiveFile' }])
      );
      expectFramesMatch(res.data, dsNew, { groupBy: 'container' }, { 'usage − active file': 'usageMinusActiveFile' });
      expect(valueAt(frameFor(res.data, WORKED_EXAMPLE), 'usage − active file', dsNew.end)).toBe(71 * MB);
      expect(metricsIn(panelQueries())).toEqual([METRICS.activeFile, METRICS.usage, METRICS.workingSet].sort());
    });

    it('does not double-count a container scraped by two jobs', async () => {
      const res = await runQuery(
        sourceNew,
        request(dsNew, [{ view: 'realVsWorkingSet', namespace: 'data', pod: 'db-0' }])
      );
      const frame = frameFor(res.data, DUPLICATED);
      // postgres at step 0: usage 200+350+100+5 = 655 MB, inactive 100 MB -> working set 555 MB.
      expect(valueAt(frame, 'working set', dsNew.start)).toBe(555 * MB);
      expect(valueAt(frame, 'real used', dsNew.start)).toBe(255 * MB);
    });

    it('gives null, not 0, where an input is missing', async () => {
      const res = await runQuery(sourceNew, request(dsNew, [{ view: 'realVsWorkingSet', namespace: 'shop' }]));
      // nginx: active file missing for [HOLE_FROM, HOLE_TO); after the 5 min lookback, real used is null.
      const nginx = frameFor(res.data, HOLEY);
      const lookbackSteps = LOOKBACK_SECONDS / dsNew.step;
      for (let i = HOLE_FROM + lookbackSteps; i < HOLE_TO; i++) {
        const t = dsNew.timestamps[i];
        expect(valueAt(nginx, 'working set', t)).toBeGreaterThan(0);
        expect(valueAt(nginx, 'real used', t)).toBeNull();
      }
      // batch: scraped only during [GAP_FROM, GAP_TO): no value at all outside (+ lookback).
      const batch = frameFor(res.data, GAPPY);
      for (const i of [0, GAP_FROM - 1, GAP_TO + lookbackSteps + 1, dsNew.timestamps.length - 1]) {
        expect(valueAt(batch, 'working set', dsNew.timestamps[i]) ?? null).toBeNull();
        expect(valueAt(batch, 'real used', dsNew.timestamps[i]) ?? null).toBeNull();
      }
      expect(valueAt(batch, 'real used', dsNew.timestamps[GAP_FROM])).toBe(51 * MB);
    });

    it('resolves multi-value, All and single dashboard variables', async () => {
      const res = await runQuery(sourceNew, request(dsNew, [{ namespace: '$ns', pod: '$pod' }]));
      expect(res.data.map((f) => labelsOf(f).container).sort()).toEqual(['app', 'nginx', 'postgres']);
      const one = await runQuery(sourceNew, request(dsNew, [{ pod: '${one}' }]));
      expect(one.data.map(labelsOf)).toEqual([WORKED_EXAMPLE]);
      const regex = await runQuery(sourceNew, request(dsNew, [{ groupBy: 'pod', pod: '/(web|db)-.*/' }]));
      expect(regex.data.map((f) => labelsOf(f).pod).sort()).toEqual(['db-0', 'web-1']);
    });
  });

  describe('real used vs working set, without file-cache series (fallback)', () => {
    it.each(['container', 'pod', 'namespace'] as const)(
      'matches the estimated oracle grouped by %s',
      async (groupBy) => {
        const res = await runQuery(sourceOld, request(dsOld, [{ view: 'realVsWorkingSet', groupBy, showUsage: true }]));
        expect(res.errors ?? []).toEqual([]);
        expectFramesMatch(
          res.data,
          dsOld,
          { groupBy },
          { 'working set': 'workingSet', 'real used': 'realUsed', usage: 'usage' }
        );
        // Every group's split was estimated: one notice says so for all of them.
        const frames = res.data as DataFrame[];
        const estimated = frames.flatMap((f) => f.meta?.notices ?? []).filter((n) => /estimated/.test(n.text));
        expect(estimated).toHaveLength(1);
        expect(estimated[0].text).toContain(` — ${frames.length} of ${frames.length} ${groupBy}s.`);
      }
    );

    it('estimates the worked example (real used 21 MB) and fetches usage and cache only as fallback', async () => {
      const res = await runQuery(sourceOld, request(dsOld, [{ view: 'realVsWorkingSet', ...WORKED_EXAMPLE }]));
      const frame = frameFor(res.data, WORKED_EXAMPLE);
      expect(valueAt(frame, 'working set', dsOld.end)).toBe(53 * MB);
      expect(valueAt(frame, 'real used', dsOld.end)).toBe(21 * MB);
      // Usage is fetched for the estimate, not drawn: "Show usage" is off.
      expect(frame.fields.map((f) => f.name)).toEqual(['Time', 'working set', 'real used']);
      const notice = (frame.meta?.notices ?? []).find((n) => /estimated/.test(n.text));
      expect(notice?.severity).toBe('warning');
      expect(metricsIn(panelQueries())).toEqual(
        [METRICS.activeFile, METRICS.cache, METRICS.usage, METRICS.workingSet].sort()
      );
    });
  });

  describe('breakdown', () => {
    // In stacking order: anon and other (real used), then active and inactive file.
    const figures = {
      anon: 'anon',
      other: 'other',
      'active file': 'activeFile',
      'inactive file': 'inactiveFile',
    } as const;

    // Up to three groups, a stack each (beyond, one summed stack: the next test).
    it.each([
      ['new', 'container', 'data'],
      ['new', 'namespace', undefined],
      ['old', 'container', 'data'],
      ['old', 'pod', 'shop'],
    ] as const)(
      'matches the oracle (%s dataset, by %s, namespace %s), stacked, swap only where non-zero',
      async (kind, groupBy, namespace) => {
        const [source, ds] = kind === 'new' ? [sourceNew, dsNew] : [sourceOld, dsOld];
        const res = await runQuery(source, request(ds, [{ view: 'breakdown', groupBy, namespace }]));
        expect(res.errors ?? []).toEqual([]);
        expectFramesMatch(res.data, ds, { groupBy, namespace }, figures);
        const oracle = expectedFigures(ds.openMetrics, ds.timestamps, { groupBy, namespace });
        for (const [, group] of oracle) {
          const frame = frameFor(res.data, group.labels);
          const swapped = group.points.some((p) => (p.swap ?? 0) > 0);
          expect(frame.fields.map((f) => f.name)).toEqual([
            'Time',
            ...Object.keys(figures),
            ...(swapped ? ['swap'] : []),
          ]);
          for (const name of Object.keys(figures)) {
            expect(field(frame, name).config.custom?.stacking?.mode).toBe('normal');
            expect(field(frame, name).config.unit).toBe('bytes');
          }
          if (swapped) {
            expect(valueAt(frame, 'swap', ds.end)).toBe(7 * MB);
          }
        }
        // The stacked parts add up to usage.
        for (const [, group] of oracle) {
          const frame = frameFor(res.data, group.labels);
          const parts = Object.keys(figures).map((n) => valueAt(frame, n, ds.end) as number);
          expect(parts.reduce((a, b) => a + b, 0)).toBe(group.points[group.points.length - 1].usage ?? NaN);
        }

        // swap: an instant probe over the range, then a range query only where a container swapped.
        const swappedHere = [...oracle.values()].some((g) => g.points.some((p) => (p.swap ?? 0) > 0));
        expect(swappedHere).toBe(namespace !== 'shop');
        const expected = [
          METRICS.usage,
          METRICS.rss,
          METRICS.activeFile,
          METRICS.inactiveFile,
          METRICS.swap,
          ...(swappedHere ? [METRICS.swap] : []),
        ];
        const fallback = kind === 'old' ? [METRICS.workingSet, METRICS.cache] : [];
        expect(metricsIn(panelQueries())).toEqual([...expected, ...fallback].sort());
      }
    );

    it('more than three groups: one stack, the sum of the oracle bands at every timestamp, and a notice saying so', async () => {
      const res = await runQuery(sourceNew, request(dsNew, [{ view: 'breakdown' }]));
      expect(res.errors ?? []).toEqual([]);
      const oracle = [...expectedFigures(dsNew.openMetrics, dsNew.timestamps, { groupBy: 'container' }).values()];
      expect(oracle.length).toBeGreaterThan(3);
      expect(res.data).toHaveLength(1);
      const [frame] = res.data as DataFrame[];
      expect(frame.name).toBe(`${oracle.length} containers`);
      for (const [name, figure] of Object.entries(figures)) {
        const want = dsNew.timestamps.map((t) => {
          const present = oracle
            .map((g) => g.points.find((p) => p.t === t)?.[figure] ?? null)
            .filter((v) => v !== null);
          return present.length === 0 ? null : present.reduce((a, b) => a + (b as number), 0);
        });
        expect([name, dsNew.timestamps.map((t) => valueAt(frame, name, t) ?? null)]).toEqual([name, want]);
      }
      expect((frame.meta?.notices ?? []).map((n) => n.text)).toContain(
        `Breakdown of the ${oracle.length} containers shown, summed into one stack: ${oracle.length} stacks cannot be read on one graph. For a stack each, narrow the selection to 3 or fewer (a filter, or Top 3), or repeat this panel by a pod variable.`
      );
    });

    it('gives the worked example split: anon 20, active 30, inactive 48, other 3 MB', async () => {
      const res = await runQuery(sourceNew, request(dsNew, [{ view: 'breakdown', ...WORKED_EXAMPLE }]));
      const frame = frameFor(res.data, WORKED_EXAMPLE);
      expect(['anon', 'active file', 'inactive file', 'other'].map((n) => valueAt(frame, n, dsNew.end))).toEqual([
        20 * MB,
        30 * MB,
        48 * MB,
        3 * MB,
      ]);
    });
  });

  describe('stored queries of the wrong types (provisioning YAML, templating tools)', () => {
    it('"false" as text is false: no limit lines, no limit queries', async () => {
      const res = await runQuery(sourceNew, request(dsNew, [{ ...WORKED_EXAMPLE, showLimits: 'false' } as any]));
      expect(res.errors ?? []).toEqual([]);
      expect(frameFor(res.data, WORKED_EXAMPLE).fields.map((f) => f.name)).toEqual([
        'Time',
        'working set',
        'real used',
      ]);
      expect(panelQueries().some((q) => /limit|request/.test(q))).toBe(false);
    });

    it('a list of values matches each exactly', async () => {
      const res = await runQuery(
        sourceNew,
        request(dsNew, [{ namespace: ['shop'], pod: ['log-writer-0', 'web-1'] } as any])
      );
      expect(res.errors ?? []).toEqual([]);
      expect(res.data.map((f) => labelsOf(f).pod).sort()).toEqual(['log-writer-0', 'web-1', 'web-1']);
    });

    it('a regex Prometheus refuses is named by its filter, as typed, not in the form Prometheus rewrote', async () => {
      const res = await runQuery(sourceNew, request(dsNew, [{ namespace: 'shop', pod: '!/web-(/' }]));
      expect(res.errors?.map((e) => e.message)).toEqual([
        'pod !/web-(/ is not a valid RE2 regular expression (the syntax Prometheus reads): missing closing ).',
      ]);
    });

    it('a Min step longer than the time range says so, instead of "no series match"', async () => {
      const res = await runQuery(
        sourceNew,
        panelRequest([{ ...WORKED_EXAMPLE, minStep: '2h' }], dsNew.end - 3600, dsNew.end)
      );
      expect(res.errors?.map((e) => e.message)).toEqual([
        "Min step 2h is longer than the panel's time range (3600s): the panel would get one point at most. Choose a step shorter than the range.",
      ]);
      expect(panelQueries()).toEqual([]);
    });

    it('a number where text belongs fails that query alone, naming the key, and sends nothing for it', async () => {
      const res = await runQuery(
        sourceNew,
        request(dsNew, [{ refId: 'A', namespace: 42, legendFormat: 7 } as any, { refId: 'B', ...WORKED_EXAMPLE }])
      );
      expect(res.errors).toEqual([
        {
          refId: 'A',
          message:
            'namespace must be text (a value, /regex/ or $variable) or a list of values, got a number (42). legendFormat must be text such as {{pod}}, got a number (7).',
        },
      ]);
      expect(res.data.map(labelsOf)).toEqual([WORKED_EXAMPLE]);
      expect(panelQueries().every((q) => q.includes('log-writer-0'))).toBe(true);
    });
  });

  describe('requests and errors', () => {
    it('sends each metric as its own query_range, in parallel, through the proxy URL', async () => {
      await runQuery(sourceNew, request(dsNew, [{ view: 'breakdown' }]));
      const ranges = backend.requests.filter((r) => r.url.endsWith('/api/v1/query_range'));
      expect(ranges.length).toBe(5);
      for (const r of ranges) {
        expect(r.url.startsWith('/api/datasources/proxy/uid/test/')).toBe(true);
        expect(r.params).toMatchObject({
          start: String(dsNew.start),
          end: String(dsNew.end),
          step: String(dsNew.step),
        });
      }
    });

    it('a newer request with the same requestId cancels the older one', async () => {
      const first = runQuery(sourceNew, request(dsNew, [{ view: 'breakdown' }], 'same'));
      const second = runQuery(sourceNew, request(dsNew, [{ view: 'breakdown' }], 'same'));
      const [a, b] = await Promise.all([first, second]);
      expect(a.data).toEqual([]);
      expect(a.errors ?? []).toEqual([]);
      expect(b.data.length).toBeGreaterThan(0);
    });

    it('reports an unreachable Prometheus in words', async () => {
      const res = await runQuery(makeDataSource({}, 'down'), request(dsNew, [{ view: 'realVsWorkingSet' }]));
      expect(res.data).toEqual([]);
      expect(res.errors?.[0]?.message).toMatch(/Cannot reach Prometheus.*502 Bad Gateway/);
    });

    it('reports a Prometheus error in words, naming the filter when it is a regex Prometheus refused', async () => {
      // A regex filter that is not valid RE2 makes Prometheus answer 400 bad_data.
      const res = await runQuery(sourceNew, request(dsNew, [{ view: 'realVsWorkingSet', pod: '/(unclosed/' }]));
      expect(res.errors?.[0]?.message).toBe(
        'pod /(unclosed/ is not a valid RE2 regular expression (the syntax Prometheus reads): missing closing ).'
      );
    });
  });
});
