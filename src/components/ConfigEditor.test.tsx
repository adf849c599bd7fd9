import '../../test/support/polyfills';
import React, { useState } from 'react';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { DataSourceSettings } from '@grafana/data';

import { RealMemoryOptions, RealMemorySecureData } from '../types';
import { ConfigEditor } from './ConfigEditor';

type Options = DataSourceSettings<RealMemoryOptions, RealMemorySecureData>;

function baseOptions(patch: Partial<Options> = {}): Options {
  return {
    id: 1,
    uid: 'real-memory',
    orgId: 1,
    name: 'Real Memory',
    type: 'realmemory-realmemory-datasource',
    typeName: 'Real Memory',
    typeLogoUrl: '',
    access: 'proxy',
    url: '',
    user: '',
    database: '',
    basicAuth: false,
    basicAuthUser: '',
    isDefault: false,
    jsonData: {},
    secureJsonFields: {},
    readOnly: false,
    withCredentials: false,
    ...patch,
  } as Options;
}

/** Holds the options like Grafana's settings page does, and records every change. */
function setup(initial: Options = baseOptions()) {
  const changes: Options[] = [];
  function Host() {
    const [options, setOptions] = useState(initial);
    return (
      <ConfigEditor
        options={options}
        onOptionsChange={(next) => {
          changes.push(next);
          setOptions(next);
        }}
      />
    );
  }
  render(<Host />);
  const last = () => changes[changes.length - 1];
  return { changes, last, user: userEvent.setup() };
}

describe('ConfigEditor connection and auth', () => {
  it('mirrors the URL into jsonData.bearerUrl for the bearer route', async () => {
    const { user, last } = setup();
    await user.type(screen.getByPlaceholderText('http://prometheus:9090'), 'http://prom:9090');
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
  it('refuses an invalid extra selector with a message naming the problem, and saves it once fixed', async () => {
    const { user, last, changes } = setup();
    const input = screen.getByLabelText('Extra selector');
    await user.type(input, 'cluster=prod');
    expect(screen.getByText(/Not saved: the value of "cluster" must be quoted.*column 9/)).toBeInTheDocument();
    expect(changes.every((c) => c.jsonData.extraSelector !== 'cluster=prod')).toBe(true);

    await user.clear(input);
    await user.type(input, 'cluster="prod", job=~"kubelet|cadvisor"');
    expect(last().jsonData.extraSelector).toBe('cluster="prod", job=~"kubelet|cadvisor"');
    expect(screen.queryByText(/Not saved/)).not.toBeInTheDocument();
  });

  it('refuses the regex backslash mistake with a hint', async () => {
    const { user, changes } = setup();
    await user.type(screen.getByLabelText('Extra selector'), 'pod=~"web-\\d+"');
    expect(screen.getByText(/Not saved: unknown escape "\\d"/)).toBeInTheDocument();
    expect(changes.some((c) => c.jsonData.extraSelector?.includes('\\d'))).toBe(false);
  });

  it('validates relabeled label names', async () => {
    const { user, last } = setup();
    const input = screen.getByLabelText('Namespace label');
    await user.type(input, 'k8s-namespace');
    expect(screen.getByText(/Not saved: "k8s-namespace" is not a Prometheus label name/)).toBeInTheDocument();
    await user.clear(input);
    await user.type(input, 'kubernetes_namespace');
    expect(last().jsonData.namespaceLabel).toBe('kubernetes_namespace');
  });

  it('sets the default formula and explains it', async () => {
    const { user, last } = setup();
    await user.click(screen.getByRole('radio', { name: 'Usage − active file' }));
    expect(last().jsonData.defaultFormula).toBe('usageMinusActiveFile');
    expect(screen.getAllByText(/keeps inactive cache, drops active/).length).toBeGreaterThan(0);
  });
});
