import { giveElementsASize } from '../../../test/support/polyfills';
import React, { useState } from 'react';
import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { DataSourceSettings } from '@grafana/data';

import { SentRequest } from '../../../test/support/backendSrv';
import { success } from '../../../test/support/grafanaServer';
import { installTemplateSrv } from '../../../test/support/templateSrv';
import { renderHostedQueryEditor } from '../../../test/support/hostedQueryEditor';
import { CADVISOR_METRIC } from '../../prometheus/metrics';
import { RealMemoryOptions, RealMemoryQuery, RealMemorySecureData } from '../../types';
import { MemorySettings } from '../../components/MemorySettings';

beforeAll(giveElementsASize);
beforeEach(() => installTemplateSrv([{ name: 'node', value: ['node-a'] }]));

/** The query editor on the nodes view, inside a host that keeps the query as Grafana's panel editor does. */
function setupQuery(query: Partial<RealMemoryQuery> = {}, jsonData: RealMemoryOptions = {}) {
  const respond = (req: SentRequest) =>
    /\/label\/[^/]+\/values$/.test(req.path)
      ? success(['node-a', 'node-b'])
      : req.path === '/api/v1/query'
        ? success({ resultType: 'vector', result: [] })
        : new Error(`unexpected ${req.path}`);
  const hosted = renderHostedQueryEditor(respond, { refId: 'A', view: 'nodes', ...query }, jsonData);
  return { ...hosted, user: userEvent.setup() };
}

describe('the nodes view in the query editor', () => {
  it("offers the nodes of the root cgroups under the data source's node label, and dashboard variables", async () => {
    const { sent, last, user } = setupQuery({}, { nodeLabel: 'instance' });
    await user.click(screen.getByRole('combobox', { name: 'Node' }));
    expect(await screen.findByRole('option', { name: /node-b/ })).toBeInTheDocument();
    expect(screen.getByRole('option', { name: /\$node/ })).toBeInTheDocument();
    const lookup = sent.find((r) => r.path === '/api/v1/label/instance/values');
    expect(lookup?.match).toEqual([`${CADVISOR_METRIC.workingSet}{id="/"}`]);
    await user.click(screen.getByRole('option', { name: /node-b/ }));
    expect(last().node).toBe('node-b');
  });

  it('has cluster and node filters, no group by and no container filters', () => {
    setupQuery();
    expect(screen.getByRole('combobox', { name: 'Cluster' })).toBeInTheDocument();
    expect(screen.getByRole('combobox', { name: 'Node' })).toBeInTheDocument();
    expect(screen.queryByRole('combobox', { name: 'Namespace' })).not.toBeInTheDocument();
    expect(screen.queryByRole('radiogroup', { name: 'Group by' })).not.toBeInTheDocument();
    expect(screen.queryByRole('radio', { name: 'Pod' })).not.toBeInTheDocument();
  });

  it('picks what to show beside the view: memory, breakdown, table or the eviction order (no switch hidden in Options)', async () => {
    const { last, user } = setupQuery();
    expect(screen.getByRole('radio', { name: 'Memory' })).toBeChecked();
    await user.click(screen.getByRole('radio', { name: 'Table' }));
    expect(last().nodeView).toBe('table');
    await user.click(screen.getByRole('radio', { name: 'Eviction order' }));
    expect(last()).toMatchObject({ nodeView: 'evictionOrder' });
    expect(screen.queryByRole('switch', { name: 'Eviction order' })).not.toBeInTheDocument();
  });

  it('a stored query with the old eviction-order switch shows as that choice; another choice clears the switch', async () => {
    const { last, user } = setupQuery({ showEvictionOrder: true, nodeView: 'table' });
    const nodeView = screen.getByRole('radiogroup', { name: 'Node view' });
    expect(within(nodeView).getByRole('radio', { name: 'Eviction order' })).toBeChecked();
    await user.click(within(nodeView).getByRole('radio', { name: 'Breakdown' }));
    expect(last()).toMatchObject({ nodeView: 'breakdown', showEvictionOrder: undefined });
  });
});

type Options = DataSourceSettings<RealMemoryOptions, RealMemorySecureData>;

function setupSettings(jsonData: RealMemoryOptions = {}) {
  const changes: Options[] = [];
  function Host() {
    const [options, setOptions] = useState({ jsonData, secureJsonFields: {} } as Options);
    return (
      <MemorySettings
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

describe('node options in the settings', () => {
  it('saves a Kubernetes quantity or a percentage; shows the defaults as placeholders', async () => {
    const { changes, user } = setupSettings();
    expect(screen.getByRole('textbox', { name: 'Node label' })).toHaveAttribute('placeholder', 'default: node');
    expect(screen.getByRole('textbox', { name: 'Eviction hard' })).toHaveAttribute('placeholder', 'default: 100Mi');
    await user.type(screen.getByRole('textbox', { name: 'Eviction hard' }), '5%');
    expect(changes[changes.length - 1].jsonData.evictionHard).toBe('5%');
    await user.type(screen.getByRole('textbox', { name: 'Eviction soft' }), '1Gi');
    expect(changes[changes.length - 1].jsonData).toMatchObject({ evictionHard: '5%', evictionSoft: '1Gi' });
  });

  it('keeps a value the kubelet would refuse as typed, and says why and what fails until it is fixed', async () => {
    const { changes, user } = setupSettings({ evictionHard: '200Mi' });
    const field = screen.getByRole('textbox', { name: 'Eviction hard' });
    await user.clear(field);
    await user.type(field, '100m');
    expect(
      screen.getByText(/"100m" is a fraction of a byte.*Save & test and every query fail until this is fixed/)
    ).toBeInTheDocument();
    expect(changes[changes.length - 1].jsonData.evictionHard).toBe('100m');
    await user.type(screen.getByRole('textbox', { name: 'Node label' }), 'k8s node');
    expect(screen.getByText(/"k8s node" is not a Prometheus label name/)).toBeInTheDocument();
    expect(changes[changes.length - 1].jsonData.nodeLabel).toBe('k8s node');
  });
});
