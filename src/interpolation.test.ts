import '../test/support/polyfills';
import { dateTime, CoreApp, DataQueryRequest } from '@grafana/data';
import { parser } from '@prometheus-io/lezer-promql';
import { lastValueFrom } from 'rxjs';

import { installBackendSrv, SentRequest } from '../test/support/backendSrv';
import { makeDataSource } from '../test/support/dataSource';
import { inMemory, success } from '../test/support/grafanaServer';
import { installTemplateSrv, TestVariable } from '../test/support/templateSrv';
import { NEW_QUERY_TOP_N } from './query/defaults';
import { LabelMatcher, parseExtraSelector } from './prometheus/extraSelector';
import { RealMemoryQuery, RealMemoryVariableQuery } from './types';
import { RealMemoryVariableSupport } from './variables';

const variableQuery = (ds: ReturnType<typeof makeDataSource>, q: object) =>
  lastValueFrom((ds.variables as RealMemoryVariableSupport).query(request([q as RealMemoryQuery]) as any));

/**
 * Dashboard values that try to break out of a matcher or widen a regex, interpolated by the
 * data source itself (query(), editors' lookups, variables, Explore) and read back from the
 * PromQL it sends: a PromQL parser counts the matchers, the values are decoded and run as
 * anchored regexes against what they must and must not match.
 */
const EVIL = ['a"b', 'c\\d', 'e|f', 'g.*', 'h}i', 'ünï€😀', 'x", pod=~".+'];
const VARS: TestVariable[] = [
  { name: 'evil', value: EVIL },
  { name: 'one', value: 'k"}{l' },
  { name: 'ns', value: 'shop' },
];
const EXCLUSIONS = 4; // container!="", container!="POD", pod!="", image!=""
/** On a plain selector (container level) the plugin checks pod and image itself (promql.ts, plainSelector). */
const PLAIN_EXCLUSIONS = 2;

function prometheus(req: SentRequest) {
  if (req.path === '/api/v1/query_range') {
    return success({ resultType: 'matrix', result: [] });
  }
  return success([]);
}

/** The matchers of the one vector selector in `promql`, checked by Prometheus' own grammar. */
function matchersOf(promql: string): LabelMatcher[] {
  const tree = parser.parse(promql);
  let selectors = 0;
  let matchers = 0;
  let errors = 0;
  tree.iterate({
    enter: (n) => {
      selectors += n.name === 'VectorSelector' ? 1 : 0;
      matchers += n.name === 'UnquotedLabelMatcher' ? 1 : 0;
      errors += n.type.isError ? 1 : 0;
    },
  });
  expect({ errors, selectors }).toEqual({ errors: 0, selectors: 1 });
  const inside = /\{(.*)\}/s.exec(promql)![1];
  const parsed = parseExtraSelector(inside);
  if (!parsed.ok) {
    throw new Error(parsed.error);
  }
  expect(parsed.matchers).toHaveLength(matchers);
  return parsed.matchers;
}

const anchored = (m: LabelMatcher) => new RegExp(`^(?:${m.value})$`, 'u');
const request = (targets: RealMemoryQuery[]) =>
  ({
    requestId: 'Q1',
    targets,
    range: { from: dateTime(1_700_000_000_000), to: dateTime(1_700_003_600_000), raw: { from: 'now-1h', to: 'now' } },
    interval: '15s',
    intervalMs: 15000,
    maxDataPoints: 500,
    scopedVars: {},
    timezone: 'UTC',
    app: CoreApp.Dashboard,
    startTime: 0,
  }) as unknown as DataQueryRequest<RealMemoryQuery>;

async function sentPromQL(target: Omit<RealMemoryQuery, 'refId'>): Promise<string> {
  const sent = installBackendSrv(inMemory(prometheus)).requests;
  await lastValueFrom(makeDataSource().query(request([{ refId: 'A', ...target }])));
  const queries = sent.filter((r) => r.path === '/api/v1/query_range').map((r) => r.query!);
  expect(queries.length).toBeGreaterThan(0);
  return queries[0];
}

beforeEach(() => installTemplateSrv(VARS));

describe('interpolation in query()', () => {
  it('a multi-value variable becomes one regex matcher matching exactly its values', async () => {
    const matchers = matchersOf(await sentPromQL({ namespace: '$evil' }));
    expect(matchers).toHaveLength(1 + PLAIN_EXCLUSIONS);
    const ns = matchers.find((m) => m.label === 'namespace')!;
    expect(ns.op).toBe('=~');
    for (const v of EVIL) {
      expect(anchored(ns).test(v)).toBe(true);
    }
    for (const other of ['ab', 'e', 'f', 'gxyz', 'g', 'x', 'c\\\\d', 'cd']) {
      expect(anchored(ns).test(other)).toBe(false);
    }
  });

  it('literal text around a variable is matched exactly', async () => {
    const pod = matchersOf(await sentPromQL({ pod: 'api.$one' })).find((m) => m.label === 'pod' && m.op === '=~')!;
    expect(anchored(pod).test('api.k"}{l')).toBe(true);
    expect(anchored(pod).test('apiXk"}{l')).toBe(false);
  });

  it('a typed /regex/ stays a regex; variables inside it are escaped', async () => {
    const pod = matchersOf(await sentPromQL({ pod: '/web-.+-$evil/' })).find(
      (m) => m.label === 'pod' && m.op === '=~'
    )!;
    expect(anchored(pod).test('web-1-g.*')).toBe(true);
    expect(anchored(pod).test('web-1-gzz')).toBe(false);
  });

  it('a plain value with quotes and braces is an exact matcher and adds no matchers', async () => {
    const matchers = matchersOf(await sentPromQL({ container: 'x", pod=~".+' }));
    // container="…" implies container!="", which is left out (promql.ts, withoutImpliedExclusions).
    expect(matchers).toHaveLength(1 + PLAIN_EXCLUSIONS - 1);
    expect(matchers).toContainEqual({ label: 'container', op: '=', value: 'x", pod=~".+' });
  });
});

describe('exclusions and the cluster filter in query()', () => {
  it('a leading ! negates: !value → !=, !/regex/ → !~, !$var → !~ over the escaped values', async () => {
    const matchers = matchersOf(
      await sentPromQL({ namespace: '!kube-system', pod: '!/canary-.*/', container: '!$evil' })
    );
    expect(matchers).toHaveLength(3 + PLAIN_EXCLUSIONS);
    expect(matchers).toContainEqual({ label: 'namespace', op: '!=', value: 'kube-system' });
    expect(matchers).toContainEqual({ label: 'pod', op: '!~', value: 'canary-.*' });
    const container = matchers.find((m) => m.label === 'container' && m.op === '!~')!;
    expect(EVIL.every((v) => anchored(container).test(v))).toBe(true);
    expect(anchored(container).test('gx')).toBe(false);
  });

  it('an excluded value with quotes and braces stays one matcher, matched exactly', async () => {
    const matchers = matchersOf(await sentPromQL({ namespace: '!x", pod=~".+' }));
    expect(matchers).toHaveLength(1 + PLAIN_EXCLUSIONS);
    expect(matchers).toContainEqual({ label: 'namespace', op: '!=', value: 'x", pod=~".+' });
  });

  it('the cluster filter matches on the data source cluster label', async () => {
    const sent = installBackendSrv(inMemory(prometheus)).requests;
    const ds = makeDataSource({ clusterLabel: 'k8s_cluster' });
    await lastValueFrom(ds.query(request([{ refId: 'A', cluster: '$one', namespace: 'shop' }])));
    const promql = sent.find((r) => r.path === '/api/v1/query_range')!.query!;
    const cluster = matchersOf(promql).find((m) => m.label === 'k8s_cluster')!;
    expect(cluster.op).toBe('=~');
    expect(anchored(cluster).test('k"}{l')).toBe(true);
    expect(anchored(cluster).test('k')).toBe(false);
  });
});

describe('interpolation in lookups and variables', () => {
  it('the editor lookups scope by escaped values', async () => {
    const sent = installBackendSrv(inMemory(prometheus)).requests;
    await makeDataSource().getLabelValues('pod', { namespace: '$evil' });
    const ns = matchersOf(sent[0].match[0]).find((m) => m.label === 'namespace')!;
    expect(EVIL.every((v) => anchored(ns).test(v))).toBe(true);
    expect(anchored(ns).test('gx')).toBe(false);
  });

  it('a variable query selector is parsed before interpolation, so values cannot add matchers', async () => {
    const sent = installBackendSrv(
      inMemory((req) => success(req.path.includes('/label/') ? ['n1', 'n2'] : []))
    ).requests;
    const ds = makeDataSource();
    const query: RealMemoryVariableQuery = {
      refId: 'v',
      type: 'labelValues',
      label: 'node',
      selector: 'node=~"$evil", job="kube-$one"',
    };
    const response = await variableQuery(ds, query);
    expect(response.data[0].fields[0].values).toEqual(['n1', 'n2']);
    expect(sent[0].path).toBe('/api/v1/label/node/values');
    const matchers = matchersOf(sent[0].match[0]);
    expect(matchers).toHaveLength(2 + EXCLUSIONS);
    const node = matchers.find((m) => m.label === 'node')!;
    expect(EVIL.every((v) => anchored(node).test(v))).toBe(true);
    const job = matchers.find((m) => m.label === 'job')!;
    expect(job.op).toBe('=~'); // equality holding a variable becomes an escaped regex
    expect(anchored(job).test('kube-k"}{l')).toBe(true);
    expect(anchored(job).test('kube-x')).toBe(false);
  });

  it('an invalid variable selector fails with the parser message', async () => {
    installBackendSrv(inMemory(prometheus));
    const query = { refId: 'v', type: 'pods', selector: 'job=kubelet' };
    await expect(variableQuery(makeDataSource(), query)).rejects.toThrow(
      /Invalid selector: the value of "job" must be quoted/
    );
  });

  it('Explore gets the resolved values in the filter syntax, and they select the same series', async () => {
    const ds = makeDataSource();
    const [q] = ds.interpolateVariablesInQueries(
      [{ refId: 'A', namespace: '$evil', pod: 'api.$one', container: 'app' }],
      {}
    );
    expect(q.container).toBe('app');
    expect(q.namespace!.startsWith('/') && q.namespace!.endsWith('/')).toBe(true);
    // With no variables left, the interpolated query yields the same matchers as the original.
    const before = matchersOf(await sentPromQL({ namespace: '$evil', pod: 'api.$one' }));
    installTemplateSrv([]);
    const after = matchersOf(await sentPromQL({ namespace: q.namespace, pod: q.pod }));
    expect(after).toEqual(before);
  });

  it('Explore gets the node filter resolved too', () => {
    const [q] = makeDataSource().interpolateVariablesInQueries([{ refId: 'A', view: 'nodes', node: '$evil' }], {});
    expect(q.node!.startsWith('/') && q.node!.endsWith('/')).toBe(true);
    expect(q.node).not.toContain('$evil');
  });

  it('Explore keeps exclusions, and an exact value that looks like an exclusion stays exact', async () => {
    const ds = makeDataSource();
    const [q] = ds.interpolateVariablesInQueries(
      [{ refId: 'A', namespace: '!$evil', pod: '/!literal/', container: '!app' }],
      {}
    );
    expect(q.namespace!.startsWith('!/')).toBe(true);
    expect(q.container).toBe('!app');
    const before = matchersOf(await sentPromQL({ namespace: '!$evil', pod: '/!literal/', container: '!app' }));
    installTemplateSrv([]);
    const after = matchersOf(await sentPromQL({ namespace: q.namespace, pod: q.pod, container: q.container }));
    expect(after).toEqual(before);
  });

  it('a new query, in a panel or in Explore, is bounded to the top 10 by real used', () => {
    const ds = makeDataSource();
    for (const app of [CoreApp.Explore, CoreApp.Dashboard, CoreApp.PanelEditor]) {
      expect(ds.getDefaultQuery(app)).toMatchObject({ view: 'realVsWorkingSet', topN: NEW_QUERY_TOP_N });
    }
    expect(NEW_QUERY_TOP_N).toBe(10);
  });
});

describe('ad-hoc filters', () => {
  it('keys and values come from the cAdvisor memory series, narrowed by the other filters', async () => {
    const sent = installBackendSrv(
      inMemory((req) => success(req.path === '/api/v1/labels' ? ['__name__', 'namespace', 'node'] : ['n1']))
    ).requests;
    const ds = makeDataSource();
    const filters = [{ key: 'namespace', operator: '=', value: 'a"b' }];
    expect(await ds.getTagKeys({ filters } as any)).toEqual([{ text: 'namespace' }, { text: 'node' }]);
    expect(await ds.getTagValues({ key: 'node', filters } as any)).toEqual([{ text: 'n1' }]);
    for (const req of sent) {
      const matchers = matchersOf(req.match[0]);
      expect(matchers).toContainEqual({ label: 'namespace', op: '=', value: 'a"b' });
      expect(req.match[0].startsWith('container_memory_working_set_bytes{')).toBe(true);
    }
  });

  it('query() applies the filters Grafana passes in request.filters', async () => {
    const sent = installBackendSrv(inMemory(prometheus)).requests;
    const req = request([{ refId: 'A' }]);
    (req as any).filters = [{ key: 'node', operator: '=~', value: 'worker-.*' }];
    await lastValueFrom(makeDataSource().query(req));
    const promql = sent.find((r) => r.path === '/api/v1/query_range')!.query!;
    expect(matchersOf(promql)).toContainEqual({ label: 'node', op: '=~', value: 'worker-.*' });
  });
});
