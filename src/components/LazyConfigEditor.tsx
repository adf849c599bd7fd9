import React, { Component, ComponentType, ReactNode, Suspense, lazy } from 'react';
import { DataSourcePluginOptionsEditorProps } from '@grafana/data';
import { Alert, LoadingPlaceholder } from '@grafana/ui';

import { RealMemoryOptions, RealMemorySecureData } from '../types';

type Props = DataSourcePluginOptionsEditorProps<RealMemoryOptions, RealMemorySecureData>;
type Load = () => Promise<{ ConfigEditor: ComponentType<Props> }>;

// Its own webpack chunk (configEditor.js beside module.js, fetched from the plugin's folder):
// the connection and auth sections of @grafana/plugin-ui are a large part of the bundle, and
// only the data-source settings page shows them.
const loadChunk: Load = () => import(/* webpackChunkName: "configEditor" */ './ConfigEditor');

/** Says why the editor is missing (a chunk that failed to download) instead of a blank page. */
class LoadFailure extends Component<{ children: ReactNode }, { reason?: string }> {
  state: { reason?: string } = {};

  static getDerivedStateFromError(error: unknown) {
    const message = error instanceof Error ? error.message : String(error);
    // webpack's ChunkLoadError spans two lines and ends with a full stop or the chunk's URL.
    return { reason: message.replace(/\s+/g, ' ').trim().replace(/\.$/, '') };
  }

  render() {
    if (this.state.reason !== undefined) {
      return (
        <Alert
          severity="error"
          title={`The settings editor could not be loaded: ${this.state.reason}. Reload the page.`}
        />
      );
    }
    return this.props.children;
  }
}

/** The config editor, loaded when first shown. `load` is the chunk's import; tests pass a failing one. */
export function lazyConfigEditor(load: Load = loadChunk): ComponentType<Props> {
  const Editor = lazy(() => load().then((m) => ({ default: m.ConfigEditor })));
  return function LazyConfigEditor(props: Props) {
    return (
      <LoadFailure>
        <Suspense fallback={<LoadingPlaceholder text="Loading settings…" />}>
          <Editor {...props} />
        </Suspense>
      </LoadFailure>
    );
  };
}

export const LazyConfigEditor = lazyConfigEditor();
