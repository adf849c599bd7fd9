// The harness and the fixtures against a real Prometheus: the backfilled cAdvisor data is
// there as generated, duplicates and excluded cgroups are visible, scraping works.
import fs from 'fs';
import http from 'http';

import {
  buildDataset,
  cadvisorValues,
  DUPLICATED,
  METRICS,
  GAP_FROM,
  GAPPY,
  MB,
  WORKED_EXAMPLE,
} from '../fixtures/cadvisor';
import { expectedFigures, groupKey, parseOpenMetrics } from '../fixtures/expected';
import { promQuery, RunningPrometheus, startPrometheus } from '../support/prometheus';
import { httpRequest, sleep } from '../support/http';

jest.setTimeout(120000);

const sel = (o: Record<string, string>) =>
  Object.entries(o)
    .map(([k, v]) => `${k}="${v}"`)
    .join(',');

describe('fixtures', () => {
  it('encode the worked example (docs/architecture.md), as cAdvisor derives working set', () => {
    const v = cadvisorValues({ rss: 20e6, activeFile: 30e6, inactiveFile: 48e6, shmem: 2e6, kernel: 1e6, swap: 0 });
    expect(v).toMatchObject({ usage: 101e6, cache: 80e6, workingSet: 53e6 });
  });

  it('oracle gives the worked example figures, measured and estimated', () => {
    const newDs = buildDataset('new', { end: 1_700_000_000 });
    const oldDs = buildDataset('old', { end: 1_700_000_000 });
    const key = `${WORKED_EXAMPLE.namespace}/${WORKED_EXAMPLE.pod}/${WORKED_EXAMPLE.container}`;
    const n = expectedFigures(newDs.openMetrics, [newDs.end], { groupBy: 'container' }).get(key)!.points[0];
    expect(n).toMatchObject({ workingSet: 53e6, realUsed: 23e6, usageMinusActiveFile: 71e6, other: 3e6 });
    const o = expectedFigures(oldDs.openMetrics, [oldDs.end], { groupBy: 'container' }).get(key)!.points[0];
    expect(o).toMatchObject({ inactiveFile: 48e6, activeFile: 32e6, realUsed: 21e6 });
  });

  it('old dataset has no file-cache series, new one has', () => {
    const names = (text: string) => new Set(parseOpenMetrics(text).map((s) => s.metric));
    expect(names(buildDataset('new').openMetrics).has('container_memory_total_active_file_bytes')).toBe(true);
    expect(names(buildDataset('old').openMetrics).has('container_memory_total_active_file_bytes')).toBe(false);
    expect(names(buildDataset('old').openMetrics).has('container_memory_total_inactive_file_bytes')).toBe(false);
  });
});

describe('startPrometheus with backfilled cAdvisor data', () => {
  const ds = buildDataset('new');
  const old = buildDataset('old');
  let prom: RunningPrometheus;
  let promOld: RunningPrometheus;

  beforeAll(async () => {
    [prom, promOld] = await Promise.all([
      startPrometheus({ openMetrics: ds.openMetrics }),
      startPrometheus({ openMetrics: old.openMetrics }),
    ]);
  }, 60000);

  afterAll(async () => {
    await Promise.all([prom?.stop(), promOld?.stop()]);
  });

  it('serves every generated series with its values', async () => {
    const r = await promQuery(prom.url, 'count by (__name__) ({__name__=~"container_memory_.*"})', ds.end);
    const counts = Object.fromEntries(r.map((s) => [s.metric.__name__, Number(s.value[1])]));
    // 12 series per metric: 6 containers + 1 duplicate scrape + pause + pod cgroup + node + a
    // container without image and one without pod; the gappy container is not present at `end`.
    const expected = 11;
    expect(counts).toEqual({
      container_memory_usage_bytes: expected,
      container_memory_working_set_bytes: expected,
      container_memory_rss: expected,
      container_memory_cache: expected,
      container_memory_swap: expected,
      container_memory_total_active_file_bytes: expected,
      container_memory_total_inactive_file_bytes: expected,
    });

    const ws = await promQuery(prom.url, `container_memory_working_set_bytes{${sel(WORKED_EXAMPLE)}}`, ds.start);
    expect(ws.map((s) => Number(s.value[1]))).toEqual([53 * MB]);
  });

  it('shows the duplicate scrape as two series with identical values', async () => {
    const r = await promQuery(prom.url, `container_memory_usage_bytes{${sel(DUPLICATED)}}`, ds.end);
    expect(r.map((s) => s.metric.job).sort()).toEqual(['cadvisor', 'kubelet']);
    expect(r[0].value[1]).toBe(r[1].value[1]);
  });

  it('has pause, pod-level and node-level series for the data source to exclude', async () => {
    const r = await promQuery(prom.url, 'container_memory_rss{container=~"|POD"}', ds.end);
    // Prometheus drops empty labels, so an absent label reads as ''.
    const kinds = r.map((s) => `${s.metric.pod ?? ''}|${s.metric.container ?? ''}|${s.metric.image ?? ''}`).sort();
    expect(kinds).toEqual(['web-1|POD|registry.k8s.io/pause:3.9', 'web-1||', '||'].sort());
  });

  it('matches the oracle for real containers when aggregated by Prometheus itself', async () => {
    // An independent check of the oracle's max-by/sum-by: let Prometheus do it and compare.
    const t = ds.start + (GAP_FROM + 2) * ds.step;
    const expr =
      'sum by (namespace) (max by (namespace, pod, container) ' +
      '(container_memory_working_set_bytes{container!="", container!="POD", image!="", pod!=""}))';
    const r = await promQuery(prom.url, expr, t);
    const oracle = expectedFigures(ds.openMetrics, [t], { groupBy: 'namespace' });
    const got = Object.fromEntries(r.map((s) => [s.metric.namespace, Number(s.value[1])]));
    const want = Object.fromEntries([...oracle].map(([k, g]) => [k, g.points[0].workingSet]));
    expect(got).toEqual(want);
    expect(Object.keys(got).sort()).toEqual(['data', 'shop']);
  });

  it.each(['container', 'pod', 'namespace'] as const)(
    'oracle equals Prometheus’ own max-by/sum-by at every timestamp, every metric (by %s)',
    async (groupBy) => {
      const by = { container: 'namespace, pod, container', pod: 'namespace, pod', namespace: 'namespace' }[groupBy];
      const oracle = expectedFigures(ds.openMetrics, ds.timestamps, { groupBy });
      const figures = ['usage', 'workingSet', 'rss', 'cache', 'activeFile', 'inactiveFile'] as const;
      for (const figure of figures) {
        const expr =
          `sum by (${by}) (max by (namespace, pod, container) ` +
          `(${METRICS[figure]}{container!="", container!="POD", image!="", pod!=""}))`;
        const qs = new URLSearchParams({
          query: expr,
          start: String(ds.start),
          end: String(ds.end),
          step: String(ds.step),
        });
        const body = JSON.parse((await httpRequest(`${prom.url}/api/v1/query_range?${qs}`)).body);
        const got: Record<string, Array<number | null>> = {};
        const want: Record<string, Array<number | null>> = {};
        for (const series of body.data.result) {
          const key = groupKey(series.metric, groupBy);
          const byT = new Map<number, number>(series.values.map(([t, v]: [number, string]) => [t, Number(v)]));
          got[key] = ds.timestamps.map((t) => byT.get(t) ?? null);
        }
        for (const [key, g] of oracle) {
          want[key] = g.points.map((p) => p[figure]);
        }
        expect({ figure, series: got }).toEqual({ figure, series: want });
      }
    }
  );

  it('has gaps where the gappy container was not scraped (beyond the 5m lookback)', async () => {
    const before = await promQuery(prom.url, `container_memory_rss{${sel(GAPPY)}}`, ds.start + 2 * ds.step);
    const during = await promQuery(prom.url, `container_memory_rss{${sel(GAPPY)}}`, ds.start + GAP_FROM * ds.step);
    expect(before).toEqual([]);
    expect(during.map((s) => Number(s.value[1]))).toEqual([50 * MB]);
  });

  it('old dataset lacks the file-cache series but has the others', async () => {
    const active = await promQuery(promOld.url, 'count(container_memory_total_active_file_bytes)', old.end);
    const inactive = await promQuery(promOld.url, 'count(container_memory_total_inactive_file_bytes)', old.end);
    const ws = await promQuery(promOld.url, 'count(container_memory_working_set_bytes)', old.end);
    expect(active).toEqual([]);
    expect(inactive).toEqual([]);
    expect(Number(ws[0].value[1])).toBe(11);
  });
});

describe('startPrometheus scraping a target', () => {
  it('scrapes every second and removes its data dir on stop', async () => {
    let hits = 0;
    const server = http.createServer((req, res) => {
      hits++;
      res.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4' });
      res.end(`# TYPE harness_hits gauge\nharness_hits ${hits}\n`);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as any).port;
    const prom = await startPrometheus({
      scrapeTargets: [{ job: 'probe', url: `http://127.0.0.1:${port}/metrics`, interval: '1s' }],
    });
    try {
      let value = 0;
      for (let i = 0; i < 40 && value < 3; i++) {
        await sleep(250);
        const r = await promQuery(prom.url, 'harness_hits{job="probe"}');
        value = r.length ? Number(r[0].value[1]) : 0;
      }
      expect(value).toBeGreaterThanOrEqual(3);
    } finally {
      await prom.stop();
      server.close();
    }
    expect(fs.existsSync(prom.dataDir)).toBe(false);
  });

  it('says how to install Prometheus when the binary is missing', async () => {
    const spy = jest.spyOn(require('fs'), 'existsSync').mockReturnValue(false);
    try {
      await expect(startPrometheus({})).rejects.toThrow(
        'prometheus is not installed: run "apt-get install -y prometheus"'
      );
    } finally {
      spy.mockRestore();
    }
  });
});
