// The provisioned dashboard's headroom panel, leak-check table and annotation, run as Grafana runs
// them: each stored target goes through DataSource.query() (dashboard variables set to All) against
// a real Prometheus backfilled with the generated trends (test/fixtures/trends.ts). The overrides
// of those panels name fields by their display names; this checks the names the plugin really
// returns, so renaming a field cannot silently break the dashboard.
import '../support/polyfills';
import fs from 'fs';
import path from 'path';
import { lastValueFrom } from 'rxjs';
import {
  DataFrame,
  DataQueryRequest,
  DataQueryResponse,
  dateTime,
  fieldMatchers,
  getFieldDisplayName,
} from '@grafana/data';

import { memoryAnnotationSupport } from '../../src/annotations';
import { DataSource } from '../../src/datasource';
import { FIELD_VERDICT } from '../../src/frames/leakFrames';
import { VERDICT_CACHE, VERDICT_LEAK } from '../../src/memory/leakVerdict';
import { RealMemoryQuery } from '../../src/types';
import { buildTrendDataset, CRASH, NS } from '../fixtures/trends';
import { installBackendSrv } from '../support/backendSrv';
import { RunningPrometheus, startPrometheus } from '../support/prometheus';
import { installTemplateSrv } from '../support/templateSrv';

jest.setTimeout(120000);

const DASHBOARD = JSON.parse(
  fs.readFileSync(path.resolve(__dirname, '../../provisioning/dashboards/real-memory.json'), 'utf8')
);
const panelWithView = (view: string) => DASHBOARD.panels.find((p: any) => (p.targets ?? []).some((t: any) => t.view === view));

const ds = buildTrendDataset();
let prom: RunningPrometheus;
let source: DataSource;

beforeAll(async () => {
  prom = await startPrometheus({ openMetrics: ds.openMetrics });
  installBackendSrv({ 'real-memory': prom.url });
  installTemplateSrv([]);
  source = new DataSource({
    id: 1,
    uid: 'real-memory',
    type: 'realmemory-realmemory-datasource',
    name: 'Real Memory',
    url: '/api/datasources/proxy/uid/real-memory',
    jsonData: {},
    access: 'proxy',
    readOnly: false,
    meta: {} as any,
  } as any);
  // The dashboard's variables on "All", with the options the variables would offer.
  const range = { from: dateTime(ds.start * 1000), to: dateTime(ds.end * 1000) } as any;
  const namespaces = await source.getLabelValues('namespace', {}, range);
  const pods = await source.getLabelValues('pod', { namespace: NS }, range);
  const containers = await source.getLabelValues('container', { namespace: NS }, range);
  expect(namespaces).toContain(NS);
  expect(pods).toContain(CRASH.pod);
  installTemplateSrv([
    { name: 'namespace', value: '$__all', options: namespaces },
    { name: 'pod', value: '$__all', options: pods },
    { name: 'container', value: '$__all', options: containers },
  ]);
}, 60000);

afterAll(async () => {
  await prom?.stop();
});

let counter = 0;
async function run(targets: RealMemoryQuery[]): Promise<DataQueryResponse> {
  const from = dateTime(ds.start * 1000);
  const to = dateTime(ds.end * 1000);
  const request = {
    requestId: `D${++counter}`,
    interval: `${ds.step}s`,
    intervalMs: ds.step * 1000,
    maxDataPoints: 1000,
    range: { from, to, raw: { from, to } },
    scopedVars: {},
    targets,
    timezone: 'utc',
    app: 'dashboard',
    startTime: Date.now(),
  } as DataQueryRequest<RealMemoryQuery>;
  const res = await lastValueFrom(source.query(request));
  expect(res.errors ?? []).toEqual([]);
  return res;
}

const displayNames = (frames: DataFrame[]) =>
  frames.flatMap((frame) => frame.fields.map((f) => getFieldDisplayName(f, frame, frames)));

describe('"Leak or page cache?" table', () => {
  const panel = panelWithView('leakCheck');
  let frames: DataFrame[];

  beforeAll(async () => {
    frames = (await run(panel.targets)).data;
  });

  it('is one table frame with a row per container', () => {
    expect(frames).toHaveLength(1);
    expect(frames[0].meta?.preferredVisualisationType).toBe('table');
    expect(frames[0].length).toBeGreaterThanOrEqual(6);
  });

  it('every override and the sort name a column the plugin returns', () => {
    const names = displayNames(frames);
    const overridden: string[] = panel.fieldConfig.overrides.map((o: any) => o.matcher.options);
    expect(overridden.length).toBeGreaterThanOrEqual(5);
    expect(overridden.filter((n) => !names.includes(n))).toEqual([]);
    expect(names).toContain(panel.options.sortBy[0].displayName);
  });

  it('every verdict in the answer has a colour mapping, and the leak and cache verdicts occur', () => {
    const verdictOverride = panel.fieldConfig.overrides.find((o: any) => o.matcher.options === FIELD_VERDICT);
    const mapped = Object.keys(verdictOverride.properties.find((p: any) => p.id === 'mappings').value[0].options);
    const verdicts = frames[0].fields.find((f) => f.name === FIELD_VERDICT)!.values as string[];
    expect(verdicts).toEqual(expect.arrayContaining([VERDICT_LEAK, VERDICT_CACHE]));
    expect(verdicts.filter((v) => !mapped.includes(v))).toEqual([]);
  });
});

describe('headroom panel', () => {
  const panel = panelWithView('headroom');

  it('answers in % of the limit, as its query asks: two lines per container, both in percent, no override needed', async () => {
    const frames = ((await run(panel.targets)).data as DataFrame[]).filter((f) => f.fields.length > 0);
    expect(frames.length).toBeGreaterThan(0);
    expect(panel.fieldConfig.overrides).toEqual([]);
    for (const frame of frames) {
      const values = frame.fields.filter((f) => f.name !== 'Time');
      expect(values.map((f) => [f.name, f.config.unit])).toEqual([
        ['room before OOM kill (% of limit)', 'percent'],
        ['room as kubelet sees it (% of limit)', 'percent'],
      ]);
    }
    // The field matcher the old override used would now match every value field: nothing is left in bytes.
    const percentOnly = fieldMatchers.get('byRegexp').get('.*\\(% of limit\\).*');
    for (const frame of frames) {
      expect(frame.fields.filter((f) => f.name !== 'Time').every((f) => percentOnly(f, frame, frames))).toBe(true);
    }
  });
});

describe('OOM kills and restarts annotation', () => {
  it('the stored annotation, prepared as Grafana prepares it, returns the events as an annotation frame', async () => {
    const [anno] = DASHBOARD.annotations.list;
    const support = memoryAnnotationSupport();
    const query = support.prepareQuery!(support.prepareAnnotation!(anno))!;
    const [frame]: DataFrame[] = (await run([query])).data;
    expect(frame.fields.map((f) => f.name)).toEqual(['time', 'title', 'text', 'tags']);
    const texts = frame.fields[2].values as string[];
    // CRASH is OOM-killed mid-range (fixture); its kill must be among the events.
    expect(texts.some((t) => t.includes(`${CRASH.pod}/${CRASH.container}`))).toBe(true);
    expect(frame.fields[1].values).toContain('OOM kill');
  });
});
