/**
 * Hostile settings and stored queries, as a property: fast-check writes arbitrary JSON into the data
 * source's jsonData and into stored queries (wrong types, missing keys, huge strings, nested
 * objects, and values near the valid ones), and each case goes through the data source's
 * constructor, "Save & test" and query() against a real Prometheus. Every case answers, promptly,
 * with frames or with errors that name a key or a setting: never an exception, a TypeError, or a
 * message that does not say what to fix. Unseeded: each run tries new cases (fast-check prints the
 * seed of a failure to replay it).
 */
import '../support/polyfills';

import fc from 'fast-check';

import { DataSource } from '../../src/datasource';
import { FIELD_LABELS } from '../../src/query/validate';
import { SETTING_KINDS } from '../../src/settings/typedSettings';
import { FORMULAS, GROUP_BYS, HEADROOM_UNITS, NODE_VIEWS, RealMemoryOptions, RealMemoryQuery } from '../../src/types';
import { MEMORY_VIEWS } from '../../src/views/registry';
import { buildDataset } from '../fixtures/cadvisor';
import { installBackendSrv } from '../support/backendSrv';
import { makeDataSource, panelRequest, runQuery } from '../support/dataSource';
import { RunningPrometheus, startPrometheus } from '../support/prometheus';
import { installTemplateSrv } from '../support/templateSrv';

jest.setTimeout(600000);

/** Cases per property; README's Reliability section gives these numbers. */
const SETTINGS_RUNS = 400;
const QUERY_RUNS = 1000;
/** A case slower than this is a hang (the plugin's own work on one case is milliseconds). */
const PROMPT_MS = 1000;

const dataset = buildDataset('new');
let prometheus: RunningPrometheus;

beforeAll(async () => {
  prometheus = await startPrometheus({ openMetrics: dataset.openMetrics });
  installBackendSrv({ fuzz: prometheus.url });
  installTemplateSrv([{ name: 'ns', value: ['shop', 'data'] }]);
}, 120000);

afterAll(() => prometheus?.stop());

/** Text a user, a template or a tool might store: plausible values, odd characters, huge strings. */
const text = fc.oneof(
  fc.constantFrom(
    '',
    ' ',
    'shop',
    '!shop',
    '/sh.*/',
    '!/kube-.*/',
    '$ns',
    '${ns}',
    '/(/',
    '{{pod}}',
    '30s',
    '1e9',
    '5%'
  ),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.string({ minLength: 2000, maxLength: 6000 })
);
/** Any JSON, the right type or not. */
const anything = fc.oneof(fc.jsonValue({ maxDepth: 3 }), text, fc.constant(null));
/**
 * Mostly values of the right kind, sometimes anything: with a dozen keys, wrong ones everywhere
 * would stop every case at the door, and the run behind it would go untried.
 */
const mostly = <T>(valid: fc.Arbitrary<T>) =>
  fc.oneof({ weight: 9, arbitrary: valid }, { weight: 1, arbitrary: anything });
const oneOf = <T>(values: readonly T[]) => mostly(fc.constantFrom(...values));
const flag = oneOf([true, false, 'true', 'false']);
const filter = mostly(text);

const SETTING_VALUES: Record<keyof typeof SETTING_KINDS, fc.Arbitrary<unknown>> = {
  defaultFormula: oneOf(FORMULAS),
  namespaceLabel: oneOf(['namespace', 'kubernetes_namespace', 'k8s-ns', '']),
  podLabel: oneOf(['pod', '']),
  containerLabel: oneOf(['container', '']),
  clusterLabel: oneOf(['cluster', 'k8s_cluster']),
  extraSelector: mostly(fc.oneof(fc.constantFrom('', 'job="kubelet"', 'cluster=prod', 'pod=~"web-\\d+"'), text)),
  nodeLabel: oneOf(['node', 'instance', 'a.b']),
  evictionHard: mostly(fc.oneof(fc.constantFrom('100Mi', '5%', 1e9, 500, '100m', '0%'), text)),
  evictionSoft: mostly(fc.oneof(fc.constantFrom('', '1Gi', 1e9), text)),
  bearerUrl: oneOf(['http://prom:9090']),
  bearerAuth: oneOf([false, 'false', 'no']),
  incrementalRefresh: flag,
};
const settings = fc.oneof(
  { weight: 1, arbitrary: anything },
  { weight: 6, arbitrary: fc.record(SETTING_VALUES, { requiredKeys: [] }) }
);

const QUERY_FIELDS = {
  view: oneOf(MEMORY_VIEWS),
  groupBy: oneOf(GROUP_BYS),
  formula: oneOf(FORMULAS),
  headroomUnit: oneOf(HEADROOM_UNITS),
  nodeView: oneOf(NODE_VIEWS),
  topN: oneOf([0, 1, 5, '3', -1, 2.5]),
  minStep: oneOf(['', '15s', '1m', '$step', 'soon']),
  cluster: filter,
  namespace: mostly(fc.oneof(fc.constantFrom('shop', '$ns', ['shop', 'data']), text)),
  pod: filter,
  container: filter,
  node: filter,
  legendFormat: mostly(fc.oneof(fc.constantFrom('{{pod}}', '{{nope}}/{{container}}'), text)),
  showUsage: flag,
  showLimits: flag,
  showPressure: flag,
  showEvictionOrder: flag,
  incremental: flag,
};
const query = fc.record(QUERY_FIELDS, { requiredKeys: [] });

/** What a message may name: a query key, the editor's label of its field, or a setting's title (or its key). */
const NAMES = [
  ...Object.keys(QUERY_FIELDS),
  ...Object.values(FIELD_LABELS).map((label) => `${label} must be`),
  ...Object.entries(SETTING_KINDS).flatMap(([key, { title }]) => [key, title]),
];
const namesAKey = (message: string) => NAMES.some((name) => message.includes(name));
const CRASH = /is not a function|Cannot read propert|undefined|TypeError|\[object Object\]/;

function errorProblem(message: string): string | undefined {
  if (CRASH.test(message)) {
    return `crashed: ${message}`;
  }
  return namesAKey(message) ? undefined : `names no key: ${message}`;
}

let slowestMs = 0;

async function timed<T>(what: string, work: () => Promise<T>): Promise<T> {
  const started = Date.now();
  const result = await work();
  const took = Date.now() - started;
  slowestMs = Math.max(slowestMs, took);
  if (took > PROMPT_MS) {
    throw new Error(`${what} took ${took} ms`);
  }
  return result;
}

function build(jsonData: unknown): DataSource {
  return makeDataSource(jsonData as RealMemoryOptions, 'fuzz');
}

it('arbitrary settings: the data source loads, "Save & test" and a query answer, naming the setting', async () => {
  let healthy = 0;
  await fc.assert(
    fc.asyncProperty(settings, async (jsonData) => {
      const ds = build(jsonData);
      const test = await timed('Save & test', () => ds.testDatasource());
      if (test.status === 'success') {
        healthy++;
      } else {
        expect(errorProblem(test.message)).toBeUndefined();
      }
      const res = await timed('query', () =>
        runQuery(ds, panelRequest([{ refId: 'A', namespace: 'shop' }], dataset.start, dataset.end))
      );
      for (const error of res.errors ?? []) {
        expect(errorProblem(error.message ?? '')).toBeUndefined();
      }
    }),
    { numRuns: SETTINGS_RUNS }
  );
  console.log(
    `${SETTINGS_RUNS} settings: ${healthy} passed Save & test, the rest named a setting; slowest case ${slowestMs} ms`
  );
  // The property must reach Prometheus, not only the door.
  expect(healthy).toBeGreaterThan(SETTINGS_RUNS / 10);
});

it('arbitrary stored queries: frames, or errors that name the key', async () => {
  const ds = build({});
  let framesAnswered = 0;
  await fc.assert(
    fc.asyncProperty(query, async (stored) => {
      const target = { refId: 'A', ...stored } as RealMemoryQuery;
      const res = await timed('query', () => runQuery(ds, panelRequest([target], dataset.start, dataset.end)));
      for (const error of res.errors ?? []) {
        expect(errorProblem(error.message ?? '')).toBeUndefined();
      }
      if ((res.errors ?? []).length === 0) {
        framesAnswered++;
        expect(res.data.length).toBeGreaterThan(0);
      }
      expect(() => ds.getQueryDisplayText(target)).not.toThrow();
    }),
    { numRuns: QUERY_RUNS }
  );
  console.log(
    `${QUERY_RUNS} stored queries: ${framesAnswered} answered with frames, the rest named a key; slowest case ${slowestMs} ms`
  );
  // The property must reach the run, not only the door: many cases answer with frames.
  expect(framesAnswered).toBeGreaterThan(QUERY_RUNS / 10);
});
