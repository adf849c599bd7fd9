import '../../test/support/polyfills';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';

import { Options, dataSourceSettings as baseOptions } from '../../test/support/dataSourceSettings';
import { renderHostedConfigEditor } from '../../test/support/hostedConfigEditor';
import { ConfigEditor } from './ConfigEditor';

/** Holds the options like Grafana's settings page does, and records every change. */
function setup(initial: Options = baseOptions()) {
  const changes = renderHostedConfigEditor(ConfigEditor, initial);
  const last = () => changes[changes.length - 1];
  return { changes, last, user: userEvent.setup() };
}

describe('ConfigEditor connection and auth', () => {
  it('mirrors the URL into jsonData.bearerUrl for the bearer route', async () => {
    const { user, last } = setup();
    await user.type(screen.getByPlaceholderText('e.g. http://prometheus:9090'), 'http://prom:9090');
    expect(last().url).toBe('http://prom:9090');
    expect(last().jsonData.bearerUrl).toBe('http://prom:9090');
  });

  it('offers a bearer token method that stores the token as a secret and turns other methods off', async () => {
    const { user, last } = setup(baseOptions({ url: 'http://prom:9090', basicAuth: true, basicAuthUser: 'admin' }));
    await user.click(screen.getByLabelText('Authentication method'));
    await user.click(await screen.findByText('Bearer token'));
    expect(last().jsonData.bearerAuth).toBe(true);
    expect(last().basicAuth).toBe(false);

    await user.type(screen.getByLabelText('Bearer token'), 's3cr3t');
    expect(last().secureJsonData?.bearerToken).toBe('s3cr3t');
    expect(JSON.stringify(last().jsonData)).not.toContain('s3cr3t');
  });

  it('resets a configured token, and leaves the bearer method when basic auth is chosen', async () => {
    const { user, last } = setup(
      baseOptions({ url: 'http://prom:9090', jsonData: { bearerAuth: true }, secureJsonFields: { bearerToken: true } })
    );
    await user.click(screen.getByRole('button', { name: /reset/i }));
    expect(last().secureJsonFields.bearerToken).toBe(false);
    expect(last().secureJsonData?.bearerToken).toBe('');

    await user.click(screen.getByLabelText('Authentication method'));
    await user.click(await screen.findByText('Basic authentication'));
    expect(last().jsonData.bearerAuth).toBe(false);
    expect(last().basicAuth).toBe(true);
  });
});

describe('ConfigEditor Real Memory settings', () => {
  it('keeps an invalid extra selector as typed, with the parser message and what follows from it', async () => {
    const { user, last } = setup();
    const input = screen.getByLabelText('Extra selector');
    await user.type(input, 'cluster=prod');
    // Stored as typed: the settings show what the user wrote, and the data source refuses to run with it.
    expect(last().jsonData.extraSelector).toBe('cluster=prod');
    expect(input).toHaveValue('cluster=prod');
    expect(
      screen.getByText(
        /the value of "cluster" must be quoted.*column 9.*Save & test and every query fail until this is fixed/
      )
    ).toBeInTheDocument();

    await user.clear(input);
    await user.type(input, 'cluster="prod", job=~"kubelet|cadvisor"');
    expect(last().jsonData.extraSelector).toBe('cluster="prod", job=~"kubelet|cadvisor"');
    expect(screen.queryByText(/fail until this is fixed/)).not.toBeInTheDocument();
  });

  it('shows the regex backslash mistake with a hint', async () => {
    const { user, last } = setup();
    await user.type(screen.getByLabelText('Extra selector'), 'pod=~"web-\\d+"');
    expect(screen.getByText(/unknown escape "\\d"/)).toBeInTheDocument();
    expect(last().jsonData.extraSelector).toBe('pod=~"web-\\d+"');
  });

  it('validates relabeled label names', async () => {
    const { user, last } = setup();
    const input = screen.getByLabelText('Namespace label');
    await user.type(input, 'k8s-namespace');
    expect(screen.getByText(/"k8s-namespace" is not a Prometheus label name/)).toBeInTheDocument();
    expect(last().jsonData.namespaceLabel).toBe('k8s-namespace');
    await user.clear(input);
    await user.type(input, 'kubernetes_namespace');
    expect(last().jsonData.namespaceLabel).toBe('kubernetes_namespace');
    expect(screen.queryByText(/is not a Prometheus label name/)).not.toBeInTheDocument();
  });

  it('placeholders say they are defaults, not values', () => {
    setup();
    expect(screen.getByLabelText('Namespace label')).toHaveAttribute('placeholder', 'default: namespace');
    expect(screen.getByLabelText('Cluster label')).toHaveAttribute('placeholder', 'default: cluster');
    expect(screen.getByLabelText('Extra selector')).toHaveAttribute('placeholder', 'none (optional)');
  });

  it('an invalid setting stored earlier (e.g. by provisioning) is shown with its problem on load', () => {
    setup(baseOptions({ jsonData: { podLabel: 'k8s-pod' } }));
    expect(screen.getByLabelText('Pod label')).toHaveValue('k8s-pod');
    expect(screen.getByText(/"k8s-pod" is not a Prometheus label name/)).toBeInTheDocument();
  });

  it('a setting of the wrong type from provisioning loads, shown with what was expected, and typing fixes it', async () => {
    const { user, last } = setup(
      baseOptions({
        jsonData: { extraSelector: 42, evictionHard: 1e9, bearerAuth: 'no' } as unknown as Options['jsonData'],
      })
    );
    const selector = screen.getByLabelText('Extra selector');
    expect(selector).toHaveValue('42');
    expect(screen.getByText(/Extra selector must be text, got a number \(42\)/)).toBeInTheDocument();
    // A number where a quantity is allowed is that quantity: no problem shown.
    expect(screen.getByLabelText('Eviction hard')).toHaveValue('1000000000');
    expect(screen.queryByText(/must be a quantity/)).toBeNull();
    expect(screen.getAllByText(/fail until this is fixed/)).toHaveLength(1);
    // "no" is not a boolean: the bearer method is not chosen.
    expect(screen.queryByLabelText('Bearer token')).not.toBeInTheDocument();

    await user.clear(selector);
    await user.type(selector, 'cluster="prod"');
    expect(last().jsonData.extraSelector).toBe('cluster="prod"');
    expect(screen.queryByText(/must be text/)).not.toBeInTheDocument();
  });

  it('sets the default formula and explains it', async () => {
    const { user, last } = setup();
    await user.click(screen.getByRole('radio', { name: 'Usage − active file' }));
    expect(last().jsonData.defaultFormula).toBe('usageMinusActiveFile');
    expect(screen.getAllByText(/keeps inactive cache, drops active/).length).toBeGreaterThan(0);
  });
});

describe('ConfigEditor sections "Labels" and "Nodes view"', () => {
  const fieldsIn = (section: HTMLElement) =>
    within(section)
      .getAllByRole('textbox')
      .map((input) => input.getAttribute('aria-label'));

  it('puts each setting in the section its meaning belongs to, each section titled and described', () => {
    setup();
    const labels = screen.getByRole('group', { name: 'Labels' });
    const nodesView = screen.getByRole('group', { name: 'Nodes view' });
    expect(fieldsIn(labels)).toEqual([
      'Namespace label',
      'Pod label',
      'Container label',
      'Cluster label',
      'Extra selector',
      'Node label',
    ]);
    expect(fieldsIn(nodesView)).toEqual(['Eviction hard', 'Eviction soft']);
    expect(within(labels).getByRole('heading', { name: 'Labels' })).toBeInTheDocument();
    expect(within(labels).getByText(/if relabeling renamed them/)).toBeInTheDocument();
    expect(within(nodesView).getByRole('heading', { name: 'Nodes view' })).toBeInTheDocument();
    expect(
      within(nodesView).getByText(/eviction thresholds, drawn as lines on each node's memory/)
    ).toBeInTheDocument();
    // The default formula is about every view: in neither section.
    expect(within(labels).queryByRole('radio')).toBeNull();
    expect(within(nodesView).queryByRole('radio')).toBeNull();
  });

  it("shows an invalid setting's problem in its own section", () => {
    setup(baseOptions({ jsonData: { evictionHard: '100mi', podLabel: 'k8s-pod' } }));
    const labels = screen.getByRole('group', { name: 'Labels' });
    const nodesView = screen.getByRole('group', { name: 'Nodes view' });
    expect(within(nodesView).getByText(/"100mi" has an unknown unit "mi"/)).toBeInTheDocument();
    expect(within(labels).queryByText(/unknown unit/)).toBeNull();
    expect(within(labels).getByText(/"k8s-pod" is not a Prometheus label name/)).toBeInTheDocument();
    expect(within(nodesView).queryByText(/is not a Prometheus label name/)).toBeNull();
  });
});
