import { giveElementsASize } from '../../test/support/polyfills';
import React from 'react';
import { cleanup, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';

import { LoadingState, PanelData, createDataFrame, dateTime } from '@grafana/data';

import { NO_LIMIT_NOTICE_PREFIX } from '../frames/headroomFrames';
import { CADVISOR_METRIC } from '../prometheus/metrics';
import { FILE_CACHE_MISSING_TEXT } from '../prometheus/fileCacheStatus';
import { validateQuery } from '../query/validate';
import { RealMemoryQuery } from '../types';
import { QueryEditor, executedPromQL } from './QueryEditor';
import { installBackendSrv, SentRequest } from '../../test/support/backendSrv';
import { makeDataSource } from '../../test/support/dataSource';
import { inMemory, success } from '../../test/support/grafanaServer';
import { installTemplateSrv } from '../../test/support/templateSrv';
import { renderHostedQueryEditor } from '../../test/support/hostedQueryEditor';

const EXCLUSIONS = 'container!="", container!="POD", pod!="", image!=""';
/** Beside a pod filter that selects only named pods, pod!="" is implied and left out (promql.ts). */
const EXCLUSIONS_WITH_POD = 'container!="", container!="POD", image!=""';
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
      case 'cluster':
      case 'k8s_cluster':
        return success(['prod', 'staging']);
      default:
        return new Error(`unexpected request ${req.path}`);
    }
  };
}

const labelRequests = (sent: SentRequest[], label: string) =>
  sent.filter((r) => r.path === `/api/v1/label/${label}/values`).map((r) => r.match);

function setup(query: Partial<RealMemoryQuery> = {}, metricNames?: string[], data?: PanelData) {
  const sent = installBackendSrv(inMemory(prometheus(metricNames))).requests;
  const onChange = jest.fn();
  const onRunQuery = jest.fn();
  const datasource = makeDataSource();
  const props = { datasource, onChange, onRunQuery, data };
  const utils = render(<QueryEditor {...props} query={{ refId: 'A', ...query }} />);
  const rerender = (next: Partial<RealMemoryQuery>, nextData = data) =>
    utils.rerender(<QueryEditor {...props} data={nextData} query={{ refId: 'A', ...next }} />);
  return { sent, onChange, onRunQuery, rerender };
}

/** The editor inside a host that keeps the query, as Grafana's panel editor does. */
const setupHosted = (query: Partial<RealMemoryQuery> = {}, jsonData = {}) =>
  renderHostedQueryEditor(prometheus(), { refId: 'A', ...query }, jsonData);

/** The values shown as pills in a filter picker. */
const pills = (label: string) =>
  Array.from(
    screen.getByRole('combobox', { name: label }).parentElement!.querySelectorAll('button[aria-label^="Remove "]'),
    // The pill's text (the button's label is HTML-escaped by Grafana's i18n).
    (b) => b.parentElement!.firstElementChild!.textContent
  );

const openOptions = (user: ReturnType<typeof userEvent.setup>) =>
  user.click(screen.getByRole('button', { name: /^Options/ }));

/** Panel data of the last run, as Grafana passes it to the editor. */
function panelData(frames: Array<{ notices?: string[]; executed?: string }>): PanelData {
  const now = dateTime();
  return {
    state: LoadingState.Done,
    series: frames.map((f) =>
      createDataFrame({
        refId: 'A',
        fields: [],
        meta: {
          executedQueryString: f.executed,
          notices: (f.notices ?? []).map((text) => ({ severity: 'warning' as const, text })),
        },
      })
    ),
    timeRange: { from: now, to: now, raw: { from: now, to: now } },
  };
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
    expect(labelRequests(sent, 'container')).toContainEqual([
      `${WS}{namespace="shop", pod="api-0", ${EXCLUSIONS_WITH_POD}}`,
    ]);
  });

  it('keeps a multi-value variable as typed and scopes by its escaped values', async () => {
    const user = userEvent.setup();
    const { sent } = setup({ namespace: '$ns' });
    expect(pills('Namespace')).toEqual(['$ns']);
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
    expect(pills('Pod')).toEqual(['/web-.*/']);
    await user.click(screen.getByRole('combobox', { name: 'Container' }));
    await screen.findByRole('option', { name: /log-shipper/ });
    expect(labelRequests(sent, 'container')).toContainEqual([
      `${WS}{namespace="shop", pod=~"web-.*", ${EXCLUSIONS_WITH_POD}}`,
    ]);
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

describe('QueryEditor filters: several values, exclusions, cluster', () => {
  it('picks several values into one filter, each value escaped', async () => {
    const user = userEvent.setup();
    const { last } = setupHosted();
    const ns = screen.getByRole('combobox', { name: 'Namespace' });
    await user.click(ns);
    await user.click(await screen.findByRole('option', { name: /^shop/ }));
    expect(last().namespace).toBe('shop');
    await user.click(await screen.findByRole('option', { name: /^kube-system/ }));
    expect(last().namespace).toBe('/shop|kube-system/');
  });

  it('the != operator excludes, and later pickers are scoped by the exclusion', async () => {
    const user = userEvent.setup();
    const { last, sent } = setupHosted({ namespace: 'kube-system' });
    await user.click(screen.getByRole('combobox', { name: 'Namespace operator' }));
    await user.click(await screen.findByRole('option', { name: /^!=/ }));
    expect(last().namespace).toBe('!kube-system');
    expect(pills('Namespace')).toEqual(['kube-system']);
    await user.click(screen.getByRole('combobox', { name: 'Pod' }));
    await screen.findByRole('option', { name: /web-1/ }, { timeout: 10000 });
    expect(labelRequests(sent, 'pod')).toContainEqual([`${WS}{namespace!="kube-system", ${EXCLUSIONS}}`]);
  });

  it('offers a cluster filter on the cluster label of the settings, and scopes namespaces by it', async () => {
    const user = userEvent.setup();
    const { last, sent } = setupHosted({}, { clusterLabel: 'k8s_cluster' });
    await user.click(screen.getByRole('combobox', { name: 'Cluster' }));
    await user.click(await screen.findByRole('option', { name: /^prod/ }));
    expect(last().cluster).toBe('prod');
    await user.keyboard('{Escape}');
    await user.click(screen.getByRole('combobox', { name: 'Namespace' }));
    await screen.findByRole('option', { name: /kube-system/ });
    expect(labelRequests(sent, 'namespace')).toContainEqual([
      `${WS}{k8s_cluster="prod", container!="", container!="POD", pod!="", image!=""}`,
    ]);
  });
});

describe('QueryEditor: regex filters checked before the query runs', () => {
  const MESSAGE = 'Pod /web-(/ is not a valid regular expression: missing closing ).';

  it('says under the picker when a typed regex is one Prometheus would refuse, until the chip is removed', async () => {
    const user = userEvent.setup();
    const { last } = setupHosted({ namespace: 'shop' });
    const pod = screen.getByRole('combobox', { name: 'Pod' });
    await user.click(pod);
    await screen.findByRole('option', { name: /web-1/ });
    await user.type(pod, '/web-(/');
    await user.click(await screen.findByRole('option', { name: /Use as typed/ }, { timeout: 10000 }));
    // Stored as typed, so it can be fixed; the field says what is wrong with it.
    expect(last().pod).toBe('/web-(/');
    expect(await screen.findByText(MESSAGE)).toBeInTheDocument();
    expect(screen.getByRole('combobox', { name: 'Pod' })).toHaveAccessibleDescription(MESSAGE);

    expect(pills('Pod')).toEqual(['/web-(/']);
    const remove = screen
      .getByRole('combobox', { name: 'Pod' })
      .parentElement!.querySelector('button[aria-label^="Remove "]');
    await user.click(remove!);
    expect(last().pod).toBeUndefined();
    expect(screen.queryByText(MESSAGE)).not.toBeInTheDocument();
    expect(screen.getByRole('combobox', { name: 'Pod' })).not.toHaveAccessibleDescription();
  });

  it('flags a stored one too, and only the regex that is wrong, also behind !=', () => {
    setupHosted({ namespace: '!/(?!kube-).*/', pod: '/web-.*/', container: 'a(' });
    expect(
      screen.getByText('Namespace /(?!kube-).*/ is not a valid regular expression: lookahead (?! is not supported.')
    ).toBeInTheDocument();
    expect(screen.getByRole('combobox', { name: 'Namespace operator' })).toHaveAttribute('aria-invalid', 'false');
    // A valid regex, and an exact value (escaped before it reaches Prometheus), say nothing.
    expect(screen.queryByText(/^(Pod|Container) .* is not a valid regular expression/)).not.toBeInTheDocument();
  });
});

describe('QueryEditor: the Cluster picker', () => {
  /** Prometheus with these values (or this error) for the cluster label. */
  const clusterValues =
    (values: string[] | Error) =>
    (req: SentRequest): unknown =>
      req.path === '/api/v1/label/cluster/values'
        ? values instanceof Error
          ? values
          : success(values)
        : prometheus()(req);

  function renderEditor(respond: (req: SentRequest) => unknown, query: Partial<RealMemoryQuery> = {}) {
    const sent = installBackendSrv(inMemory(respond)).requests;
    render(
      <QueryEditor
        datasource={makeDataSource()}
        query={{ refId: 'A', ...query }}
        onChange={jest.fn()}
        onRunQuery={jest.fn()}
      />
    );
    return sent;
  }
  const clusterPicker = () => screen.queryByRole('combobox', { name: 'Cluster' });
  /** The cluster lookup answered and rendered. */
  const answered = async (sent: SentRequest[]) => {
    await waitFor(() => expect(labelRequests(sent, 'cluster')).toHaveLength(1));
    await new Promise((r) => setTimeout(r, 20));
  };

  it('is hidden when no series has a cluster label; shown while that is being asked', async () => {
    const sent = renderEditor(clusterValues([]));
    expect(clusterPicker()).toBeInTheDocument();
    await waitFor(() => expect(clusterPicker()).not.toBeInTheDocument());
    // Asked once, among the containers' series, whatever the other filters.
    expect(labelRequests(sent, 'cluster')).toEqual([[`${WS}{${EXCLUSIONS}}`]]);
    expect(screen.getByRole('combobox', { name: 'Namespace' })).toBeInTheDocument();
  });

  it('is shown when series have cluster values', async () => {
    const sent = renderEditor(clusterValues(['prod']));
    await answered(sent);
    expect(clusterPicker()).toBeInTheDocument();
  });

  it('stays while the query filters by a cluster, so that filter can be removed', async () => {
    const sent = renderEditor(clusterValues([]), { cluster: 'prod' });
    await answered(sent);
    expect(clusterPicker()).toBeInTheDocument();
    expect(pills('Cluster')).toEqual(['prod']);
  });

  it('stays when the lookup fails: unknown is not none', async () => {
    const sent = renderEditor(clusterValues(new Error('dial tcp 10.0.0.1:9090: connect: connection refused')));
    await answered(sent);
    expect(clusterPicker()).toBeInTheDocument();
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

describe('QueryEditor: no series', () => {
  it('says so with the same severity as the panel (a warning)', async () => {
    setup({ namespace: 'nope' }, []);
    const title = await screen.findByText(/No cAdvisor memory series match this selection/);
    expect(title.closest('[data-testid^="data-testid Alert"]')).toHaveAttribute(
      'data-testid',
      'data-testid Alert warning'
    );
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
    await openOptions(user);
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

  it('toggles the memory pressure line in the real-used view, and the summary says so', async () => {
    const user = userEvent.setup();
    const { onChange, rerender } = setup({ showPressure: true });
    // The closed group's one-line summary says it is on.
    expect(screen.getByTestId('options-summary')).toHaveTextContent(/Pressure: shown/);
    await openOptions(user);
    expect(screen.getByRole('switch', { name: 'Show pressure' })).toBeChecked();
    await user.click(screen.getByRole('switch', { name: 'Show pressure' }));
    expect(onChange).toHaveBeenLastCalledWith(expect.objectContaining({ showPressure: false }));
    rerender({ view: 'headroom' });
    expect(screen.queryByRole('switch', { name: 'Show pressure' })).not.toBeInTheDocument();
  });

  it('shows only the controls a view uses', async () => {
    const user = userEvent.setup();
    const { rerender } = setup({ view: 'headroom' });
    await openOptions(user);
    // Headroom and leak check always use real used; limits and usage belong to the real-used view.
    expect(screen.queryByTestId('formula-help')).not.toBeInTheDocument();
    expect(screen.queryByRole('switch', { name: 'Show limits' })).not.toBeInTheDocument();
    expect(screen.queryByRole('switch', { name: 'Show usage' })).not.toBeInTheDocument();
    expect(screen.getByRole('textbox', { name: 'Legend' })).toBeInTheDocument();
    expect(screen.getByRole('radiogroup', { name: 'Headroom in' })).toBeInTheDocument();
    rerender({ view: 'leakCheck' });
    expect(screen.queryByRole('textbox', { name: 'Legend' })).not.toBeInTheDocument();
    expect(screen.getByRole('combobox', { name: 'Namespace' })).toBeInTheDocument();
    // Leak check is a table: the editor says which panel shows it.
    expect(screen.getByTestId('view-help')).toHaveTextContent(/show it in a Table panel/);
    rerender({ view: 'realVsWorkingSet' });
    expect(screen.getByTestId('formula-help')).toBeInTheDocument();
    expect(screen.getByRole('switch', { name: 'Show limits' })).toBeInTheDocument();
  });

  it('edits the legend and runs the query on blur', async () => {
    const user = userEvent.setup();
    const { onChange, onRunQuery } = setup();
    await openOptions(user);
    await user.type(screen.getByRole('textbox', { name: 'Legend' }), 'x');
    expect(onChange).toHaveBeenLastCalledWith(expect.objectContaining({ legendFormat: 'x' }));
    expect(onRunQuery).not.toHaveBeenCalled();
    await user.tab();
    expect(onRunQuery).toHaveBeenCalled();
  });

  it('headroom in bytes or % of limit', async () => {
    const user = userEvent.setup();
    const { onChange, onRunQuery } = setup({ view: 'headroom' });
    expect(screen.getByRole('radio', { name: 'Bytes' })).toBeChecked();
    await user.click(screen.getByRole('radio', { name: '% of limit' }));
    expect(onChange).toHaveBeenLastCalledWith(expect.objectContaining({ headroomUnit: 'percent' }));
    expect(onRunQuery).toHaveBeenCalledTimes(1);
  });

  it('sets a min step and runs the query on blur', async () => {
    const user = userEvent.setup();
    const { onChange, onRunQuery } = setup();
    await openOptions(user);
    await user.type(screen.getByRole('textbox', { name: 'Min step' }), '5');
    expect(onChange).toHaveBeenLastCalledWith(expect.objectContaining({ minStep: '5' }));
    expect(onRunQuery).not.toHaveBeenCalled();
    await user.tab();
    expect(onRunQuery).toHaveBeenCalled();
  });

  it('says under Top what is wrong as it is typed, keeps the text to fix, and stops once it is a whole number', async () => {
    const user = userEvent.setup();
    const { last } = setupHosted({ topN: 10 });
    await openOptions(user);
    const top = screen.getByRole('textbox', { name: 'Top' });
    const message = 'Top must be a whole number from 0 (all) to 100000, not "abc".';
    await user.clear(top);
    await user.type(top, 'abc');
    expect(top).toHaveValue('abc');
    expect(last().topN).toBe('abc');
    expect(top).toHaveAccessibleDescription(message);
    expect(top).toHaveAttribute('aria-invalid', 'true');
    // The run refuses it in the same words.
    expect(validateQuery(last())).toEqual({ ok: false, error: message });

    await user.clear(top);
    await user.type(top, '200000');
    expect(last().topN).toBe(200000);
    expect(top).toHaveAccessibleDescription('Top must be a whole number from 0 (all) to 100000, not 200000.');

    await user.clear(top);
    await user.type(top, '25');
    expect(last().topN).toBe(25);
    expect(screen.queryByText(/Top must be/)).not.toBeInTheDocument();
    expect(top).toHaveAttribute('aria-invalid', 'false');
    await user.clear(top);
    expect(last().topN).toBeUndefined();
    expect(screen.queryByText(/Top must be/)).not.toBeInTheDocument();
  });

  it('offers Top in the nodes view (nodes closest to eviction), not with the eviction order', async () => {
    const user = userEvent.setup();
    setupHosted({ view: 'nodes', nodeView: 'memory', topN: 5 });
    await openOptions(user);
    expect(screen.getByRole('textbox', { name: 'Top' })).toHaveValue('5');
    cleanup();
    setupHosted({ view: 'nodes', nodeView: 'evictionOrder', topN: 5 });
    await openOptions(user);
    expect(screen.queryByRole('textbox', { name: 'Top' })).not.toBeInTheDocument();
  });

  it('says under Min step what is wrong as it is typed, and nothing of a $variable (known when the query runs)', async () => {
    const user = userEvent.setup();
    const { last } = setupHosted();
    await openOptions(user);
    const minStep = screen.getByRole('textbox', { name: 'Min step' });
    const message = 'Min step must be a duration such as 30s, 1m or 1h, not "3x".';
    await user.type(minStep, '3x');
    expect(last().minStep).toBe('3x');
    expect(minStep).toHaveAccessibleDescription(message);
    expect(validateQuery(last())).toEqual({ ok: false, error: message });

    await user.clear(minStep);
    await user.type(minStep, '1m');
    expect(last().minStep).toBe('1m');
    expect(screen.queryByText(/Min step must be/)).not.toBeInTheDocument();
    expect(minStep).toHaveAttribute('aria-invalid', 'false');

    await user.clear(minStep);
    await user.type(minStep, '$step');
    expect(last().minStep).toBe('$step');
    expect(screen.queryByText(/Min step must be/)).not.toBeInTheDocument();
  });

  it('summarises the closed options in one line', () => {
    setup({ legendFormat: '{{pod}}', topN: 5, minStep: '1m', showLimits: true });
    expect(screen.getByTestId('options-summary')).toHaveTextContent(
      'Legend: {{pod}}Top: 5Min step: 1mUsage: offLimits: shown'
    );
    expect(screen.queryByRole('textbox', { name: 'Legend' })).not.toBeInTheDocument();
  });

  it('warns when the legend names a label the level does not have', () => {
    setup({ groupBy: 'namespace', legendFormat: '{{pod}}' });
    expect(
      screen.getByText(/Legend \{\{pod\}\}: no such label when grouped by namespace.*the default legend is used/)
    ).toBeInTheDocument();
  });
});

describe('QueryEditor and the last run', () => {
  it('headroom without a limit: a warning naming how many groups lack one', () => {
    setup(
      { view: 'headroom' },
      undefined,
      panelData([
        {
          notices: [
            `${NO_LIMIT_NOTICE_PREFIX}none set: unlimited): headroom is not defined — 1 of 2 containers: shop/api-0/app.`,
          ],
        },
        {},
      ])
    );
    expect(
      screen.getByText(/No memory limit for 1 of 2 containers: their headroom is not defined/)
    ).toBeInTheDocument();
  });

  it('Copy PromQL offers the PromQL of the last run for this query, each expression once', () => {
    const exprA = 'max by (cluster, namespace, pod, container) (container_memory_working_set_bytes{namespace="shop"})';
    const exprB =
      'max by (cluster, namespace, pod, container) (container_memory_total_active_file_bytes{namespace="shop"})';
    const { rerender } = setup({ namespace: 'shop' });
    const button = () => screen.getByRole('button', { name: /Copy PromQL/ });
    expect(button()).toHaveAttribute('aria-disabled', 'true');
    const data = panelData([{ executed: `${exprA}\n${exprB}` }, { executed: `${exprA}\n${exprB}` }]);
    rerender({ namespace: 'shop' }, data);
    expect(button()).not.toHaveAttribute('aria-disabled', 'true');
    expect(executedPromQL(data.series, 'A')).toBe(`${exprA}\n${exprB}`);
    // Another query's frames are not this one's PromQL.
    expect(executedPromQL(data.series, 'B')).toBe('');
  });
});

describe('a stored query of the wrong types', () => {
  it('renders without those keys, says which, and the first change stores the typed query', async () => {
    const user = userEvent.setup();
    const stored = {
      namespace: 42,
      pod: ['web-1'],
      legendFormat: 7,
      showLimits: 'false',
    } as unknown as RealMemoryQuery;
    const { last } = setupHosted(stored);
    expect(await screen.findByText('This stored query has values of the wrong type')).toBeInTheDocument();
    expect(
      screen.getByText(/namespace must be text .* got a number \(42\)\. legendFormat must be text/)
    ).toBeInTheDocument();
    await user.click(screen.getByRole('radio', { name: 'Pod' }));
    expect(last()).toEqual({ refId: 'A', pod: '/(web-1)/', showLimits: false, groupBy: 'pod' });
    expect(screen.queryByText('This stored query has values of the wrong type')).not.toBeInTheDocument();
  });
});

describe('long and odd label values', () => {
  const pods = ['!odd-0', '/slashed/', ...Array.from({ length: 2500 }, (_, i) => `pod-${i}`)];
  const manyPods = (req: SentRequest) => {
    const label = /^\/api\/v1\/label\/([^/]+)\/values$/.exec(req.path)?.[1];
    return label === 'pod' ? success(pods) : prometheus()(req);
  };

  it('says when the picker shows only the first 2,000 values', async () => {
    const user = userEvent.setup();
    installBackendSrv(inMemory(manyPods));
    render(
      <QueryEditor datasource={makeDataSource()} query={{ refId: 'A' }} onChange={jest.fn()} onRunQuery={jest.fn()} />
    );
    await user.click(screen.getByRole('combobox', { name: 'Pod' }));
    // 2,502 values and the dashboard's two variables.
    expect(
      await screen.findByText('Showing the first 2,000 of 2,504: type to narrow', undefined, { timeout: 15000 })
    ).toBeInTheDocument();
    await user.keyboard('pod-249');
    // 11 values match now: no word of a cut.
    await waitFor(() => expect(screen.queryByText(/Showing the first/)).not.toBeInTheDocument(), { timeout: 15000 });
    expect(screen.getAllByRole('option').map((o) => o.textContent)).toContain('pod-2499');
  });

  it.each([
    ['!odd', '!odd-0', '/!odd-0/'],
    // "/" is no regex syntax: the regex /slashed/ between the filter's slashes matches exactly that value.
    ['slashed', '/slashed/', '//slashed//'],
  ])(
    'a value picked from the list (%s) is stored as an exact match, not read as an exclusion or a regex',
    async (typed, value, stored) => {
      const user = userEvent.setup();
      installBackendSrv(inMemory(manyPods));
      const onChange = jest.fn();
      render(
        <QueryEditor datasource={makeDataSource()} query={{ refId: 'A' }} onChange={onChange} onRunQuery={jest.fn()} />
      );
      await user.click(screen.getByRole('combobox', { name: 'Pod' }));
      await user.keyboard(typed);
      // Under a loaded machine the picker's debounced lookup can take seconds.
      const option = await screen.findByRole(
        'option',
        { name: new RegExp(`^${value.replace(/[/!]/g, '\\$&')}`) },
        { timeout: 15000 }
      );
      await user.click(option);
      expect(onChange).toHaveBeenLastCalledWith(expect.objectContaining({ pod: stored }));
    }
  );
});
