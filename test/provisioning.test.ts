/**
 * The provisioned files and the docker compose stack, checked by reading them: the data source
 * YAML names this plugin, every dashboard target type-checks as this plugin's query model
 * (TypeScript compiler, excess-property checks included), every variable uses this data source,
 * the table panel's transformations turn this plugin's own frames into one row per container,
 * the headroom and leak-check panels' overrides (applied by Grafana's applyFieldOverrides) fit the
 * fields this plugin returns, the OOM/restart annotation is this plugin's query,
 * and the compose file parses and pins every image.
 */
import { execFileSync } from 'child_process';
import fs from 'fs';
import os from 'os';
import path from 'path';
import yaml from 'js-yaml';
import ts from 'typescript';
import { lastValueFrom } from 'rxjs';
import {
  DataFrame,
  FieldConfigOptionsRegistry,
  applyFieldOverrides,
  colorManipulator,
  createTheme,
  standardTransformers,
  standardTransformersRegistry,
  transformDataFrame,
} from '@grafana/data';

import { isEventsQuery, memoryAnnotationSupport } from '../src/annotations';
import { validateNodeOptions, validateQuery } from '../src/query/validate';
import { MEANING_COLOUR } from '../src/frames/colours';
import { FIELD_ROOM_KUBELET, FIELD_ROOM_OOM, PERCENT_SUFFIX, headroomFrame } from '../src/frames/headroomFrames';
import {
  FIELD_CACHE_SLOPE,
  FIELD_FIT,
  FIELD_REAL_SLOPE,
  FIELD_TIME_TO_LIMIT,
  FIELD_VERDICT,
  LeakRow,
  leakFrame,
} from '../src/frames/leakFrames';
import { breakdownFrame, realVsWorkingSetFrame } from '../src/frames/memoryFrames';
import {
  FIELD_CACHE_SHARE,
  FIELD_EXCEEDS,
  FIELD_RANK,
  FIELD_ROOM,
  evictionOrderFrame,
  nodeTableFrame,
} from '../src/frames/nodeFrames';
import { evictionOrder } from '../src/memory/evictionOrder';
import { nodeSignal } from '../src/memory/nodes';
import { headroom } from '../src/memory/headroom';
import {
  VERDICT_CACHE,
  VERDICT_CYCLING,
  VERDICT_KERNEL,
  VERDICT_LEAK,
  VERDICT_NO_DATA,
  VERDICT_STABLE,
  leakVerdict,
  verdictThrashing,
  verdictTooShort,
} from '../src/memory/leakVerdict';
import { deriveBreakdown, deriveRealVsWorkingSet } from '../src/memory/derive';
import { GroupSeries } from '../src/memory/series';

const ROOT = path.resolve(__dirname, '..');
const read = (p: string) => fs.readFileSync(path.join(ROOT, p), 'utf8');
const PLUGIN = JSON.parse(read('src/plugin.json'));
const DASHBOARD = JSON.parse(read('provisioning/dashboards/real-memory.json'));
const DATASOURCES = yaml.load(read('provisioning/datasources/real-memory.yml')) as any;
const COMPOSE = yaml.load(read('docker-compose.yml')) as any;
const DS = DATASOURCES.datasources[0];

describe('provisioned data source', () => {
  it('names the plugin id, the compose Prometheus and a uid the dashboard uses', () => {
    expect(DATASOURCES.datasources).toHaveLength(1);
    expect(DS.type).toBe(PLUGIN.id);
    expect(DS.uid).toBe('real-memory');
    expect(DS.access).toBe('proxy');
    expect(DS.url).toBe('http://prometheus:9090');
    expect(Object.keys(COMPOSE.services)).toContain(new URL(DS.url).hostname);
    // The bearer route in plugin.json reads the URL from jsonData.
    expect(DS.jsonData.bearerUrl).toBe(DS.url);
  });

  it('provisions the node options, and the data source accepts them', () => {
    expect(DS.jsonData).toMatchObject({ nodeLabel: 'node', evictionHard: '100Mi' });
    expect(validateNodeOptions(DS.jsonData)).toEqual({
      ok: true,
      settings: { nodeLabel: 'node', evictionHard: { bytes: 100 * 2 ** 20 }, evictionSoft: undefined },
    });
  });

  it('the scaffold example data source is gone', () => {
    expect(fs.existsSync(path.join(ROOT, 'provisioning/datasources/datasources.yml'))).toBe(false);
  });
});

describe('provisioned dashboard', () => {
  const panels: any[] = DASHBOARD.panels;
  const targets = panels.flatMap((p) => p.targets ?? []);
  const variables: any[] = DASHBOARD.templating.list;

  it('is the dashboard the brief asks for, found where the provider looks', () => {
    expect(DASHBOARD.title).toBe('Container memory: real used vs working set');
    const provider = (yaml.load(read('provisioning/dashboards/real-memory.yml')) as any).providers[0];
    const grafana = COMPOSE.services.grafana;
    const mount = grafana.volumes.find((v: string) => v.startsWith('./provisioning:'));
    const inContainer = mount.split(':')[1];
    expect(provider.options.path.startsWith(inContainer)).toBe(true);
    const onHost = path.join(
      ROOT,
      'provisioning',
      path.relative(inContainer, provider.options.path),
      'real-memory.json'
    );
    expect(fs.existsSync(onHost)).toBe(true);
    expect(grafana.environment.GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH).toBe(
      path.posix.join(provider.options.path, 'real-memory.json')
    );
  });

  it('has the namespace, pod and container variables, each on this data source', () => {
    expect(variables.map((v) => v.name)).toEqual(expect.arrayContaining(['namespace', 'pod', 'container']));
    for (const v of variables) {
      expect(v.datasource).toEqual({ type: PLUGIN.id, uid: DS.uid });
    }
  });

  it('every panel and target uses this data source', () => {
    expect(targets.length).toBeGreaterThanOrEqual(4);
    // Rows only group panels: no data source, no targets.
    for (const p of panels.filter((panel) => panel.type !== 'row')) {
      expect(p.datasource).toEqual({ type: PLUGIN.id, uid: DS.uid });
      for (const t of p.targets) {
        expect(t.datasource).toEqual({ type: PLUGIN.id, uid: DS.uid });
      }
    }
  });

  it('has panels for real used vs working set, the stacked breakdown and a table of current values', () => {
    const views = (p: any) => p.targets.map((t: any) => t.view);
    expect(panels.some((p) => p.type === 'timeseries' && views(p).includes('realVsWorkingSet'))).toBe(true);
    expect(
      panels.some(
        (p) =>
          p.type === 'timeseries' &&
          views(p).includes('breakdown') &&
          p.fieldConfig.defaults.custom.stacking.mode === 'normal'
      )
    ).toBe(true);
    expect(panels.some((p) => p.type === 'table')).toBe(true);
  });

  it('every target and variable query type-checks as this plugin query model (no unknown keys, allowed values)', () => {
    const variableQueries = variables.filter((v) => v.type === 'query').map((v) => v.query);
    const lines = [
      `import { RealMemoryQuery, RealMemoryVariableQuery } from './types';`,
      ...targets.map((t, i) => `export const t${i} = ${JSON.stringify(t)} satisfies RealMemoryQuery;`),
      ...variableQueries.map((q, i) => `export const v${i} = ${JSON.stringify(q)} satisfies RealMemoryVariableQuery;`),
    ];
    const errors = typeCheck(lines.join('\n'));
    expect(errors).toEqual([]);
    // And the data source's own check of stored queries accepts every target.
    expect(targets.map((t) => validateQuery(t).ok)).toEqual(targets.map(() => true));
    // The check itself must be able to fail: a wrong view and an unknown key are refused.
    const check = (t: object) =>
      typeCheck(
        `import { RealMemoryQuery } from './types';\nexport const x = ${JSON.stringify(t)} satisfies RealMemoryQuery;`
      );
    expect(check({ ...targets[0], view: 'workingSet' }).join('\n')).toMatch(/workingSet/);
    expect(check({ ...targets[0], namesapce: 'x' }).join('\n')).toMatch(/namesapce/);
  });

  it('the table turns this plugin frames into one row per container with working set, real used, active and inactive file', async () => {
    // Grafana registers these at start-up; one id appears under two names (seriesToColumns = joinByField).
    const byId = new Map(Object.values(standardTransformers).map((t) => [t.id, t]));
    standardTransformersRegistry.setInit(
      () => [...byId.values()].map((t) => ({ id: t.id, name: t.name, transformation: async () => t })) as any
    );
    const table = panels.find((p) => p.title === 'Current values per container');
    // the worked example (docs/architecture.md) for one container, and a second container with other figures.
    const frames = [
      ...containerFrames(
        { namespace: 'shop', pod: 'api-0', container: 'app' },
        { usage: 101e6, rss: 20e6, cache: 80e6, active: 30e6, inactive: 48e6 }
      ),
      ...containerFrames(
        { namespace: 'shop', pod: 'web-1', container: 'nginx' },
        { usage: 60e6, rss: 10e6, cache: 49e6, active: 40e6, inactive: 8e6 }
      ),
    ];
    const [result] = await lastValueFrom(transformDataFrame(table.transformations, frames));
    const columns = result.fields.map((f) => f.name);
    expect(columns).toEqual([
      'namespace',
      'pod',
      'container',
      'working set',
      'real used',
      'active file',
      'inactive file',
    ]);
    const rows = Array.from({ length: result.length }, (_, i) =>
      Object.fromEntries(result.fields.map((f) => [f.name, f.values[i]]))
    );
    expect(rows).toEqual([
      // sorted by working set, largest first
      {
        namespace: 'shop',
        pod: 'api-0',
        container: 'app',
        'working set': 53e6,
        'real used': 23e6,
        'active file': 30e6,
        'inactive file': 48e6,
      },
      {
        namespace: 'shop',
        pod: 'web-1',
        container: 'nginx',
        'working set': 52e6,
        'real used': 12e6,
        'active file': 40e6,
        'inactive file': 8e6,
      },
    ]);
  });
});

describe('provisioned dashboard: headroom, leak check and OOM/restart annotations', () => {
  const panels: any[] = DASHBOARD.panels;
  const viewsOf = (p: any): string[] => (p.targets ?? []).map((t: any) => t.view);
  const headroomPanel = panels.find((p) => viewsOf(p).includes('headroom'));
  const leakPanel = panels.find((p) => viewsOf(p).includes('leakCheck'));
  const theme = createTheme();

  it('shows limits on the real-used panel and has a headroom graph and a leak-check table', () => {
    const realVsWs = panels.find((p) => p.type === 'timeseries' && viewsOf(p).includes('realVsWorkingSet'));
    expect(realVsWs.targets[0].showLimits).toBe(true);
    expect(headroomPanel.type).toBe('timeseries');
    expect(headroomPanel.title).toMatch(/Headroom/);
    expect(leakPanel.type).toBe('table');
    expect(leakPanel.title).toBe('Leak or page cache?');
    // Panels do not overlap: each starts where the one above ends.
    const byY = [...panels].sort((a, b) => a.gridPos.y - b.gridPos.y);
    byY.slice(1).forEach((p, i) => expect(p.gridPos.y).toBe(byY[i].gridPos.y + byY[i].gridPos.h));
  });

  it('every override names a Grafana option that exists (unknown ids are ignored silently by Grafana)', () => {
    const ids = panels
      .filter((p) => p.type !== 'row')
      .flatMap((p) => p.fieldConfig.overrides.flatMap((o: any) => o.properties.map((x: any) => x.id)));
    expect(ids.length).toBeGreaterThan(0);
    expect(ids.filter((id) => !GRAFANA_OPTION_IDS.includes(id))).toEqual([]);
  });

  it('headroom: in % of the limit as the plugin sends it, on one axis, soft min 0, colours the panel does not override', () => {
    const ctx = {
      refId: 'A',
      timestamps: [1_700_000_000_000, 1_700_000_060_000],
      labels: { namespace: 'shop', pod: 'api-0', container: 'app' },
      legend: 'shop/api-0/app',
      notices: [],
      executedQueryString: '',
    };
    const unit = headroomPanel.targets[0].headroomUnit;
    expect(unit).toBe('percent');
    const frame = headroomFrame(
      ctx,
      headroom({ limit: [1e9, 1e9], realUsed: [1e8, 2e8], workingSet: [5e8, 6e8] }),
      unit
    );
    const [out] = applyPanelConfig(headroomPanel, [frame]);
    const values = out.fields.filter((f) => f.name !== 'Time');
    expect(values.map((f) => f.name)).toEqual([FIELD_ROOM_OOM + PERCENT_SUFFIX, FIELD_ROOM_KUBELET + PERCENT_SUFFIX]);
    for (const f of values) {
      expect(f.config.unit).toBe('percent');
      expect(f.config.custom?.axisSoftMin).toBe(0);
      expect(f.config.custom?.axisPlacement).toBeUndefined();
    }
    expect(values.map((f) => f.config.color?.fixedColor)).toEqual([MEANING_COLOUR.realUsed, MEANING_COLOUR.workingSet]);
  });

  it('leak check: overrides name fields this plugin returns; verdict cells red for a leak, amber for kernel growth and thrashing, green for cache and stable, grey when short or unknown', () => {
    const times = Array.from({ length: 25 }, (_, i) => 1_700_000_000_000 + i * 300_000); // 2 h, 5 min steps
    const hours = (i: number) => (i * 300_000) / 3_600_000;
    const MB = 1e6;
    const row = (container: string, realUsed: Array<number | null>, fileCache: Array<number | null>): LeakRow => ({
      labels: { namespace: 'shop', pod: `${container}-0`, container },
      result: leakVerdict({ times, realUsed, fileCache, limit: 2000 * MB }),
    });
    const rows = [
      row(
        'leaky',
        times.map((_, i) => 200 * MB + 50 * MB * hours(i)),
        times.map(() => 20 * MB)
      ),
      row(
        'logger',
        times.map(() => 200 * MB),
        times.map((_, i) => 20 * MB + 40 * MB * hours(i))
      ),
      row(
        'calm',
        times.map((_, i) => 200 * MB + (i % 2) * MB),
        times.map(() => 20 * MB)
      ),
      row(
        'empty',
        times.map(() => null),
        times.map(() => null)
      ),
    ];
    // The inputs give each verdict (otherwise the colour checks below prove nothing).
    expect(rows.map((r) => r.result.verdict)).toEqual([VERDICT_LEAK, VERDICT_CACHE, VERDICT_STABLE, VERDICT_NO_DATA]);
    const frame = leakFrame('A', ['namespace', 'pod', 'container'], rows, [], '');
    const names = frame.fields.map((f) => f.name);

    const overridden = leakPanel.fieldConfig.overrides.map((o: any) => {
      expect(o.matcher.id).toBe('byName');
      return o.matcher.options;
    });
    expect(overridden.filter((n: string) => !names.includes(n))).toEqual([]);
    expect(overridden).toEqual(
      expect.arrayContaining([FIELD_VERDICT, FIELD_REAL_SLOPE, FIELD_CACHE_SLOPE, FIELD_FIT, FIELD_TIME_TO_LIMIT])
    );
    expect(names).toContain(leakPanel.options.sortBy[0].displayName);

    const [out] = applyPanelConfig(leakPanel, [frame]);
    const verdict = out.fields.find((f) => f.name === FIELD_VERDICT)!;
    expect(verdict.config.custom?.cellOptions?.type).toBe('color-background');
    expect(verdict.config.custom?.width).toBeGreaterThanOrEqual(250); // the longest verdict fits
    const color = (v: string) => verdict.display!(v).color;
    const named = (c: string) => theme.visualization.getColorByName(c);
    // Leak red; kernel growth and thrashing amber; cache, cycling and stable green; short or unknown grey.
    expect(color(VERDICT_LEAK)).toBe(named('red'));
    expect(color(VERDICT_KERNEL)).toBe(named('orange'));
    expect(color(verdictThrashing(0.25))).toBe(named('orange'));
    expect(color(VERDICT_CACHE)).toBe(named('green'));
    expect(color(VERDICT_CYCLING)).toBe(named('green'));
    expect(color(VERDICT_STABLE)).toBe(named('green'));
    expect(color(VERDICT_NO_DATA)).toBe(named('gray'));
    expect(color(verdictTooShort(9 * 60))).toBe(named('gray'));
    const alphaOf = (c: string) => colorManipulator.decomposeColor(c).values[3];
    expect(alphaOf(color(VERDICT_LEAK)!) ?? 1).toBe(1);
    // The text itself is kept (mappings only colour it).
    expect(verdict.display!(VERDICT_LEAK).text).toBe(VERDICT_LEAK);
  });

  it('has an OOM-kill and restart annotation on this data source, filtered like the panels', () => {
    const annotations: any[] = DASHBOARD.annotations.list;
    expect(annotations).toHaveLength(1);
    const [anno] = annotations;
    expect(anno.datasource).toEqual({ type: PLUGIN.id, uid: DS.uid });
    expect(anno.enable).toBe(true);
    expect(anno.name).toMatch(/OOM/);
    // Type-checked as Grafana's stored annotation holding this plugin's query (excess keys refused).
    const check = (a: object) =>
      typeCheck(
        `import { AnnotationQuery } from '@grafana/schema';\nimport { RealMemoryQuery } from './types';\n` +
          `export const a = ${JSON.stringify(a)} satisfies AnnotationQuery<RealMemoryQuery>;`
      );
    expect(check(anno)).toEqual([]);
    expect(check({ ...anno, target: { ...anno.target, namesapce: 'x' } }).join('\n')).toMatch(/namesapce/);
    // As the data source's annotation support turns it into the query it runs.
    const support = memoryAnnotationSupport();
    const query = support.prepareQuery!(support.prepareAnnotation!(anno));
    expect(query && isEventsQuery(query)).toBe(true);
    expect(query).toMatchObject({ refId: 'Anno', namespace: '$namespace', pod: '$pod', container: '$container' });
  });
});

describe('provisioned dashboard: the Nodes row', () => {
  const panels: any[] = DASHBOARD.panels;
  const row = panels.find((p) => p.type === 'row');
  const below = panels.filter((p) => p.gridPos.y > row.gridPos.y);
  const nodeTargets = (p: any) => p.targets.filter((t: any) => t.view === 'nodes');
  const theme = createTheme();
  const GiB = 2 ** 30;

  it('has a Nodes row with the node memory and breakdown graphs, the node table and the eviction order, all on $node', () => {
    expect(row.title).toMatch(/^Nodes/);
    expect(below.length).toBe(4);
    for (const p of below) {
      expect(nodeTargets(p)).toHaveLength(p.targets.length);
      expect(p.targets[0].node).toBe('$node');
    }
    const shows = below.map((p) => [p.type, p.targets[0].nodeView ?? null, p.targets[0].showEvictionOrder ?? false]);
    expect(shows).toEqual([
      ['timeseries', 'memory', false],
      ['timeseries', 'breakdown', false],
      ['table', 'table', false],
      ['table', 'evictionOrder', false],
    ]);
    const nodeVariable = DASHBOARD.templating.list.find((v: any) => v.name === 'node');
    expect(nodeVariable.query.type).toBe('nodes');
    expect(nodeVariable).toMatchObject({ multi: true, includeAll: true });
    // The breakdown's lines must not stack: its panel leaves stacking to the frames' own field config.
    expect(below[1].fieldConfig.defaults.custom?.stacking).toBeUndefined();
  });

  it('the node table: overrides name fields this plugin returns; room coloured by how close the kubelet is to evicting', () => {
    const table = below[2];
    const hard = { bytes: 100 * 2 ** 20 };
    const rows = [
      { labels: { node: 'evicting' }, signal: nodeSignal(7.95 * GiB, 3 * GiB, 8 * GiB, hard) },
      { labels: { node: 'close' }, signal: nodeSignal(7.5 * GiB, 3 * GiB, 8 * GiB, hard) },
      { labels: { node: 'roomy' }, signal: nodeSignal(2 * GiB, 1 * GiB, 8 * GiB, hard) },
    ];
    const frame = nodeTableFrame('A', ['cluster', 'node'], rows, { hard: '100Mi' }, [], '');
    const names = frame.fields.map((f) => f.name);
    const overridden = table.fieldConfig.overrides.map((o: any) => o.matcher.options);
    expect(overridden.filter((n: string) => !names.includes(n))).toEqual([]);
    expect(overridden).toEqual(expect.arrayContaining([FIELD_ROOM, FIELD_CACHE_SHARE]));

    const [out] = applyPanelConfig(table, [frame]);
    const room = out.fields.find((f) => f.name === FIELD_ROOM)!;
    const colorOf = (v: number) => room.display!(v).color;
    const named = (c: string) => theme.visualization.getColorByName(c);
    const values = room.values as number[];
    expect(values.map(colorOf)).toEqual([named('red'), named('orange'), named('green')]);
    const share = out.fields.find((f) => f.name === FIELD_CACHE_SHARE)!;
    expect(share.config.custom?.cellOptions?.type).toBe('gauge');
    expect([share.config.min, share.config.max]).toEqual([0, 100]);
  });

  it('the eviction order: overrides name fields this plugin returns; pods above their request stand out', () => {
    const panel = below[3];
    const pod = (name: string, workingSet: number, request: number | null) => ({
      node: 'n',
      labels: { node: 'n', namespace: 'shop', pod: name },
      namespace: 'shop',
      pod: name,
      workingSet,
      realUsed: workingSet / 2,
      request,
    });
    const frame = evictionOrderFrame(
      'A',
      ['cluster', 'node', 'namespace', 'pod'],
      evictionOrder([pod('a', 9, 1), pod('b', 1, 9)]),
      [],
      ''
    );
    const names = frame.fields.map((f) => f.name);
    const overridden = panel.fieldConfig.overrides.map((o: any) => o.matcher.options);
    expect(overridden.filter((n: string) => !names.includes(n))).toEqual([]);
    expect(overridden).toEqual(expect.arrayContaining([FIELD_EXCEEDS, FIELD_RANK]));
    const [out] = applyPanelConfig(panel, [frame]);
    const exceeds = out.fields.find((f) => f.name === FIELD_EXCEEDS)!;
    expect(exceeds.values).toEqual(['yes', 'no']);
    expect(exceeds.display!('yes').color).toBe(theme.visualization.getColorByName('orange'));
    expect(colorManipulator.decomposeColor(exceeds.display!('no').color!).values[3]).toBe(0);
  });
});

/** Option ids of Grafana's standard field config and of the table and time-series panels used here. */
const GRAFANA_OPTION_IDS = [
  'unit',
  'min',
  'max',
  'decimals',
  'displayName',
  'noValue',
  'mappings',
  'thresholds',
  'color',
  'custom.width',
  'custom.minWidth',
  'custom.align',
  'custom.cellOptions',
  'custom.axisPlacement',
  'custom.axisLabel',
  'custom.axisSoftMin',
  'custom.lineWidth',
  'custom.fillOpacity',
  'custom.stacking',
];

/**
 * A panel's field config applied to frames by Grafana's own applyFieldOverrides (matchers, defaults,
 * overrides, display processor). Grafana fills the option registry at start-up; here every option
 * is passed through unchanged, as Grafana's process functions do for these options.
 */
function applyPanelConfig(panel: any, frames: DataFrame[]): DataFrame[] {
  const registry = new FieldConfigOptionsRegistry();
  registry.setInit(() =>
    GRAFANA_OPTION_IDS.map((id) => {
      const isCustom = id.startsWith('custom.');
      return {
        id,
        name: id,
        path: isCustom ? id.slice('custom.'.length) : id,
        isCustom,
        process: (value: unknown) => value,
        shouldApply: () => true,
        override: () => null,
        editor: () => null,
      } as any;
    })
  );
  return applyFieldOverrides({
    data: frames,
    fieldConfig: panel.fieldConfig,
    fieldConfigRegistry: registry,
    replaceVariables: (v: string) => v,
    theme: createTheme(),
  });
}

describe('docker-compose.yml', () => {
  const services = COMPOSE.services as Record<string, any>;

  it('pins every image to an explicit release tag', () => {
    for (const [name, service] of Object.entries(services)) {
      const image: string = service.image;
      expect(image).toBeDefined();
      const tag = /:([^/:@]+)$/.exec(image)?.[1];
      if (!tag || tag === 'latest' || !/\d+\.\d+/.test(tag)) {
        throw new Error(`service ${name}: image "${image}" is not pinned to a release tag`);
      }
    }
  });

  it('runs a cAdvisor with the file-cache series (>= 0.50) and a Grafana at least as new as grafanaDependency', () => {
    const semver = require('semver');
    const tagOf = (s: string) => semver.coerce(/:([^/:]+)$/.exec(services[s].image)![1]).version;
    expect(semver.gte(tagOf('cadvisor'), '0.50.0')).toBe(true);
    expect(semver.satisfies(tagOf('grafana'), PLUGIN.dependencies.grafanaDependency)).toBe(true);
  });

  it('mounts the built plugin, allows it unsigned and mounts provisioning', () => {
    const grafana = services.grafana;
    expect(grafana.volumes).toEqual(
      expect.arrayContaining([
        `./dist:/var/lib/grafana/plugins/${PLUGIN.id}:ro`,
        './provisioning:/etc/grafana/provisioning:ro',
      ])
    );
    expect(grafana.environment.GF_PLUGINS_ALLOW_LOADING_UNSIGNED_PLUGINS.split(',')).toContain(PLUGIN.id);
  });

  it('Prometheus scrapes the cAdvisor service every 5 s with a valid config', () => {
    const mount = services.prometheus.volumes.find((v: string) => v.endsWith(':/etc/prometheus/prometheus.yml:ro'));
    const configPath = path.join(ROOT, mount.split(':')[0]);
    const config = yaml.load(fs.readFileSync(configPath, 'utf8')) as any;
    const job = config.scrape_configs.find((j: any) => j.job_name === 'cadvisor');
    expect(config.global.scrape_interval).toBe('5s');
    expect(job.static_configs[0].targets).toEqual(['cadvisor:8080']);
    // The relabeling gives compose containers the label names the plugin uses by default.
    expect(job.metric_relabel_configs.map((r: any) => r.target_label).filter(Boolean)).toEqual([
      'namespace',
      'pod',
      'container',
    ]);
    if (fs.existsSync('/usr/bin/promtool')) {
      // The rule file is mounted from rules/: check the config with the paths it has on this machine.
      const rulesMount = services.prometheus.volumes.find((v: string) => v.includes(':/etc/prometheus/rules'));
      const [hostRules, containerRules] = rulesMount.split(':');
      const local = path.join(os.tmpdir(), `compose-prometheus-${process.pid}.yml`);
      fs.writeFileSync(
        local,
        fs.readFileSync(configPath, 'utf8').split(containerRules).join(path.join(ROOT, hostRules))
      );
      try {
        execFileSync('/usr/bin/promtool', ['check', 'config', local], { stdio: 'pipe' });
      } finally {
        fs.rmSync(local, { force: true });
      }
    } else {
      console.log('promtool not installed: skipped `promtool check config` (install Debian package prometheus)');
    }
  });

  it('the demo workload has a memory limit and writes bounded logs it re-reads', () => {
    const demo = services['demo-app'];
    expect(demo.mem_limit).toMatch(/^\d+m$/);
    const limitMb = parseInt(demo.mem_limit, 10);
    const diskMb = Number(demo.environment.FILES) * Number(demo.environment.FILE_MB);
    // More log than memory, so page cache fills the limit.
    expect(diskMb).toBeGreaterThanOrEqual(limitMb);

    // Run the very script, small and bounded, and check the disk bound holds.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rm-demo-'));
    try {
      const script = path.join(ROOT, demo.volumes[0].split(':')[0], path.basename(demo.command[1]));
      const out = execFileSync('sh', [script], {
        env: { ...process.env, LOG_DIR: dir, FILES: '2', FILE_MB: '1', PAUSE: '0', ROUNDS: '5' },
        encoding: 'utf8',
        timeout: 30000,
      });
      expect(out.trim().split('\n')).toHaveLength(5);
      const files = fs.readdirSync(dir);
      expect(files.sort()).toEqual(['app-0.log', 'app-1.log']);
      for (const f of files) {
        expect(fs.statSync(path.join(dir, f)).size).toBe(1048576);
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

/** Frames for one container, built by the plugin's own derive and frame functions. */
function containerFrames(
  labels: Record<string, string>,
  m: { usage: number; rss: number; cache: number; active: number; inactive: number }
): DataFrame[] {
  const t = [1_700_000_000_000, 1_700_000_060_000];
  const twice = (v: number) => [v * 0.9, v];
  const group: GroupSeries = {
    key: Object.values(labels).join('/'),
    labels,
    timestamps: t,
    values: {
      usage: twice(m.usage),
      rss: twice(m.rss),
      cache: twice(m.cache),
      activeFile: twice(m.active),
      inactiveFile: twice(m.inactive),
      workingSet: twice(m.usage - m.inactive),
    },
  };
  const ctx = (refId: string) => ({
    refId,
    timestamps: t,
    labels,
    legend: group.key,
    notices: [],
    executedQueryString: '',
  });
  return [
    realVsWorkingSetFrame(ctx('A'), deriveRealVsWorkingSet(group, 'realUsed'), 'realUsed'),
    breakdownFrame(ctx('B'), deriveBreakdown(group)),
  ];
}

/** Type-checks `source` as if it were a file in src/, returning the compiler's messages. */
function typeCheck(source: string): string[] {
  const fileName = path.join(ROOT, 'src', '__provisioning_check__.ts');
  const configPath = ts.findConfigFile(ROOT, ts.sys.fileExists, 'tsconfig.json')!;
  const parsed = ts.parseJsonConfigFileContent(ts.readConfigFile(configPath, ts.sys.readFile).config, ts.sys, ROOT);
  const host = ts.createCompilerHost(parsed.options);
  const readFile = host.readFile;
  host.readFile = (f) => (path.resolve(f) === fileName ? source : readFile(f));
  const fileExists = host.fileExists;
  host.fileExists = (f) => path.resolve(f) === fileName || fileExists(f);
  const program = ts.createProgram([fileName], { ...parsed.options, noEmit: true }, host);
  return ts
    .getPreEmitDiagnostics(program, program.getSourceFile(fileName))
    .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
}
