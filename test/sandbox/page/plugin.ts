// Loads the built plugin as Grafana does: plugin.json is the meta, module.js an AMD module
// served under public/plugins/<id>/, whose `plugin` export is a DataSourcePlugin.
import { DataSourcePlugin, DataSourcePluginMeta } from '@grafana/data';

import { loadAmdModule } from './amd';

export async function loadPlugin(pluginId: string): Promise<DataSourcePlugin<any, any, any>> {
  const base = `public/plugins/${pluginId}`;
  const res = await fetch(`/${base}/plugin.json`);
  if (!res.ok) {
    throw new Error(`/${base}/plugin.json: ${res.status} ${res.statusText} (was the plugin built?)`);
  }
  const json = await res.json();
  const exports = await loadAmdModule(`/${base}/module.js`);
  const plugin = exports?.plugin as DataSourcePlugin<any, any, any> | undefined;
  if (!plugin || !plugin.DataSourceClass) {
    throw new Error(`/${base}/module.js does not export a data source plugin ("plugin")`);
  }
  const meta: DataSourcePluginMeta = { ...json, baseUrl: base, module: `${base}/module`, info: { ...json.info } };
  plugin.meta = meta;
  return plugin;
}
