// Every view's frames, through DataSource.query() against a real Prometheus, compared with a stored
// snapshot: the guard of a refactoring that must change no frame. Each frame is written as its
// names, labels, field configs, notices and executed PromQL, with each field's values as a digest
// (and their count, first and last value, to read a difference). Times are seconds from the
// dataset's start, so the snapshot does not depend on the day it runs.
//
// A deliberate change of frames updates it: `npx jest test/integration/frameSnapshot -u`, and the
// diff of `__snapshots__/frameSnapshot.test.ts.snap` says what changed.
import '../support/polyfills';

import { DataFrame } from '@grafana/data';
import { createHash } from 'crypto';

import { DataSource } from '../../src/datasource';
import { RealMemoryQuery } from '../../src/types';
import { buildDataset } from '../fixtures/cadvisor';
import { buildNodeDataset } from '../fixtures/nodes';
import { buildTrendDataset } from '../fixtures/trends';
import { installBackendSrv } from '../support/backendSrv';
import { makeDataSource, panelRequest, runQuery } from '../support/dataSource';
import { RunningPrometheus, startPrometheus } from '../support/prometheus';
import { installTemplateSrv } from '../support/templateSrv';

jest.setTimeout(180000);

interface Rig {
  start: number;
  end: number;
  step: number;
}

const datasets = {
  new: buildDataset('new'),
  old: buildDataset('old'),
  trends: buildTrendDataset(),
  nodes: buildNodeDataset(),
};
type DatasetName = keyof typeof datasets;

/** The questions asked of each dataset: every view, its choices, grouping, top N and legends. */
const CONTAINER_QUERIES: Array<Partial<RealMemoryQuery>> = [
  ...(['container', 'pod', 'namespace'] as const).flatMap((groupBy) => [
    { view: 'realVsWorkingSet' as const, groupBy },
    { view: 'breakdown' as const, groupBy },
    { view: 'headroom' as const, groupBy },
    { view: 'leakCheck' as const, groupBy },
  ]),
  { view: 'realVsWorkingSet', formula: 'usageMinusActiveFile' },
  { view: 'realVsWorkingSet', showUsage: true, showLimits: true, showPressure: true },
  { view: 'realVsWorkingSet', groupBy: 'pod', showLimits: true, legendFormat: '{{pod}} in {{namespace}}' },
  { view: 'realVsWorkingSet', topN: 2 },
  { view: 'realVsWorkingSet', legendFormat: '{{nope}}' },
  { view: 'breakdown', topN: 1, groupBy: 'namespace' },
  { view: 'headroom', headroomUnit: 'percent' },
  { view: 'headroom', headroomUnit: 'percent', topN: 3, groupBy: 'pod' },
  { view: 'leakCheck', topN: 2 },
];

const NODE_QUERIES: Array<Partial<RealMemoryQuery>> = [
  { view: 'nodes' },
  { view: 'nodes', nodeView: 'breakdown' },
  { view: 'nodes', nodeView: 'table' },
  { view: 'nodes', showEvictionOrder: true },
  { view: 'nodes', node: 'node-a', legendFormat: '{{node}}!' },
];

const ASKED: Record<DatasetName, Array<Partial<RealMemoryQuery>>> = {
  new: CONTAINER_QUERIES,
  old: CONTAINER_QUERIES,
  trends: CONTAINER_QUERIES,
  nodes: NODE_QUERIES,
};

const digest = (values: unknown[]) =>
  createHash('sha256')
    .update(JSON.stringify(values, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v)))
    .digest('hex')
    .slice(0, 16);

/**
 * A response in a form that is stable across days, small and readable in a diff: the executed
 * PromQL and each distinct field config once, then one line per field.
 */
function describeResponse(frames: DataFrame[], rig: Rig) {
  const executed = [...new Set(frames.map((f) => f.meta?.executedQueryString ?? ''))];
  const configs: string[] = [];
  const configIndex = (config: unknown) => {
    const text = JSON.stringify(config);
    if (!configs.includes(text)) {
      configs.push(text);
    }
    return configs.indexOf(text);
  };
  const described = frames.map((frame) => {
    const { executedQueryString, ...meta } = frame.meta ?? {};
    return {
      name: frame.name,
      refId: frame.refId,
      executed: executed.indexOf(executedQueryString ?? ''),
      meta: JSON.stringify(meta),
      fields: frame.fields.map((f) => {
        const values = [...f.values].map((v) => (f.type === 'time' && typeof v === 'number' ? v / 1000 - rig.start : v));
        const ends = JSON.stringify([values[0], values[values.length - 1]]);
        return `${f.name} | ${f.type} | ${JSON.stringify(f.labels ?? {})} | config ${configIndex(f.config)} | ${values.length} values ${ends} ${digest(values)}`;
      }),
    };
  });
  return { executed, configs, frames: described };
}

describe('every view, every frame, against the stored snapshot', () => {
  const proms: Partial<Record<DatasetName, RunningPrometheus>> = {};
  const sources: Partial<Record<DatasetName, DataSource>> = {};

  beforeAll(async () => {
    const names = Object.keys(datasets) as DatasetName[];
    const started = await Promise.all(names.map((n) => startPrometheus({ openMetrics: datasets[n].openMetrics })));
    names.forEach((n, i) => (proms[n] = started[i]));
    installBackendSrv(Object.fromEntries(names.map((n) => [`snap-${n}`, proms[n]!.url])));
    installTemplateSrv([]);
    names.forEach((n) => (sources[n] = makeDataSource({}, `snap-${n}`)));
  }, 120000);

  afterAll(async () => {
    await Promise.all(Object.values(proms).map((p) => p?.stop()));
  });

  const cases = (Object.keys(ASKED) as DatasetName[]).flatMap((name) =>
    ASKED[name].map((target) => [name, JSON.stringify(target), target] as const)
  );

  it.each(cases)('%s %s', async (name, _text, target) => {
    const rig: Rig = datasets[name];
    const res = await runQuery(
      sources[name]!,
      panelRequest([target], rig.start, rig.end, { interval: `${rig.step}s`, intervalMs: rig.step * 1000 })
    );
    expect({
      errors: res.errors ?? [],
      ...describeResponse(res.data, rig),
    }).toMatchSnapshot();
  });
});
