import { giveElementsASize } from '../../test/support/polyfills';
import React, { useState } from 'react';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { DataSourceSettings } from '@grafana/data';

import { CADVISOR_METRIC } from '../prometheus/metrics';
import { RealMemoryOptions, RealMemoryQuery, RealMemorySecureData } from '../types';
import { NodeQueryFields } from './NodeQueryFields';
import { NodeSettings } from './NodeSettings';
import { installBackendSrv, SentRequest } from '../../test/support/backendSrv';
import { makeDataSource } from '../../test/support/dataSource';
import { inMemory, success } from '../../test/support/grafanaServer';
import { installTemplateSrv } from '../../test/support/templateSrv';

beforeAll(giveElementsASize);
beforeEach(() => installTemplateSrv([{ name: 'node', value: ['node-a'] }]));

function setupQuery(query: Partial<RealMemoryQuery> = {}, jsonData: RealMemoryOptions = {}) {
  const sent = installBackendSrv(
    inMemory((req: SentRequest) =>
      /\/label\/[^/]+\/values$/.test(req.path) ? success(['node-a', 'node-b']) : new Error(`unexpected ${req.path}`)
    )
  ).requests;
  const patches: Array<Partial<RealMemoryQuery>> = [];
  function Host() {
    const [q, setQ] = useState<RealMemoryQuery>({ refId: 'A', view: 'nodes', ...query });
    return (
      <NodeQueryFields
        datasource={makeDataSource(jsonData)}
        query={q}
        update={(patch) => {
          patches.push(patch);
          setQ({ ...q, ...patch });
        }}
        onLoadError={() => {}}
      />
    );
  }
  render(<Host />);
  return { sent, patches, user: userEvent.setup() };
}

describe('NodeQueryFields', () => {
  it("offers the nodes of the root cgroups under the data source's node label, and dashboard variables", async () => {
    const { sent, patches, user } = setupQuery({}, { nodeLabel: 'instance' });
    await user.click(screen.getByRole('combobox', { name: 'Node' }));
    expect(await screen.findByRole('option', { name: /node-b/ })).toBeInTheDocument();
    expect(screen.getByRole('option', { name: /\$node/ })).toBeInTheDocument();
    const lookup = sent.find((r) => r.path === '/api/v1/label/instance/values');
    expect(lookup?.match).toEqual([`${CADVISOR_METRIC.workingSet}{id="/"}`]);
    await user.click(screen.getByRole('option', { name: /node-b/ }));
    expect(patches).toContainEqual({ node: 'node-b' });
  });

  it('picks what to show, and the eviction order instead (which disables the choice)', async () => {
    const { patches, user } = setupQuery();
    expect(screen.getByRole('radio', { name: 'Memory' })).toBeChecked();
    await user.click(screen.getByRole('radio', { name: 'Table' }));
    expect(patches).toContainEqual({ nodeView: 'table' });
    await user.click(screen.getByRole('switch', { name: 'Eviction order' }));
    expect(patches).toContainEqual({ showEvictionOrder: true });
    expect(screen.getByRole('radio', { name: 'Breakdown' })).toBeDisabled();
  });
});

type Options = DataSourceSettings<RealMemoryOptions, RealMemorySecureData>;

function setupSettings(jsonData: RealMemoryOptions = {}) {
  const changes: Options[] = [];
  function Host() {
    const [options, setOptions] = useState({ jsonData, secureJsonFields: {} } as Options);
    return (
      <NodeSettings
        options={options}
        onChange={(next) => {
          changes.push(next);
          setOptions(next);
        }}
      />
    );
  }
  render(<Host />);
  return { changes, user: userEvent.setup() };
}

describe('NodeSettings', () => {
  it('saves a Kubernetes quantity or a percentage; shows the defaults as placeholders', async () => {
    const { changes, user } = setupSettings();
    expect(screen.getByRole('textbox', { name: 'Node label' })).toHaveAttribute('placeholder', 'node');
    expect(screen.getByRole('textbox', { name: 'Eviction hard' })).toHaveAttribute('placeholder', '100Mi');
    await user.type(screen.getByRole('textbox', { name: 'Eviction hard' }), '5%');
    expect(changes[changes.length - 1].jsonData.evictionHard).toBe('5%');
    await user.type(screen.getByRole('textbox', { name: 'Eviction soft' }), '1Gi');
    expect(changes[changes.length - 1].jsonData).toMatchObject({ evictionHard: '5%', evictionSoft: '1Gi' });
  });

  it('keeps a value the kubelet would refuse out of the settings, and says why', async () => {
    const { changes, user } = setupSettings({ evictionHard: '200Mi' });
    const field = screen.getByRole('textbox', { name: 'Eviction hard' });
    await user.clear(field);
    await user.type(field, '100m');
    expect(screen.getByText(/Not saved: "100m" is a fraction of a byte/)).toBeInTheDocument();
    expect(changes[changes.length - 1].jsonData.evictionHard).toBe('100');
    await user.type(screen.getByRole('textbox', { name: 'Node label' }), 'k8s node');
    expect(screen.getByText(/Not saved: "k8s node" is not a Prometheus label name/)).toBeInTheDocument();
    expect(changes[changes.length - 1].jsonData.nodeLabel).toBe('k8s '); // the last valid text, as typed (checks trim)
  });
});
