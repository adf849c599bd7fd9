// The demo's small cluster (test/fixtures/cluster.ts) as `npm run demo` serves it: its past hour
// backfilled into a real Prometheus, its present scraped from the cluster exporter, read through
// the data source's query(). It must show what the demo promises: one series across the seam
// between backfill and scrape, a log writer whose working set climbs on page cache while real used
// stays flat, the leaker first in the leak check, the older cAdvisor named, and twelve containers
// without a limit said once.
import '../support/polyfills';

import { DataFrame, DataQueryResponse } from '@grafana/data';

import { DataSource } from '../../src/datasource';
import { RealMemoryQuery } from '../../src/types';
import { MB, cadvisorValues } from '../fixtures/cadvisor';
import { CLUSTER_CONTAINERS, LEAKER, LOG_WRITER, OLD_CADVISOR } from '../fixtures/cluster';
import { clusterHistory, startClusterExporter, RunningClusterExporter } from '../sandbox/clusterExporter';
import { makeDataSource, panelRequest, runQuery } from '../support/dataSource';
import { installBackendSrv } from '../support/backendSrv';
import { field, frameFor } from '../support/frames';
import { RunningPrometheus, promQuery, startPrometheus, waitFor } from '../support/prometheus';
import { installTemplateSrv } from '../support/templateSrv';

jest.setTimeout(120000);

const STEP = 15;
const LAST_BACKFILLED = Math.floor(Date.now() / 1000 / STEP) * STEP - STEP;
const ORIGIN = LAST_BACKFILLED - 3600;

let exporter: RunningClusterExporter;
let prom: RunningPrometheus;
let ds: DataSource;

beforeAll(async () => {
  exporter = await startClusterExporter(ORIGIN);
  prom = await startPrometheus({
    openMetrics: clusterHistory(ORIGIN, ORIGIN, LAST_BACKFILLED, STEP),
    scrapeTargets: [{ job: 'cluster', url: exporter.url, interval: '1s', honorLabels: true }],
  });
  // Two scrapes at least, so the newest points come from the exporter, not the backfill.
  const scrapes = () =>
    promQuery(prom.url, 'count_over_time(machine_memory_bytes{node="node-1"}[10s])', Date.now() / 1000);
  await waitFor(
    'two scrapes of the cluster exporter',
    30000,
    async () => Number((await scrapes())[0]?.value[1] ?? 0) >= 2
  );
  installBackendSrv({ cluster: prom.url });
  installTemplateSrv([]);
  ds = makeDataSource({}, 'cluster');
}, 90000);

afterAll(async () => {
  await prom?.stop();
  await exporter?.stop();
});

const lastMinutes = (minutes: number, query: Partial<RealMemoryQuery>): Promise<DataQueryResponse> => {
  const now = Math.floor(Date.now() / 1000);
  return runQuery(ds, panelRequest([query], now - minutes * 60, now, { maxDataPoints: 200 }));
};

const notices = (r: DataQueryResponse) =>
  (r.data as DataFrame[]).flatMap((f) => f.meta?.notices ?? []).map((n) => n.text);

const numbers = (frame: DataFrame, name: string) =>
  (field(frame, name).values as Array<number | null>).filter((v): v is number => v !== null);

const modelRealUsed = (c: { pod: string; container: string }, tSec: number) => {
  const spec = CLUSTER_CONTAINERS.find((x) => x.pod === c.pod && x.container === c.container)!;
  const v = cadvisorValues(spec.stat((tSec - ORIGIN) / 60));
  return v.workingSet - v.activeFile;
};

it('is one series across the seam: backfilled points and scraped points follow the same model', async () => {
  const queriedAt = Date.now() / 1000;
  const r = await lastMinutes(10, { namespace: LEAKER.namespace, pod: LEAKER.pod, container: LEAKER.container });
  const frame = frameFor(r.data as DataFrame[], LEAKER);
  const times = (field(frame, 'Time').values as number[]).map((t) => t / 1000);
  const real = field(frame, 'real used').values as Array<number | null>;
  expect(real.every((v) => v !== null)).toBe(true);
  // Inside the backfill a point reads the sample at or before it, on the 15 s grid: exactly the model there.
  const inside = Math.floor(times.length / 4);
  const sampled = ORIGIN + Math.floor((times[inside] - ORIGIN) / STEP) * STEP;
  expect(real[inside]).toBeCloseTo(modelRealUsed(LEAKER, sampled), -3);
  // The newest point reads the newest scrape (1 s apart), which the exporter computed from the same model.
  expect(times[times.length - 1]).toBeGreaterThan(LAST_BACKFILLED);
  expect(Math.abs(real[real.length - 1]! - modelRealUsed(LEAKER, queriedAt))).toBeLessThan(0.5 * MB);
});

it("shop: the log writer's working set climbs on active page cache while its real used stays flat", async () => {
  const r = await lastMinutes(30, { namespace: 'shop' });
  const frame = frameFor(r.data as DataFrame[], LOG_WRITER);
  const spread = (xs: number[]) => Math.max(...xs) - Math.min(...xs);
  expect(spread(numbers(frame, 'working set'))).toBeGreaterThan(150 * MB);
  expect(spread(numbers(frame, 'real used'))).toBeLessThan(3 * MB);
  expect(new Set((r.data as DataFrame[]).map((f) => JSON.stringify(f.fields[1].labels))).size).toBe(6);
});

it('the leak check over the whole cluster puts the leaker first, and says what it ranked', async () => {
  const r = await lastMinutes(30, { view: 'leakCheck', topN: 3 });
  const table = (r.data as DataFrame[])[0];
  const column = (name: string) => field(table, name).values as string[];
  expect([column('namespace')[0], column('pod')[0]]).toEqual([LEAKER.namespace, LEAKER.pod]);
  expect(column('verdict')[0]).toMatch(/leak/);
  expect(
    column('verdict')
      .slice(1)
      .every((v) => !/leak/.test(v))
  ).toBe(true);
  expect(notices(r).join('\n')).toMatch(/Showing the 3 of 22 containers whose real used grew fastest/);
});

it('names the container of the older cAdvisor, whose split is estimated', async () => {
  const r = await lastMinutes(30, { topN: 0 });
  const estimated = notices(r).filter((t) => /split was estimated/.test(t));
  expect(estimated).toHaveLength(1);
  const { namespace, pod, container } = OLD_CADVISOR;
  expect(estimated[0]).toMatch(`1 of 22 containers: ${namespace}/${pod}/${container}.`);
});

it('twelve containers without a memory limit: one notice that counts them', async () => {
  const r = await lastMinutes(30, { view: 'headroom', namespace: 'queue' });
  const noLimit = notices(r).filter((t) => /No memory limit/.test(t));
  expect(noLimit).toHaveLength(1);
  expect(noLimit[0]).toMatch(/12 of 12 containers/);
});
