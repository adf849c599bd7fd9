// Sandbox page entry: provides the host's modules to the plugin (the externals in
// .config/bundler/externals.ts), wires @grafana/runtime's services, loads the built plugin
// the way Grafana does and renders the app.
// Grafana's UI font (its theme asks for "Inter"), served with the page so screenshots look like Grafana.
import '@fontsource/inter/300.css';
import '@fontsource/inter/400.css';
import '@fontsource/inter/500.css';
import * as emotionCss from '@emotion/css';
import * as emotionReact from '@emotion/react';
import * as grafanaData from '@grafana/data';
import * as grafanaRuntime from '@grafana/runtime';
import * as grafanaUi from '@grafana/ui';
import * as i18next from 'i18next';
import * as lodash from 'lodash';
// Plugins get moment from the host as an external; the rule (use dateTime) is for plugin code.
// eslint-disable-next-line no-restricted-imports
import * as moment from 'moment';
import * as React from 'react';
import * as reactDom from 'react-dom';
import { createRoot } from 'react-dom/client';
import * as jsxRuntime from 'react/jsx-runtime';
import * as rxjs from 'rxjs';

import { registerModule } from './amd';
import { App } from './App';
import { loadPlugin } from './plugin';
import { SandboxDataSourceSrv } from './dataSourceSrv';
import { TestBackendSrv } from '../../support/backendSrv';
import { sameOrigin } from '../../support/grafanaServer';
import { TestTemplateSrv, TestVariable } from '../../support/templateSrv';

const modules: Record<string, unknown> = {
  '@grafana/data': grafanaData,
  '@grafana/ui': grafanaUi,
  '@grafana/runtime': grafanaRuntime,
  react: React,
  'react-dom': reactDom,
  'react/jsx-runtime': jsxRuntime,
  rxjs,
  '@emotion/css': emotionCss,
  '@emotion/react': emotionReact,
  lodash,
  moment,
  i18next,
};
for (const [name, exports] of Object.entries(modules)) {
  registerModule(name, exports);
}

interface SandboxConfig {
  pluginId: string;
  uid: string;
  variables: TestVariable[];
}

async function main() {
  const cfg: SandboxConfig = (window as any).sandboxConfig;
  // The page's server plays Grafana's APIs and data-source proxy.
  const backendSrv = new TestBackendSrv(sameOrigin());
  const templateSrv = new TestTemplateSrv(cfg.variables);
  grafanaRuntime.setBackendSrv(backendSrv);
  grafanaRuntime.setTemplateSrv(templateSrv);
  const plugin = await loadPlugin(cfg.pluginId);
  const dataSourceSrv = new SandboxDataSourceSrv(plugin, cfg.uid);
  await dataSourceSrv.reload();
  grafanaRuntime.setDataSourceSrv(dataSourceSrv);
  // For tests: what the plugin requested, and the frames the panel received.
  (window as any).sandbox = { backendSrv, dataSourceSrv, templateSrv };
  createRoot(document.getElementById('root')!).render(
    <App plugin={plugin} dataSourceSrv={dataSourceSrv} templateSrv={templateSrv} />
  );
}

main().catch((e) => {
  console.error(e);
  document.getElementById('root')!.innerHTML = '';
  const pre = document.createElement('pre');
  pre.setAttribute('data-testid', 'sandbox-fatal');
  pre.textContent = `The sandbox could not start: ${e?.stack ?? e}`;
  document.getElementById('root')!.appendChild(pre);
});
