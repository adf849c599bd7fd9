/**
 * The provisioned files and the docker compose stack, checked by reading them: the data source
 * YAML names this plugin, every dashboard target type-checks as this plugin's query model
 * (TypeScript compiler, excess-property checks included), every variable uses this data source,
 * the table panel's transformations turn this plugin's own frames into one row per container,
 * and the compose file parses and pins every image.
 */
import { execFileSync } from 'child_process';
import fs from 'fs';
import os from 'os';
import path from 'path';
import yaml from 'js-yaml';
import ts from 'typescript';
import { lastValueFrom } from 'rxjs';
import { DataFrame, standardTransformers, standardTransformersRegistry, transformDataFrame } from '@grafana/data';

import { breakdownFrame, realVsWorkingSetFrame } from '../src/frames/memoryFrames';
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
    for (const p of panels) {
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
      `import { RealMemoryQuery } from './types';`,
      `import { RealMemoryVariableQuery } from './variableQuery';`,
      ...targets.map((t, i) => `export const t${i} = ${JSON.stringify(t)} satisfies RealMemoryQuery;`),
      ...variableQueries.map((q, i) => `export const v${i} = ${JSON.stringify(q)} satisfies RealMemoryVariableQuery;`),
    ];
    const errors = typeCheck(lines.join('\n'));
    expect(errors).toEqual([]);
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
    const table = panels.find((p) => p.type === 'table');
    // DESIGN.md's worked example for one container, and a second container with other figures.
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
      execFileSync('/usr/bin/promtool', ['check', 'config', configPath], { stdio: 'pipe' });
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
