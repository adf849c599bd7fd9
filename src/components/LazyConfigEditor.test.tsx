import '../../test/support/polyfills';
import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';

import { renderHostedConfigEditor } from '../../test/support/hostedConfigEditor';
import { LazyConfigEditor, lazyConfigEditor } from './LazyConfigEditor';

describe('LazyConfigEditor', () => {
  it('shows a placeholder, then the real config editor, which keeps changes', async () => {
    const changes = renderHostedConfigEditor(LazyConfigEditor);
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
      renderHostedConfigEditor(lazyConfigEditor(() => Promise.reject(chunkError)));

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
