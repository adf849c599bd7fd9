// A data source's settings as Grafana's settings page holds them: a host component keeps the
// options the editor changes, so every change renders again. Shared by the config editor tests.
import React, { ComponentType, useState } from 'react';
import { render } from '@testing-library/react';
import { DataSourcePluginOptionsEditorProps } from '@grafana/data';

import { RealMemoryOptions, RealMemorySecureData } from '../../src/types';
import { Options, dataSourceSettings } from './dataSourceSettings';

type Props = DataSourcePluginOptionsEditorProps<RealMemoryOptions, RealMemorySecureData>;

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
