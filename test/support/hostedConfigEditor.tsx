// A data source's settings as Grafana's settings page holds them: a host component keeps the
// options the editor changes, so every change renders again. Shared by the config editor tests.
import React, { ComponentType, useState } from 'react';
import { render } from '@testing-library/react';
import { DataSourcePluginOptionsEditorProps, DataSourceSettings } from '@grafana/data';

import { RealMemoryOptions, RealMemorySecureData } from '../../src/types';

export type Options = DataSourceSettings<RealMemoryOptions, RealMemorySecureData>;
type Props = DataSourcePluginOptionsEditorProps<RealMemoryOptions, RealMemorySecureData>;

/** A new data source's settings, as Grafana creates them, with `patch` applied. */
export function dataSourceSettings(patch: Partial<Options> = {}): Options {
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

/** Renders `Editor` on `initial`, holding the options; returns every change it made. */
export function renderHostedConfigEditor(
  Editor: ComponentType<Props>,
  initial: Options = dataSourceSettings()
): Options[] {
  const changes: Options[] = [];
  function Host() {
    const [options, setOptions] = useState(initial);
    return (
      <Editor
        options={options}
        onOptionsChange={(next) => {
          changes.push(next);
          setOptions(next);
        }}
      />
    );
  }
  render(<Host />);
  return changes;
}
