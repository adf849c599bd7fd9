import '../../test/support/polyfills';
import React, { ComponentType, useState } from 'react';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { DataSourcePluginOptionsEditorProps, DataSourceSettings } from '@grafana/data';

import { RealMemoryOptions, RealMemorySecureData } from '../types';
import { LazyConfigEditor, lazyConfigEditor } from './LazyConfigEditor';

type Props = DataSourcePluginOptionsEditorProps<RealMemoryOptions, RealMemorySecureData>;
type Options = DataSourceSettings<RealMemoryOptions, RealMemorySecureData>;

const OPTIONS = {
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
  basicAuth: false,
  basicAuthUser: '',
  isDefault: false,
  jsonData: {},
  secureJsonFields: {},
  readOnly: false,
  withCredentials: false,
} as Options;

/** Holds the options like Grafana's settings page does, and records every change. */
function renderEditor(Editor: ComponentType<Props>) {
  const changes: Options[] = [];
  function Host() {
    const [options, setOptions] = useState(OPTIONS);
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

describe('LazyConfigEditor', () => {
  it('shows a placeholder, then the real config editor, which keeps changes', async () => {
    const changes = renderEditor(LazyConfigEditor);
    expect(screen.getByText('Loading settings…')).toBeInTheDocument();

    // The first import transforms the editor and @grafana/plugin-ui: seconds on a cold jest cache.
    const url = await screen.findByPlaceholderText('e.g. http://prometheus:9090', {}, { timeout: 60000 });
    expect(screen.queryByText('Loading settings…')).not.toBeInTheDocument();
    await userEvent.setup().type(url, 'http://prom:9090');
    // What only the real ConfigEditor does: mirror the URL for the bearer route.
    expect(changes.at(-1)?.url).toBe('http://prom:9090');
    expect(changes.at(-1)?.jsonData.bearerUrl).toBe('http://prom:9090');
  }, 90000);

  it('says why when the chunk cannot be loaded, instead of a blank page', async () => {
    // React reports an error its boundary caught on console.error.
    const consoleError = jest.spyOn(console, 'error').mockImplementation(() => {});
    try {
      // The message webpack's ChunkLoadError carries when the script fails to download.
      const chunkError = Object.assign(
        new Error(
          'Loading chunk 742 failed.\n(error: http://grafana.local/public/plugins/x/configEditor.js?_cache=fc8cf44c)'
        ),
        { name: 'ChunkLoadError' }
      );
      renderEditor(lazyConfigEditor(() => Promise.reject(chunkError)));

      expect(await screen.findByRole('alert')).toHaveTextContent(
        'The settings editor could not be loaded: Loading chunk 742 failed. ' +
          '(error: http://grafana.local/public/plugins/x/configEditor.js?_cache=fc8cf44c). Reload the page.'
      );
      expect(screen.queryByText('Loading settings…')).not.toBeInTheDocument();
      expect(screen.queryByPlaceholderText('e.g. http://prometheus:9090')).not.toBeInTheDocument();
    } finally {
      consoleError.mockRestore();
    }
  });
});
