import { giveElementsASize } from '../../test/support/polyfills';
import React from 'react';
import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';

import { CADVISOR_METRIC } from '../prometheus/metrics';
import { FILE_CACHE_MISSING_TEXT } from '../prometheus/fileCacheStatus';
import { RealMemoryQuery } from '../types';
import { QueryEditor } from './QueryEditor';
import { installBackendSrv, SentRequest } from '../../test/support/backendSrv';
import { makeDataSource } from '../../test/support/dataSource';
import { inMemory, success } from '../../test/support/grafanaServer';
import { installTemplateSrv } from '../../test/support/templateSrv';

const EXCLUSIONS = 'container!="", container!="POD", pod!="", image!=""';
const WS = CADVISOR_METRIC.workingSet;

/** Prometheus as seen by the editor: label values per label, and which metric names exist. */
function prometheus(metricNames = [WS, CADVISOR_METRIC.activeFile]) {
  return (req: SentRequest) => {
    const label = /^\/api\/v1\/label\/([^/]+)\/values$/.exec(req.path)?.[1];
    switch (label) {
      case '__name__':
        return success(metricNames);
      case 'namespace':
        return success(['shop', 'kube-system']);
      case 'pod':
        return success(['api-0', 'web-1']);
      case 'container':
        return success(['app', 'log-shipper']);
      default:
        return new Error(`unexpected request ${req.path}`);
    }
  };
}

const labelRequests = (sent: SentRequest[], label: string) =>
  sent.filter((r) => r.path === `/api/v1/label/${label}/values`).map((r) => r.match);

function setup(query: Partial<RealMemoryQuery> = {}, metricNames?: string[]) {
  const sent = installBackendSrv(inMemory(prometheus(metricNames))).requests;
  const onChange = jest.fn();
  const onRunQuery = jest.fn();
  const datasource = makeDataSource();
  const props = { datasource, onChange, onRunQuery };
  const utils = render(<QueryEditor {...props} query={{ refId: 'A', ...query }} />);
  const rerender = (next: Partial<RealMemoryQuery>) =>
    utils.rerender(<QueryEditor {...props} query={{ refId: 'A', ...next }} />);
  return { sent, onChange, onRunQuery, rerender };
}

beforeAll(giveElementsASize);
beforeEach(() =>
  installTemplateSrv([
    { name: 'ns', value: ['shop', 'a.b'] },
    { name: 'pod', value: 'api-0' },
  ])
);

describe('QueryEditor cascading pickers', () => {
  it('lists namespaces of real containers, plus dashboard variables, and runs the query on a choice', async () => {
    const user = userEvent.setup();
    const { sent, onChange, onRunQuery } = setup();
    await user.click(screen.getByRole('combobox', { name: 'Namespace' }));
    expect(await screen.findByRole('option', { name: /kube-system/ })).toBeInTheDocument();
    expect(screen.getByRole('option', { name: /\$ns/ })).toBeInTheDocument();
    expect(labelRequests(sent, 'namespace')).toContainEqual([`${WS}{${EXCLUSIONS}}`]);

    await user.click(screen.getByRole('option', { name: /shop/ }));
    expect(onChange).toHaveBeenLastCalledWith(expect.objectContaining({ namespace: 'shop' }));
    expect(onRunQuery).toHaveBeenCalled();
  });

  it('scopes pods to the chosen namespace and containers to namespace and pod', async () => {
    const user = userEvent.setup();
    const { sent } = setup({ namespace: 'shop', pod: 'api-0' });
    await user.click(screen.getByRole('combobox', { name: 'Pod' }));
    await screen.findByRole('option', { name: /web-1/ });
    expect(labelRequests(sent, 'pod')).toContainEqual([`${WS}{namespace="shop", ${EXCLUSIONS}}`]);

    await user.click(screen.getByRole('combobox', { name: 'Container' }));
    await screen.findByRole('option', { name: /log-shipper/ });
    expect(labelRequests(sent, 'container')).toContainEqual([`${WS}{namespace="shop", pod="api-0", ${EXCLUSIONS}}`]);
  });

  it('keeps a multi-value variable as typed and scopes by its escaped values', async () => {
    const user = userEvent.setup();
    const { sent } = setup({ namespace: '$ns' });
    expect(screen.getByRole('combobox', { name: 'Namespace' })).toHaveValue('$ns');
    await user.click(screen.getByRole('combobox', { name: 'Pod' }));
    await screen.findByRole('option', { name: /web-1/ });
    expect(labelRequests(sent, 'pod')).toContainEqual([`${WS}{namespace=~"(shop|a\\\\.b)", ${EXCLUSIONS}}`]);
  });

  it('accepts a typed /regex/ and scopes the next picker by it', async () => {
    const user = userEvent.setup();
    const { sent, onChange, rerender } = setup({ namespace: 'shop' });
    const pod = screen.getByRole('combobox', { name: 'Pod' });
    await user.click(pod);
    await screen.findByRole('option', { name: /web-1/ });
    await user.type(pod, '/web-.*/');
    await new Promise((r) => setTimeout(r, 400)); // past the picker's debounce
    // Typing filters the values already loaded for this scope: one request, not one per keystroke.
    expect(labelRequests(sent, 'pod')).toHaveLength(1);
    await user.click(await screen.findByRole('option', { name: /Use as typed/ }));
    expect(onChange).toHaveBeenLastCalledWith(expect.objectContaining({ namespace: 'shop', pod: '/web-.*/' }));

    rerender({ namespace: 'shop', pod: '/web-.*/' });
    expect(screen.getByRole('combobox', { name: 'Pod' })).toHaveValue('/web-.*/');
    await user.click(screen.getByRole('combobox', { name: 'Container' }));
    await screen.findByRole('option', { name: /log-shipper/ });
    expect(labelRequests(sent, 'container')).toContainEqual([`${WS}{namespace="shop", pod=~"web-.*", ${EXCLUSIONS}}`]);
  });

  it('shows why values could not be loaded', async () => {
    const user = userEvent.setup();
    installBackendSrv(inMemory(() => new Error('dial tcp 10.0.0.1:9090: connect: connection refused')));
    render(
      <QueryEditor datasource={makeDataSource()} query={{ refId: 'A' }} onChange={jest.fn()} onRunQuery={jest.fn()} />
    );
    await user.click(screen.getByRole('combobox', { name: 'Namespace' }));
    expect(await screen.findByText(/Could not load Namespace values: .*connection refused/)).toBeInTheDocument();
  });
});

describe('QueryEditor file-cache warning', () => {
  it('warns when the selection has working set but no file-cache series, asking for exactly that selection', async () => {
    const { sent } = setup({ namespace: 'shop' }, [WS]);
    expect(await screen.findByText(FILE_CACHE_MISSING_TEXT)).toBeInTheDocument();
    const check = labelRequests(sent, '__name__')[0];
    expect(check).toEqual([
      `{__name__=~"container_memory_working_set_bytes|container_memory_total_active_file_bytes", namespace="shop", ${EXCLUSIONS}}`,
    ]);
  });

  it('does not warn when the file-cache series exist', async () => {
    const { sent } = setup({ namespace: 'shop' });
    await waitFor(() => expect(labelRequests(sent, '__name__')).toHaveLength(1));
    // Let the answer render before asserting the warning is absent.
    await screen.findByText(/memory the kernel cannot simply drop/);
    await new Promise((r) => setTimeout(r, 20));
    expect(screen.queryByText(FILE_CACHE_MISSING_TEXT)).not.toBeInTheDocument();
  });

  it('re-checks when the selection changes', async () => {
    const { sent, rerender } = setup({ namespace: 'shop' });
    await waitFor(() => expect(labelRequests(sent, '__name__')).toHaveLength(1));
    rerender({ namespace: 'shop', pod: 'api-0' });
    await waitFor(() => expect(labelRequests(sent, '__name__')).toHaveLength(2));
    expect(labelRequests(sent, '__name__')[1][0]).toContain('pod="api-0"');
  });
});

describe('QueryEditor choices', () => {
  it('explains the chosen formula in one line and runs the query when it changes', async () => {
    const user = userEvent.setup();
    const { onChange, onRunQuery, rerender } = setup();
    expect(screen.getByTestId('formula-help')).toHaveTextContent(
      /memory the kernel cannot simply drop; what the OOM killer weighs/
    );
    await user.click(screen.getByRole('radio', { name: 'Usage − active file' }));
    expect(onChange).toHaveBeenLastCalledWith(expect.objectContaining({ formula: 'usageMinusActiveFile' }));
    expect(onRunQuery).toHaveBeenCalledTimes(1);
    rerender({ formula: 'usageMinusActiveFile' });
    expect(screen.getByTestId('formula-help')).toHaveTextContent(/keeps inactive cache, drops active/);
  });

  it('sets view and group-by, and hides the formula for the breakdown', async () => {
    const user = userEvent.setup();
    const { onChange, rerender } = setup();
    await user.click(screen.getByRole('radio', { name: 'Breakdown' }));
    expect(onChange).toHaveBeenLastCalledWith(expect.objectContaining({ view: 'breakdown' }));
    await user.click(screen.getByRole('radio', { name: 'Pod' }));
    expect(onChange).toHaveBeenLastCalledWith(expect.objectContaining({ groupBy: 'pod' }));
    rerender({ view: 'breakdown' });
    expect(screen.queryByTestId('formula-help')).not.toBeInTheDocument();
  });

  it('toggles the limit and request lines in the real-used view and runs the query', async () => {
    const user = userEvent.setup();
    const { onChange, onRunQuery, rerender } = setup();
    const toggle = screen.getByRole('switch', { name: 'Show limits' });
    expect(toggle).not.toBeChecked();
    await user.click(toggle);
    expect(onChange).toHaveBeenLastCalledWith(expect.objectContaining({ refId: 'A', showLimits: true }));
    expect(onRunQuery).toHaveBeenCalledTimes(1);

    rerender({ showLimits: true });
    expect(screen.getByRole('switch', { name: 'Show limits' })).toBeChecked();
    await user.click(screen.getByRole('switch', { name: 'Show limits' }));
    expect(onChange).toHaveBeenLastCalledWith(expect.objectContaining({ showLimits: false }));
    expect(onRunQuery).toHaveBeenCalledTimes(2);
  });

  it('shows only the controls a view uses', () => {
    const { rerender } = setup({ view: 'headroom' });
    // Headroom and leak check always use real used; limits and usage belong to the real-used view.
    expect(screen.queryByTestId('formula-help')).not.toBeInTheDocument();
    expect(screen.queryByRole('switch', { name: 'Show limits' })).not.toBeInTheDocument();
    expect(screen.queryByRole('switch', { name: 'Show usage' })).not.toBeInTheDocument();
    expect(screen.getByRole('textbox', { name: 'Legend' })).toBeInTheDocument();
    rerender({ view: 'leakCheck' });
    expect(screen.queryByRole('textbox', { name: 'Legend' })).not.toBeInTheDocument();
    expect(screen.getByRole('combobox', { name: 'Namespace' })).toBeInTheDocument();
    rerender({ view: 'realVsWorkingSet' });
    expect(screen.getByTestId('formula-help')).toBeInTheDocument();
    expect(screen.getByRole('switch', { name: 'Show limits' })).toBeInTheDocument();
  });

  it('edits the legend and runs the query on blur', async () => {
    const user = userEvent.setup();
    const { onChange, onRunQuery } = setup();
    await user.type(screen.getByRole('textbox', { name: 'Legend' }), 'x');
    expect(onChange).toHaveBeenLastCalledWith(expect.objectContaining({ legendFormat: 'x' }));
    expect(onRunQuery).not.toHaveBeenCalled();
    await user.tab();
    expect(onRunQuery).toHaveBeenCalled();
  });
});
