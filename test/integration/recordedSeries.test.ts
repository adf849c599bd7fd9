// The plugin reads the recording rules' series when they exist, and its frames are the same.
//
// For each dataset, two real Prometheus hold the same cAdvisor data; `promtool tsdb
// create-blocks-from rules` evaluates rules/real-memory.rules.yml over it against the first, and
// the second serves those blocks beside the raw ones. A data source on the first reads cAdvisor's
// series (its probe finds no recorded series); one on the second reads the recorded series wherever
// they give the same answer. Their frames must be equal point by point, notices included; only the
// executed query differs, and says which series were read.
//
// Times: Prometheus evaluates a rule group at a fixed offset within each minute (a hash of its name
// and file). The samples sit between the whole minute and that offset, so the evaluation at
// m + offset sees the same samples as a range query at m + 1 min: a recorded point then equals the
// raw one, where in a live Prometheus it lags it by up to one evaluation interval. Backfilled blocks
// have no staleness markers (a live Prometheus writes them when a series or a rule's result ends),
// so both servers look back one step instead of five minutes: a series then ends one step after its
// last sample in the raw data and in the recorded data alike.
import '../support/polyfills';

import { DataFrame } from '@grafana/data';
import fs from 'fs';
import os from 'os';
import path from 'path';

import { DataSource } from '../../src/datasource';
import { CADVISOR_METRIC } from '../../src/prometheus/metrics';
import { RECORDED_NOTE } from '../../src/prometheus/recordedQueries';
import { RECORDED, RECORDING_GROUP, realMemoryRules } from '../../src/recordingRules/rules';
import { RealMemoryOptions, RealMemoryQuery } from '../../src/types';
import { ruleFileText } from '../../scripts/ruleFiles';
import { buildDataset } from '../fixtures/cadvisor';
import { buildNodeDataset, mergeOpenMetrics } from '../fixtures/nodes';
import { buildTrendDataset } from '../fixtures/trends';
import { TestBackendSrv, installBackendSrv } from '../support/backendSrv';
import { makeDataSource, panelRequest, runQuery } from '../support/dataSource';
import { RunningPrometheus, startPrometheus } from '../support/prometheus';
import { backfillRules, evaluationOffsetMs } from '../support/ruleBackfill';
import { installTemplateSrv } from '../support/templateSrv';

jest.setTimeout(240000);

const ROOT = path.resolve(__dirname, '../..');
const STEP = 60;
const LOOKBACK = `--query.lookback-delta=${STEP}s`;

/**
 * Ranges start two steps after the first sample. The rules' first result comes a moment after
 * the first sample, and the probe wants them recording at the range's start.
 */
const START_AFTER = 2 * STEP;

type RigName = 'new' | 'old' | 'trend' | 'narrow';

interface Rig {
  start: number;
  end: number;
  openMetrics: string;
  /** Raw series only. */
  raw?: RunningPrometheus;
  /** Raw series and the recording rules' blocks. */
  recorded?: RunningPrometheus;
  /** The rule file evaluated [the shipped one]. */
  ruleFile?: string;
}

let tmp: string;
let offsetMs: number;
const rigs = {} as Record<RigName, Rig>;
let backend: TestBackendSrv;

/** Data sources by (rig, server, options), made once: each keeps its probe's answers. */
const sources = new Map<string, DataSource>();
function source(rig: RigName, server: 'raw' | 'recorded', options: RealMemoryOptions = {}): DataSource {
  const key = `${rig}-${server}-${JSON.stringify(options)}`;
  if (!sources.has(key)) {
    sources.set(key, makeDataSource(options, `${rig}-${server}`));
  }
  return sources.get(key)!;
}

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'realmemory-recorded-'));
  // The samples need room between the whole minute and the group's offset; promtool loses an
  // evaluation in the last second of a minute at every block boundary. Another rule-file path gives
  // another offset.
  let ruleFile = '';
  for (let attempt = 0; ; attempt++) {
    ruleFile = path.join(tmp, `attempt-${attempt}`, 'real-memory.rules.yml');
    fs.mkdirSync(path.dirname(ruleFile));
    offsetMs = await evaluationOffsetMs(ruleFile, RECORDING_GROUP, STEP);
    if ((offsetMs >= 2000 && offsetMs < (STEP - 2) * 1000) || attempt === 5) {
      break;
    }
  }
  fs.copyFileSync(path.join(ROOT, 'rules/real-memory.rules.yml'), ruleFile);
  // Quarter seconds: exact in binary floating point, whole milliseconds in the TSDB.
  const shift = Math.floor((offsetMs / 1000 / 2) * 4) / 4;
  if (!(shift > 0 && shift < offsetMs / 1000)) {
    throw new Error(`rule group offset ${offsetMs} ms leaves no room for the samples`);
  }
  const end = Math.floor(Date.now() / 1000 / STEP) * STEP - 6 * STEP + shift;
  const fresh = buildDataset('new', { end });
  rigs.new = { start: fresh.start, end: fresh.end, openMetrics: fresh.openMetrics };
  const old = buildDataset('old', { end });
  rigs.old = { start: old.start, end: old.end, openMetrics: old.openMetrics };
  // Six hours with limits (namespace "trend"), and the node fixtures for the nodes view (their
  // containers live in other namespaces; one node runs an older cAdvisor).
  const trend = buildTrendDataset({ end });
  const nodes = buildNodeDataset({ end });
  rigs.trend = {
    start: trend.start,
    end: trend.end,
    openMetrics: mergeOpenMetrics(trend.openMetrics, nodes.openMetrics),
  };

  // The new dataset under rules written for one namespace only (`npm run rules -- --selector`):
  // the recorded series miss the other namespace's containers.
  const narrowRules = path.join(tmp, 'narrow', 'real-memory.rules.yml');
  fs.mkdirSync(path.dirname(narrowRules));
  fs.writeFileSync(narrowRules, ruleFileText(realMemoryRules({ extraSelector: 'namespace="shop"' })));
  rigs.narrow = { ...rigs.new, ruleFile: narrowRules };

  await Promise.all(
    (Object.entries(rigs) as Array<[RigName, Rig]>).map(async ([name, rig]) => {
      rig.raw = await startPrometheus({ openMetrics: rig.openMetrics, args: [LOOKBACK] });
      const blocks = path.join(tmp, `rules-${name}`);
      await backfillRules(rig.raw.url, rig.ruleFile ?? ruleFile, rig.start - STEP, rig.end + 2 * STEP, blocks, STEP);
      rig.recorded = await startPrometheus({ openMetrics: rig.openMetrics, blocksDirs: [blocks], args: [LOOKBACK] });
    })
  );
  backend = installBackendSrv(
    Object.fromEntries(
      (Object.entries(rigs) as Array<[RigName, Rig]>).flatMap(([name, rig]) => [
        [`${name}-raw`, rig.raw!.url],
        [`${name}-recorded`, rig.recorded!.url],
      ])
    )
  );
  installTemplateSrv([{ name: 'ns', value: ['shop', 'data'] }]);
}, 240000);

afterAll(async () => {
  await Promise.all(Object.values(rigs).flatMap((r) => [r.raw?.stop(), r.recorded?.stop()]));
  if (tmp) {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  console.log(`rule group offset ${offsetMs} ms; points compared: ${pointsCompared}, ${valuesCompared} of them values`);
});

let pointsCompared = 0;
let valuesCompared = 0;

interface Case {
  target: Partial<RealMemoryQuery>;
  options?: RealMemoryOptions;
  /** Ad-hoc filters of the dashboard. */
  filters?: Array<{ key: string; operator: string; value: string }>;
  /** Seconds before the rig's range start: a range that begins before the rules recorded. */
  earlier?: number;
}

async function framesOf(rig: RigName, server: 'raw' | 'recorded', c: Case): Promise<DataFrame[]> {
  const r = rigs[rig];
  const res = await runQuery(
    source(rig, server, c.options),
    panelRequest([c.target], r.start + START_AFTER - (c.earlier ?? 0), r.end, {
      interval: `${STEP}s`,
      intervalMs: STEP * 1000,
      ...(c.filters ? { filters: c.filters } : {}),
    })
  );
  expect(res.errors ?? []).toEqual([]);
  return res.data;
}

const executed = (frames: DataFrame[]) => frames.map((f) => f.meta?.executedQueryString ?? '').join('\n');
/** A frame without the executed query (the one thing allowed to differ). */
const plotted = (frames: DataFrame[]) =>
  frames.map((f) => ({ ...f, meta: { ...f.meta, executedQueryString: undefined } }));
/** A cAdvisor metric named in PromQL, not as part of a recorded series' name. */
const readsRaw = (text: string, metric: string) => new RegExp(`(^|[^:])${metric}\\{`, 'm').test(text);

/** The frames from both servers, equal point by point; returns the recorded server's frames. */
async function expectSameFrames(rig: RigName, c: Case): Promise<DataFrame[]> {
  const [raw, recorded] = await Promise.all([framesOf(rig, 'raw', c), framesOf(rig, 'recorded', c)]);
  expectReadsRaw(raw);
  expect(plotted(recorded)).toEqual(plotted(raw));
  for (const frame of raw) {
    for (const f of frame.fields.filter((x) => x.name !== 'Time')) {
      pointsCompared += f.values.length;
      valuesCompared += (f.values as Array<number | null>).filter((v) => v !== null).length;
    }
  }
  return recorded;
}

/** Top N ranks with instant queries over cAdvisor's series (topk, count): the range queries are what is plotted. */
const RANKING = /^(topk|count)\(/;

function expectReadsRecorded(frames: DataFrame[]) {
  const text = executed(frames)
    .split('\n')
    .filter((line) => !RANKING.test(line))
    .join('\n');
  expect(text).toContain(RECORDED_NOTE);
  expect(text).toContain(`${RECORDED.workingSet}{`);
  expect(text).toContain(`${RECORDED.activeFile}{`);
  for (const metric of [
    CADVISOR_METRIC.workingSet,
    CADVISOR_METRIC.activeFile,
    CADVISOR_METRIC.usage,
    CADVISOR_METRIC.cache,
  ]) {
    expect(readsRaw(text, metric)).toBe(false);
  }
}

function expectReadsRaw(frames: DataFrame[]) {
  const text = executed(frames);
  expect(readsRaw(text, 'container_memory_\\w+')).toBe(true);
  expect(text).not.toContain('namespace_pod_container:');
}

/** Frames that hold values: the comparison is not vacuous. */
function expectValues(frames: DataFrame[], atLeast: number) {
  const values = frames.flatMap((f) => f.fields.filter((x) => x.name !== 'Time').flatMap((x) => x.values as unknown[]));
  expect(values.filter((v) => typeof v === 'number').length).toBeGreaterThanOrEqual(atLeast);
}

describe('recorded series read where they give the same frames', () => {
  const filterShapes: Array<[string, Partial<RealMemoryQuery>]> = [
    ['no filter', {}],
    ['a namespace', { namespace: 'shop' }],
    ['an excluded namespace', { namespace: '!data' }],
    ['a /regex/ pod', { pod: '/(web|log-writer)-.*/' }],
    ['a multi-value variable', { namespace: '$ns' }],
    ['an excluded container', { namespace: 'shop', container: '!nginx' }],
  ];
  describe.each(['container', 'pod', 'namespace'] as const)('real used vs working set, by %s', (groupBy) => {
    it.each(filterShapes)('%s', async (_name, filters) => {
      const frames = await expectSameFrames('new', { target: { view: 'realVsWorkingSet', groupBy, ...filters } });
      expectReadsRecorded(frames);
      expectValues(frames, 60);
    });
  });

  it('an ad-hoc filter on the namespace label', async () => {
    const frames = await expectSameFrames('new', {
      target: { view: 'realVsWorkingSet' },
      filters: [{ key: 'namespace', operator: '!=', value: 'data' }],
    });
    expectReadsRecorded(frames);
    expect(executed(frames)).toContain(`${RECORDED.workingSet}{namespace!="data"}`);
  });

  it('an extra selector on the namespace label (data source setting)', async () => {
    const frames = await expectSameFrames('new', {
      target: { view: 'realVsWorkingSet', groupBy: 'pod' },
      options: { extraSelector: 'namespace=~"shop|data"' },
    });
    expectReadsRecorded(frames);
  });

  it('top N: ranked on cAdvisor’s series, the range read from the recorded ones', async () => {
    const frames = await expectSameFrames('new', { target: { view: 'realVsWorkingSet', topN: 2 } });
    expectReadsRecorded(frames);
    expect(executed(frames)).toMatch(/^topk\(/m);
    expect(frames).toHaveLength(2);
  });

  it.each(['container', 'pod', 'namespace'] as const)(
    'headroom by %s, limits from their own series',
    async (groupBy) => {
      // Containers with a limit each, so that their sum is a limit at every level.
      const pod = '/(leak|saw|crash)-0/';
      const frames = await expectSameFrames('trend', {
        target: { view: 'headroom', groupBy, namespace: 'trend', pod },
      });
      expectReadsRecorded(frames);
      expect(readsRaw(executed(frames), 'kube_pod_container_resource_limits')).toBe(true);
      expectValues(frames, 300);
    }
  );

  it.each(['container', 'pod'] as const)('real used vs working set with limits, by %s', async (groupBy) => {
    const frames = await expectSameFrames('trend', {
      target: { view: 'realVsWorkingSet', groupBy, showLimits: true, namespace: 'trend' },
    });
    expectReadsRecorded(frames);
    expect(frames.some((f) => f.fields.some((x) => x.name === 'limit'))).toBe(true);
  });
});

describe('cAdvisor’s series read otherwise, with the same frames', () => {
  const fallbacks: Array<[string, RigName, Case]> = [
    [
      'an extra selector on another label (data source setting)',
      'new',
      { target: {}, options: { extraSelector: 'job="kubelet"' } },
    ],
    [
      'an ad-hoc filter on another label',
      'new',
      { target: {}, filters: [{ key: 'image', operator: '!=', value: 'redis:7' }] },
    ],
    ['the usage − active file formula', 'new', { target: { formula: 'usageMinusActiveFile' } }],
    ['show usage', 'new', { target: { showUsage: true } }],
    ['show pressure', 'new', { target: { showPressure: true } }],
    ['the breakdown', 'new', { target: { view: 'breakdown' } }],
    ['the leak check', 'trend', { target: { view: 'leakCheck' } }],
    ['the nodes view', 'trend', { target: { view: 'nodes' } }],
    ['containers without file-cache series among others (one node on an older cAdvisor)', 'trend', { target: {} }],
    ['containers without file-cache series (old cAdvisor)', 'old', { target: { groupBy: 'pod' } }],
    ['a range that starts before the rules recorded', 'new', { target: {}, earlier: 30 * 60 }],
    ['rules that do not record every container of the data source', 'narrow', { target: {} }],
    ['… even for a query within what they record', 'narrow', { target: { namespace: 'shop' } }],
  ];
  it.each(fallbacks)('%s', async (_name, rig, c) => {
    const frames = await expectSameFrames(rig, c);
    expectReadsRaw(frames);
    expectValues(frames, 20);
  });
});

describe('the probe', () => {
  it('runs once for many queries of a data source', async () => {
    const ds = makeDataSource({}, 'new-recorded');
    const r = rigs.new;
    const targets: Array<Partial<RealMemoryQuery>> = [
      { view: 'realVsWorkingSet' },
      { view: 'realVsWorkingSet', groupBy: 'pod', namespace: 'shop' },
      { view: 'headroom', groupBy: 'namespace' },
      { view: 'realVsWorkingSet', pod: '/web-.*/' },
      { view: 'breakdown' },
    ];
    const isProbe = (q: string | undefined) => (q ?? '').includes('label_replace(count by (__name__)');
    const before = backend.requests.filter((s) => isProbe(s.query)).length;
    // A dashboard refresh: every panel at once; then a second refresh over a later range.
    const first = await Promise.all(
      targets.map((t) => runQuery(ds, panelRequest([t], r.start + START_AFTER, r.end, { intervalMs: STEP * 1000 })))
    );
    const second = await Promise.all(
      targets.map((t) =>
        runQuery(ds, panelRequest([t], r.start + START_AFTER + STEP, r.end + STEP, { intervalMs: STEP * 1000 }))
      )
    );
    for (const res of [...first, ...second]) {
      expect(res.errors ?? []).toEqual([]);
    }
    expect(ds.recordedSeries.sent).toBe(1);
    expect(backend.requests.filter((s) => isProbe(s.query)).length - before).toBe(1);
    expectReadsRecorded(first[0].data);
    expectReadsRecorded(second[3].data);
  });
});
