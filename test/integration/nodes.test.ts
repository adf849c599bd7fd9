// The nodes view through DataSource.query() against a real Prometheus backfilled with node data in
// cAdvisor and kube-state-metrics format (test/fixtures/nodes.ts): exact values at every
// timestamp, from the root cgroup and never from a sum of containers; capacity from cAdvisor or
// kube-state-metrics; the fallback on an older cAdvisor; the breakdown split into pods and system;
// the node table; the eviction order; node options, the node filter and the nodes variable.
import { MEANING_COLOUR } from '../../src/frames/colours';
import '../support/polyfills';

import { DataFrame, Field, dateTime } from '@grafana/data';
import fs from 'fs';
import path from 'path';
import { lastValueFrom } from 'rxjs';

import { DataSource } from '../../src/datasource';
import {
  FIELD_ABOVE_REQUEST,
  FIELD_CACHE_SHARE,
  FIELD_EXCEEDS,
  FIELD_RANK,
  FIELD_REQUEST,
  FIELD_ROOM,
} from '../../src/frames/nodeFrames';
import { RealMemoryQuery, RealMemoryOptions } from '../../src/types';
import { RealMemoryVariableSupport } from '../../src/variables';
import { MB, cadvisorValues } from '../fixtures/cadvisor';
import {
  NODE_A,
  NODE_B,
  NODE_C,
  NodeDataset,
  buildNodeDataset,
  containerSumWorkingSet,
  figuresOf,
  nodeSpec,
} from '../fixtures/nodes';
import { installBackendSrv, TestBackendSrv } from '../support/backendSrv';
import { makeDataSource, panelRequest, runQuery } from '../support/dataSource';
import { RunningPrometheus, startPrometheus } from '../support/prometheus';
import { installTemplateSrv } from '../support/templateSrv';

jest.setTimeout(120000);

const MiB = 2 ** 20;
const HARD = 100 * MiB; // the default evictionHard

const data: NodeDataset = buildNodeDataset();
let prom: RunningPrometheus;
let backend: TestBackendSrv;
let ds: DataSource;

const request = (targets: Array<Partial<RealMemoryQuery>>) =>
  panelRequest(targets, data.start, data.end, { interval: `${data.step}s`, intervalMs: data.step * 1000 });
const withOptions = (options: RealMemoryOptions) => makeDataSource(options, 'nodes');

async function run(target: Partial<RealMemoryQuery>, source = ds): Promise<DataFrame[]> {
  const res = await runQuery(source, request([{ view: 'nodes', ...target }]));
  expect(res.errors ?? []).toEqual([]);
  return res.data;
}

const nodeOf = (frame: DataFrame) => frame.fields.find((f) => f.name !== 'Time')?.labels?.node;
const frameOf = (frames: DataFrame[], node: string) => {
  const f = frames.find((fr) => nodeOf(fr) === node);
  if (!f) {
    throw new Error(`no frame for ${node}; frames: ${frames.map(nodeOf).join(', ')}`);
  }
  return f;
};
function field(frame: DataFrame, name: string): Field {
  const f = frame.fields.find((x) => x.name === name);
  if (!f) {
    throw new Error(`no field "${name}" in ${frame.name}: ${frame.fields.map((x) => x.name).join(', ')}`);
  }
  return f;
}
/** A field's values at every timestamp of the dataset (null where the frame has no row). */
function series(frame: DataFrame, name: string): Array<number | null> {
  const times = field(frame, 'Time').values as number[];
  return data.timestamps.map((t) => {
    const i = times.indexOf(t * 1000);
    return i < 0 ? null : (field(frame, name).values[i] as number | null);
  });
}
/** A line's fixed colour. */
const colourOf = (frame: DataFrame, name: string) => field(frame, name).config.color?.fixedColor;
const each = (f: (i: number) => number | null) => data.timestamps.map((_, i) => f(i));
const noticesOf = (frames: DataFrame[]) =>
  frames
    .flatMap((f) => f.meta?.notices ?? [])
    .map((n) => n.text)
    .join('\n');

beforeAll(async () => {
  prom = await startPrometheus({ openMetrics: data.openMetrics });
  backend = installBackendSrv({ nodes: prom.url });
  installTemplateSrv([
    { name: 'picked', value: [NODE_A, NODE_C] },
    { name: 'all', value: '$__all', options: [NODE_A, NODE_B, NODE_C] },
    // The provisioned dashboard's node variable, on All.
    { name: 'node', value: '$__all', options: [NODE_A, NODE_B, NODE_C] },
  ]);
  ds = withOptions({});
}, 60000);

afterAll(async () => {
  await prom?.stop();
});

beforeEach(() => backend.reset());

describe('nodes view, memory: one frame per node', () => {
  it('working set and real used of the root cgroup, capacity, allocatable and the eviction threshold, exact at every timestamp', async () => {
    const frames = await run({});
    expect(frames.map(nodeOf).sort()).toEqual([NODE_A, NODE_B, NODE_C]);
    const a = frameOf(frames, NODE_A);
    expect(a.fields.map((f) => f.name)).toEqual([
      'Time',
      'working set',
      'real used',
      'capacity',
      'allocatable',
      'eviction threshold',
    ]);
    const root = (i: number) => figuresOf(nodeSpec(NODE_A).root(i), true);
    expect(series(a, 'working set')).toEqual(each((i) => root(i).workingSet));
    expect(series(a, 'real used')).toEqual(each((i) => root(i).realUsed));
    expect(series(a, 'capacity')).toEqual(each(() => 8000 * MB));
    expect(series(a, 'allocatable')).toEqual(each(() => 7500 * MB));
    expect(series(a, 'eviction threshold')).toEqual(each(() => 8000 * MB - HARD));
    // The root's anon grows 10 MB a step: working set 3850 → 4150 MB over the range.
    expect(series(a, 'working set')[0]).toBe(3850 * MB);
    expect(series(a, 'working set')[30]).toBe(4150 * MB);
    expect(field(a, 'eviction threshold').config.custom?.lineStyle?.fill).toBe('dash');
    expect(field(a, 'working set').labels).toEqual({ node: NODE_A });
    expect(field(a, 'working set').config.unit).toBe('bytes');
  });

  it('never sums container series into a node figure (pod cgroups, pause, slices, duplicate scrapes)', async () => {
    const frames = await run({ node: NODE_A });
    const ws = series(frameOf(frames, NODE_A), 'working set')[0];
    const root = cadvisorValues(nodeSpec(NODE_A).root(0)).workingSet;
    expect(ws).toBe(root);
    // What the wrong sums would have given, all different from the root cgroup:
    expect(containerSumWorkingSet(NODE_A)).not.toBe(root);
    expect(cadvisorValues(nodeSpec(NODE_A).pods!.stat).workingSet).not.toBe(root);
    expect(2 * root).not.toBe(ws); // the root is scraped by two jobs
    // Every node figure is read from the root cgroup or a node-level series, and nothing is summed.
    expect(backend.queries.length).toBeGreaterThan(0);
    for (const q of backend.queries) {
      expect(q).toMatch(/id="\/"|machine_memory_bytes\{|kube_node_status_(capacity|allocatable)\{/);
      expect(q).not.toMatch(/\bsum\b|container!=|image!=/);
    }
  });

  it('takes capacity from kube-state-metrics where cAdvisor has no machine_memory_bytes, and says so', async () => {
    const frames = await run({ node: NODE_B });
    const b = frameOf(frames, NODE_B);
    expect(series(b, 'capacity')).toEqual(each(() => 4000 * MB));
    expect(series(b, 'allocatable')).toEqual(each(() => 3600 * MB));
    expect(series(b, 'eviction threshold')).toEqual(each(() => 4000 * MB - HARD));
    expect(series(b, 'working set')).toEqual(each(() => figuresOf(nodeSpec(NODE_B).root(0), true).workingSet));
    expect(noticesOf(frames)).toMatch(
      /Capacity from kube-state-metrics \(no machine_memory_bytes\)(\.| — 1 of \d nodes: node-b\.)$/m
    );
  });

  it('on an older cAdvisor estimates the split like for containers, and warns; no allocatable without kube-state-metrics', async () => {
    const frames = await run({ node: NODE_C });
    const c = frameOf(frames, NODE_C);
    const exact = figuresOf(nodeSpec(NODE_C).root(0), true);
    const estimated = figuresOf(nodeSpec(NODE_C).root(0), false);
    expect(estimated.realUsed).toBe(900 * MB);
    expect(exact.realUsed).toBe(920 * MB); // the estimate is off by the shmem, as it would be
    expect(series(c, 'real used')).toEqual(each(() => estimated.realUsed));
    expect(series(c, 'capacity')).toEqual(each(() => 2000 * MB));
    expect(c.fields.map((f) => f.name)).not.toContain('allocatable');
    const notices = noticesOf(frames);
    expect(notices).toMatch(/File-cache series missing \(cAdvisor < 0\.50\), so the split was estimated/);
    expect(notices).toMatch(/No kube_node_status_allocatable series \(kube-state-metrics\): allocatable not shown\.$/m);
  });

  it('filters nodes by exact value, /regex/ and multi-value variables, escaped', async () => {
    expect((await run({ node: '/node-[ab]/' })).map(nodeOf).sort()).toEqual([NODE_A, NODE_B]);
    expect((await run({ node: '$picked' })).map(nodeOf).sort()).toEqual([NODE_A, NODE_C]);
    expect((await run({ node: '$all' })).map(nodeOf).sort()).toEqual([NODE_A, NODE_B, NODE_C]);
    // A regex metacharacter in an exact value matches only itself.
    const none = await run({ node: 'node-.' });
    expect(none.map(nodeOf)).toEqual([undefined]);
    // node="node-." implies node!="", which the selector leaves out (promql.ts, withoutImpliedExclusions).
    expect(noticesOf(none)).toMatch(
      /No root-cgroup series match container_memory_working_set_bytes\{id="\/", node="node-\."\}/
    );
  });

  it('ignores namespace, pod and container filters and groupBy (a node has none of them)', async () => {
    const frames = await run({ namespace: 'nowhere', pod: 'x', container: 'y', groupBy: 'namespace' });
    expect(frames.map(nodeOf).sort()).toEqual([NODE_A, NODE_B, NODE_C]);
  });
});

describe('nodes view, top N: least room before eviction first', () => {
  const notice = (frames: DataFrame[]) => (frames[0].meta?.notices ?? []).map((n) => n.text).join('\n');
  // Lowest room (threshold − root working set): node-c 2000 MB with ~1220 MB, node-b 4000 MB with
  // 1900 MB, node-a 8000 MB whose anon grows to ~4150 MB. The smallest node is not the fullest one.
  it('keeps the N nodes with the least room at their lowest in the range, and says so', async () => {
    const frames = await run({ nodeView: 'memory', topN: 2 });
    expect(frames.map(nodeOf).sort()).toEqual([NODE_B, NODE_C]);
    expect(notice(frames)).toMatch(
      /Showing the 2 of 3 nodes with the least room before eviction \(eviction threshold − working set\) at their lowest in the range/
    );
    const all = await run({ nodeView: 'memory', topN: 0 });
    expect(all.map(nodeOf).sort()).toEqual([NODE_A, NODE_B, NODE_C]);
    expect(notice(all)).not.toMatch(/Showing/);
  });

  it('the table ranks at the end of the range', async () => {
    const frames = await run({ nodeView: 'table', topN: 1 });
    expect(field(frames[0], 'node').values).toEqual([NODE_C]);
    expect(notice(frames)).toMatch(/Showing the 1 of 3 nodes .* at the end of the range/);
  });
});

describe('node options', () => {
  it('a percentage evictionHard and an evictionSoft draw capacity × (1 − p) and a second line', async () => {
    const frames = await run({ node: NODE_A }, withOptions({ evictionHard: '5%', evictionSoft: '1Gi' }));
    const a = frameOf(frames, NODE_A);
    expect(series(a, 'eviction threshold')).toEqual(each(() => 7600 * MB));
    expect(series(a, 'soft eviction threshold')).toEqual(each(() => 8000 * MB - 1024 * MiB));
    // Said in the lines' descriptions, not in a notice on every healthy query.
    const description = (name: string) => a.fields.find((f) => f.name === name)?.config.description;
    expect(description('eviction threshold')).toMatch(/^capacity − 5% of capacity: the kubelet evicts pods/);
    expect(description('soft eviction threshold')).toMatch(/^capacity − 1024Mi: above this line/);
    expect(noticesOf(frames)).not.toMatch(/eviction threshold/);
    // Colours by meaning, as in the container views.
    expect(
      ['working set', 'real used', 'eviction threshold', 'soft eviction threshold'].map((name) => colourOf(a, name))
    ).toEqual([MEANING_COLOUR.workingSet, MEANING_COLOUR.realUsed, MEANING_COLOUR.limit, MEANING_COLOUR.request]);
  });

  it('unquoted numbers from provisioning YAML (evictionHard: 1e9, evictionSoft: 500) are quantities, in the panel and in "Save & test"', async () => {
    const options = { evictionHard: 1e9, evictionSoft: 500 } as unknown as RealMemoryOptions;
    const frames = await run({ node: NODE_A }, withOptions(options));
    const a = frameOf(frames, NODE_A);
    expect(series(a, 'eviction threshold')).toEqual(each(() => 8000 * MB - 1e9));
    expect(series(a, 'soft eviction threshold')).toEqual(each(() => 8000 * MB - 500));
    expect((await withOptions(options).testDatasource()).status).toBe('success');
  });

  it('a setting of the wrong type fails queries and "Save & test" naming it, and nothing is sent', async () => {
    const bad = withOptions({ extraSelector: { cluster: 'prod' } } as unknown as RealMemoryOptions);
    const res = await runQuery(bad, request([{ view: 'nodes' }, { view: 'realVsWorkingSet', refId: 'B' }]));
    expect(res.errors?.map((e) => e.message)).toEqual([
      'Invalid data source setting — Extra selector must be text, got an object. Fix it in the data source settings.',
      'Invalid data source setting — Extra selector must be text, got an object. Fix it in the data source settings.',
    ]);
    expect((await bad.testDatasource()).message).toMatch(/^Invalid data source setting — Extra selector must be text/);
    expect(backend.queries).toEqual([]);
  });

  it('a bad evictionHard fails the query with the field named, before anything is sent', async () => {
    const res = await runQuery(withOptions({ evictionHard: '100mi' }), request([{ view: 'nodes' }]));
    expect(res.errors?.[0]?.message).toMatch(/Eviction hard: "100mi" has an unknown unit "mi"/);
    expect(backend.queries).toEqual([]);
  });

  it('a node label the series do not carry gives a notice naming the option, not an empty panel', async () => {
    const frames = await run({}, withOptions({ nodeLabel: 'kubernetes_node' }));
    expect(noticesOf(frames)).toMatch(/label "kubernetes_node" \(data source option nodeLabel\)/);
  });

  it('"Save & test" counts the nodes, and names a bad option', async () => {
    const ok = await ds.testDatasource();
    expect(ok.status).toBe('success');
    expect(ok.details?.message).toMatch(/Nodes view: 3 nodes with a root-cgroup series \(id="\/", label "node"\)/);
    const bad = await withOptions({ evictionSoft: '5 %' }).testDatasource();
    expect(bad).toEqual({
      status: 'error',
      message: expect.stringMatching(/Eviction soft: "5 %" is not a Kubernetes quantity/),
      details: { message: expect.stringMatching(/Every query .* fails/) },
    });
  });
});

describe('nodes view, breakdown', () => {
  it('stacks anon, other, active file, inactive file and free to capacity, split into pods and system where the slice exists', async () => {
    const frames = await run({ nodeView: 'breakdown' });
    const a = frameOf(frames, NODE_A);
    expect(a.fields.map((f) => f.name)).toEqual([
      'Time',
      'anon (pods)',
      'anon (system)',
      'other (kernel)',
      'active file (pods)',
      'active file (system)',
      'inactive file',
      'free',
      'allocatable',
      'eviction threshold',
    ]);
    // The container breakdown's colours: anon warm, page cache cool.
    expect(
      ['anon (pods)', 'other (kernel)', 'active file (pods)', 'inactive file'].map((name) => colourOf(a, name))
    ).toEqual([MEANING_COLOUR.anon, MEANING_COLOUR.other, MEANING_COLOUR.activeFile, MEANING_COLOUR.inactiveFile]);
    const root = (i: number) => figuresOf(nodeSpec(NODE_A).root(i), true);
    const pods = figuresOf(nodeSpec(NODE_A).pods!.stat, true);
    expect(series(a, 'anon (pods)')).toEqual(each(() => pods.rss));
    expect(series(a, 'anon (system)')).toEqual(each((i) => root(i).rss - pods.rss));
    expect(series(a, 'other (kernel)')).toEqual(each((i) => root(i).other));
    expect(series(a, 'active file (pods)')).toEqual(each(() => pods.activeFile));
    expect(series(a, 'active file (system)')).toEqual(each((i) => root(i).activeFile - pods.activeFile));
    expect(series(a, 'inactive file')).toEqual(each((i) => root(i).inactiveFile));
    expect(series(a, 'free')).toEqual(each((i) => 8000 * MB - root(i).usage));
    // The stack reaches capacity; the layers under inactive file are the kubelet's working set.
    const layers = ['anon (pods)', 'anon (system)', 'other (kernel)', 'active file (pods)', 'active file (system)'];
    const sum = (names: string[]) => each((i) => names.reduce((s, n) => s + (series(a, n)[i] as number), 0));
    expect(sum([...layers, 'inactive file', 'free'])).toEqual(each(() => 8000 * MB));
    expect(sum(layers)).toEqual(each((i) => root(i).workingSet));
    for (const name of [...layers, 'inactive file', 'free']) {
      expect(field(a, name).config.custom?.stacking?.mode).toBe('normal');
    }
    for (const name of ['allocatable', 'eviction threshold']) {
      expect(field(a, name).config.custom?.stacking?.mode).toBe('none');
    }
    // The cgroupfs driver's /kubepods splits node-b the same way.
    expect(series(frameOf(frames, NODE_B), 'anon (pods)')[0]).toBe(600 * MB);
  });

  it('without a pods slice (node-c) the layers are not split, and the split is estimated on an older cAdvisor', async () => {
    const c = frameOf(await run({ nodeView: 'breakdown', node: NODE_C }), NODE_C);
    expect(c.fields.map((f) => f.name)).toEqual([
      'Time',
      'anon',
      'other (kernel)',
      'active file',
      'inactive file',
      'free',
      'eviction threshold',
    ]);
    const est = figuresOf(nodeSpec(NODE_C).root(0), false);
    expect(series(c, 'active file')).toEqual(each(() => est.activeFile));
    expect(series(c, 'other (kernel)')).toEqual(each(() => est.other));
    expect(series(c, 'free')).toEqual(each(() => 2000 * MB - est.usage));
  });
});

describe('nodes view, table', () => {
  it('one row per node at the end of the range, closest to eviction first, with the page cache share of the signal', async () => {
    const [frame, ...more] = await run({ nodeView: 'table' });
    expect(more).toEqual([]);
    const rows = Array.from({ length: frame.length }, (_, i) =>
      Object.fromEntries(frame.fields.map((f) => [f.name, f.values[i]]))
    );
    const last = data.timestamps.length - 1;
    const row = (node: string, fileCache: boolean, capacity: number) => {
      const f = figuresOf(nodeSpec(node).root(last), fileCache);
      return {
        node,
        'working set': f.workingSet,
        'real used': f.realUsed,
        'active file': f.activeFile,
        capacity,
        [FIELD_ROOM]: capacity - HARD - f.workingSet,
        [FIELD_CACHE_SHARE]: expect.closeTo((100 * (f.workingSet - f.realUsed)) / f.workingSet, 9),
      };
    };
    // node-c: 2000 − 104.9 − 1220 = 675 MB of room; node-b: 4000 − 104.9 − 1900; node-a: 8000 − 104.9 − 4150.
    expect(rows).toEqual([row(NODE_C, false, 2000 * MB), row(NODE_B, true, 4000 * MB), row(NODE_A, true, 8000 * MB)]);
    // node-a at the end: 1500 of 4150 MB of the kubelet's signal is active page cache.
    expect(rows[2][FIELD_CACHE_SHARE]).toBeCloseTo((100 * 1500) / 4150, 9);
    expect(frame.meta?.preferredVisualisationType).toBe('table');
    // One evaluation at the end of the range, not the whole range.
    const ranges = backend.requests.filter((r) => r.url.endsWith('/api/v1/query_range'));
    expect(ranges.every((r) => r.params.start === r.params.end)).toBe(true);
  });
});

describe('eviction order', () => {
  const rowsOf = (frame: DataFrame) =>
    Array.from({ length: frame.length }, (_, i) => Object.fromEntries(frame.fields.map((f) => [f.name, f.values[i]])));
  const ws = (s: Parameters<typeof cadvisorValues>[0]) => cadvisorValues(s).workingSet;

  it('ranks the pods of each node as the kubelet does: above request first, then by how far; real used beside', async () => {
    const [frame] = await run({ showEvictionOrder: true, nodeView: 'table' });
    expect(frame.name).toBe('eviction order');
    const c = Object.fromEntries(nodeSpec(NODE_A).containers.map((x) => [x.container, x.stat]));
    const rows = rowsOf(frame);
    expect(rows.map((r) => [r.node, r[FIELD_RANK], r.namespace, r.pod])).toEqual([
      [NODE_A, 1, 'shop', 'log-0'],
      [NODE_A, 2, 'shop', 'api-0'],
      [NODE_A, 3, 'data', 'db-0'],
      [NODE_B, 1, 'shop', 'web-0'],
      [NODE_C, 1, 'batch', 'job-0'],
    ]);
    // The log writer goes first for 650 MB of working set, yet really uses 50 MB: the rest is page cache.
    expect(rows[0]).toMatchObject({
      'working set': 650 * MB,
      [FIELD_REQUEST]: 100 * MB,
      [FIELD_ABOVE_REQUEST]: 550 * MB,
      [FIELD_EXCEEDS]: 'yes',
      'real used': 50 * MB,
    });
    // api-0 is two containers (pause and the pod-level cgroup excluded): 820 + 30 MB, request 520 MB.
    expect(rows[1]).toMatchObject({
      'working set': ws(c.app) + ws(c.sidecar),
      [FIELD_REQUEST]: 520 * MB,
      [FIELD_ABOVE_REQUEST]: ws(c.app) + ws(c.sidecar) - 520 * MB,
      'real used': 720 * MB + 30 * MB,
    });
    expect(rows[2]).toMatchObject({ [FIELD_EXCEEDS]: 'no', [FIELD_ABOVE_REQUEST]: ws(c.postgres) - 1000 * MB });
    // web-0 has no request: the kubelet counts 0.
    const nginx = nodeSpec(NODE_B).containers[0].stat;
    expect(rows[3]).toMatchObject({ [FIELD_REQUEST]: null, [FIELD_ABOVE_REQUEST]: ws(nginx), [FIELD_EXCEEDS]: 'yes' });
    const notices = noticesOf([frame]);
    expect(notices).toMatch(/Pod priority is not exported by kube-state-metrics/);
    expect(notices).toMatch(/1 pods have no file-cache series/);
  });

  it('only the selected nodes', async () => {
    const [frame] = await run({ showEvictionOrder: true, node: NODE_B });
    expect(rowsOf(frame).map((r) => r.pod)).toEqual(['web-0']);
  });

  it('the fourth "Show" choice gives what the old switch gave (stored dashboards keep it)', async () => {
    const [choice] = await run({ nodeView: 'evictionOrder' });
    const [switched] = await run({ showEvictionOrder: true, nodeView: 'table' });
    expect(rowsOf(choice)).toEqual(rowsOf(switched));
    expect(rowsOf(choice).length).toBeGreaterThan(1);
  });
});

describe('nodes variable and node picker', () => {
  it('lists the nodes with a root cgroup, from the root-cgroup series', async () => {
    const range = { from: dateTime(data.start * 1000), to: dateTime(data.end * 1000), raw: { from: '', to: '' } };
    const support = ds.variables as RealMemoryVariableSupport;
    const variable = await lastValueFrom(
      support.query({ targets: [{ refId: 'v', type: 'nodes' }], range, scopedVars: {} } as unknown as Parameters<
        RealMemoryVariableSupport['query']
      >[0])
    );
    expect(variable.data[0].fields[0].values).toEqual([NODE_A, NODE_B, NODE_C]);
    expect(backend.requests.at(-1)?.url).toMatch(/label\/node\/values/);
    expect(decodeURIComponent(backend.requests.at(-1)!.url)).toMatch(/container_memory_working_set_bytes\{id="\/"\}/);
    expect(await ds.getLabelValues(ds.nodeLabel, { rootCgroups: true, selector: 'job="kubelet"' }, range)).toEqual([
      NODE_A,
      NODE_B,
      NODE_C,
    ]);
  });
});

describe("the provisioned dashboard's Nodes row", () => {
  const dashboard = JSON.parse(
    fs.readFileSync(path.resolve(__dirname, '../../provisioning/dashboards/real-memory.json'), 'utf8')
  );
  const nodePanels = dashboard.panels.filter((p: any) => (p.targets ?? []).some((t: any) => t.view === 'nodes'));

  it('every node panel answers through query() with frames whose fields its overrides name', async () => {
    expect(nodePanels.length).toBe(4);
    for (const panel of nodePanels) {
      const { datasource: _, ...target } = panel.targets[0];
      const res = await runQuery(ds, request([target]));
      expect(res.errors ?? []).toEqual([]);
      const names = new Set((res.data as DataFrame[]).flatMap((f) => f.fields.map((x) => x.name)));
      expect(names.size).toBeGreaterThan(1);
      const overridden: string[] = panel.fieldConfig.overrides.map((o: any) => o.matcher.options);
      expect(overridden.filter((n) => !names.has(n))).toEqual([]);
    }
  });
});
