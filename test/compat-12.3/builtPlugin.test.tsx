// The oldest Grafana the plugin claims (grafanaDependency in src/plugin.json): the BUILT
// dist/module.js, loaded as Grafana loads it, on @grafana/data, ui and runtime 12.3 with React 18.
// Its editors render with no React error, and its DataSource queries a real Prometheus
// backfilled with cAdvisor-format data, matching the oracle (test/fixtures/expected.ts).
import { giveElementsASize } from '../support/polyfills';

import {
  DataFrame,
  DataQueryRequest,
  DataQueryResponse,
  DataSourceInstanceSettings,
  DataSourcePlugin,
  dateTime,
} from '@grafana/data';
import { getBackendSrv } from '@grafana/runtime';
import { configure, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import React, { useState } from 'react';
import { lastValueFrom } from 'rxjs';
import semver from 'semver';
import { format } from 'util';

import pluginJson from '../../src/plugin.json';
import { buildDataset } from '../fixtures/cadvisor';
import { expectedFigures, GroupBy } from '../fixtures/expected';
import { installBackendSrv, TestBackendSrv } from '../support/backendSrv';
import { dataSourceSettings } from '../support/dataSourceSettings';
import { RunningPrometheus, startPrometheus } from '../support/prometheus';
import { installTemplateSrv } from '../support/templateSrv';
import { loadBuiltPlugin, servedChunks } from './loadBuiltPlugin';

const UID = 'real-memory';

// The pickers' options come from the real Prometheus over HTTP; on a loaded 2-core machine that
// can take longer than findBy*'s default second. A limit on waiting, not a speed requirement.
configure({ asyncUtilTimeout: 15000 });

/** console.error calls: React reports render errors, failed prop types and caught errors there. */
let consoleErrors: string[] = [];
beforeEach(() => {
  consoleErrors = [];
  jest.spyOn(console, 'error').mockImplementation((...args: unknown[]) => consoleErrors.push(format(...args)));
});
afterEach(() => {
  jest.restoreAllMocks();
  expect(consoleErrors).toEqual([]);
});

const labelsOf = (frame: DataFrame) => frame.fields.find((f) => f.name !== 'Time')?.labels ?? {};
const canonical = (labels: Record<string, string>) => JSON.stringify(Object.entries(labels).sort());

describe('the built plugin on the oldest Grafana it claims', () => {
  const data = buildDataset('new');
  let prom: RunningPrometheus;
  let plugin: DataSourcePlugin<any, any, any>;
  let ds: any;
  let backend: TestBackendSrv;

  beforeAll(async () => {
    giveElementsASize();
    plugin = loadBuiltPlugin();
    prom = await startPrometheus({ openMetrics: data.openMetrics });
    backend = installBackendSrv({ [UID]: prom.url });
    installTemplateSrv([{ name: 'ns', value: 'shop' }]);
    ds = new plugin.DataSourceClass({
      id: 1,
      uid: UID,
      type: plugin.meta.id,
      name: 'Real Memory',
      url: `/api/datasources/proxy/uid/${UID}`,
      access: 'proxy',
      jsonData: {},
      readOnly: false,
      meta: plugin.meta,
    } as DataSourceInstanceSettings);
  }, 60000);

  afterAll(async () => {
    await prom?.stop();
  });

  it('runs on the Grafana minor release grafanaDependency names, with React 18', () => {
    const oldest = semver.minVersion(pluginJson.dependencies.grafanaDependency)!;
    for (const pkg of ['data', 'ui', 'runtime']) {
      const { version } = require(`@grafana/${pkg}/package.json`);
      expect(`@grafana/${pkg}@${version}`).toMatch(new RegExp(`^@grafana/${pkg}@${oldest.major}\\.${oldest.minor}\\.`));
    }
    expect(React.version).toMatch(/^18\.3\./);
    // The shared test helpers set the services on the same, old, @grafana/runtime the plugin gets.
    expect(getBackendSrv()).toBe(backend);
    expect(plugin.meta.dependencies.grafanaDependency).toBe(pluginJson.dependencies.grafanaDependency);
  });

  it.each<GroupBy>(['container', 'namespace'])(
    'queries Prometheus: real used and working set by %s equal the oracle',
    async (groupBy) => {
      const from = dateTime(data.start * 1000);
      const to = dateTime(data.end * 1000);
      const request = {
        requestId: `compat-${groupBy}`,
        app: 'dashboard',
        timezone: 'utc',
        range: { from, to, raw: { from, to } },
        interval: `${data.step}s`,
        intervalMs: data.step * 1000,
        maxDataPoints: 1000,
        scopedVars: {},
        startTime: Date.now(),
        targets: [{ refId: 'A', view: 'realVsWorkingSet', groupBy }],
      } as unknown as DataQueryRequest;
      const res: DataQueryResponse = await lastValueFrom(ds.query(request));
      expect(res.errors ?? []).toEqual([]);
      const frames: DataFrame[] = res.data;

      const oracle = [...expectedFigures(data.openMetrics, data.timestamps, { groupBy }).values()];
      expect(oracle.length).toBeGreaterThan(1);
      expect(frames.map((f) => canonical(labelsOf(f))).sort()).toEqual(oracle.map((g) => canonical(g.labels)).sort());
      const got: Record<string, Array<number | null>> = {};
      const want: Record<string, Array<number | null>> = {};
      for (const group of oracle) {
        const frame = frames.find((f) => canonical(labelsOf(f)) === canonical(group.labels))!;
        const times = frame.fields.find((f) => f.name === 'Time')!.values as number[];
        for (const [name, figure] of [
          ['working set', 'workingSet'],
          ['real used', 'realUsed'],
        ] as const) {
          const values = frame.fields.find((f) => f.name === name)?.values ?? [];
          const key = `${canonical(group.labels)} ${name}`;
          want[key] = group.points.map((p) => p[figure]);
          got[key] = group.points.map((p) => {
            const i = times.indexOf(p.t * 1000);
            return i < 0 ? null : (values[i] ?? null);
          });
        }
      }
      expect(got).toEqual(want);
    }
  );

  it('renders the query editor, whose namespace picker lists the namespaces in Prometheus', async () => {
    const user = userEvent.setup();
    const onChange = jest.fn();
    const onRunQuery = jest.fn();
    const QueryEditor = plugin.components.QueryEditor!;
    render(<QueryEditor datasource={ds} query={{ refId: 'A' }} onChange={onChange} onRunQuery={onRunQuery} />);

    await user.click(screen.getByRole('combobox', { name: 'Namespace' }));
    const oracle = [...expectedFigures(data.openMetrics, data.timestamps, { groupBy: 'namespace' }).values()];
    for (const ns of oracle.map((g) => g.labels.namespace)) {
      expect(await screen.findByRole('option', { name: new RegExp(`^${ns}`) })).toBeInTheDocument();
    }
    await user.click(screen.getByRole('option', { name: /^shop/ }));
    expect(onChange).toHaveBeenLastCalledWith(expect.objectContaining({ namespace: 'shop' }));
    expect(onRunQuery).toHaveBeenCalled();
  });

  it('renders the config editor, which keeps changes', async () => {
    const user = userEvent.setup();
    const ConfigEditor = plugin.components.ConfigEditor!;
    const changes: any[] = [];
    function Host() {
      const [options, setOptions] = useState<any>(dataSourceSettings({ uid: UID, type: plugin.meta.id }));
      return (
        <ConfigEditor
          options={options}
          onOptionsChange={(next: any) => {
            changes.push(next);
            setOptions(next);
          }}
        />
      );
    }
    render(<Host />);

    // The editor is a chunk of its own, fetched from the plugin's folder when first shown.
    await user.click(await screen.findByPlaceholderText('e.g. http://prometheus:9090'));
    expect(servedChunks).toEqual(['configEditor.js']);
    await user.paste(prom.url);
    expect(changes.at(-1).url).toBe(prom.url);
    // The bearer route reads the URL from jsonData; the editor keeps the copy in step.
    expect(changes.at(-1).jsonData.bearerUrl).toBe(prom.url);
    await user.click(screen.getByRole('radio', { name: 'Usage − active file' }));
    expect(changes.at(-1).jsonData.defaultFormula).toBe('usageMinusActiveFile');
  });

  it('gets an error event for a chunk dist/ lacks, as from a browser (the editor then says it could not load)', async () => {
    const script = document.createElement('script');
    script.src = `/${plugin.meta.baseUrl}/missing.js?_cache=0`;
    const event = new Promise((resolve) => {
      script.onload = () => resolve('load');
      script.onerror = () => resolve('error');
    });
    document.head.appendChild(script);
    expect(await event).toBe('error');
  });

  it('renders the variable query editor, and its variable query lists the namespaces in Prometheus', async () => {
    const user = userEvent.setup();
    const onChange = jest.fn();
    const VariableQueryEditor = ds.variables.editor;
    render(<VariableQueryEditor datasource={ds} query={{ refId: 'v' }} onChange={onChange} onRunQuery={jest.fn()} />);
    await user.click(screen.getByRole('radio', { name: 'Pods' }));
    expect(onChange).toHaveBeenLastCalledWith(expect.objectContaining({ type: 'pods' }));

    const from = dateTime(data.start * 1000);
    const to = dateTime(data.end * 1000);
    const res: any = await lastValueFrom(
      ds.variables.query({
        targets: [{ refId: 'v', type: 'namespaces' }],
        range: { from, to, raw: { from, to } },
        scopedVars: {},
      })
    );
    const listed = res.data[0].fields.find((f: any) => f.name === 'value').values;
    const oracle = [...expectedFigures(data.openMetrics, data.timestamps, { groupBy: 'namespace' }).values()];
    expect([...listed].sort()).toEqual(oracle.map((g) => g.labels.namespace).sort());
  });
});
