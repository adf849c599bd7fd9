// The dashboard plugin.json includes (src/dashboards/real-memory.json, imported from the data source's
// Dashboards tab) is generated from the provisioned one (provisioning/dashboards/real-memory.json, the
// source), as Grafana's "Export for sharing externally" would: the provisioned data source's uid becomes
// the input ${DS_REAL_MEMORY}, which Grafana fills with the data source the user imports it from.
// After editing the provisioned dashboard, regenerate the included one:
//   node -r ts-node/register/transpile-only scripts/package/pluginDashboard.ts
import fs from 'fs';
import path from 'path';

const REPO = path.resolve(__dirname, '../..');
export const PROVISIONED_DASHBOARD = 'provisioning/dashboards/real-memory.json';
export const INCLUDED_DASHBOARD = 'src/dashboards/real-memory.json';
export const DS_INPUT = 'DS_REAL_MEMORY';
export const REGENERATE = 'node -r ts-node/register/transpile-only scripts/package/pluginDashboard.ts';

// Grafana's own data sources (annotations and alerts, mixed, dashboard, expressions): in every Grafana.
const BUILT_IN_TYPES = ['grafana', 'datasource', '__expr__'];

interface PluginMeta {
  id: string;
  name: string;
}

/** The included dashboard's text, from the provisioned dashboard's text. */
export function pluginDashboardText(provisioned: string, plugin: PluginMeta): string {
  let ours = 0;
  const bind = (value: unknown, where: string): unknown => {
    if (Array.isArray(value)) {
      return value.map((v, i) => bind(v, `${where}[${i}]`));
    }
    if (value === null || typeof value !== 'object') {
      return value;
    }
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value)) {
      out[key] = key === 'datasource' ? datasourceRef(v, `${where}.datasource`) : bind(v, `${where}.${key}`);
    }
    return out;
  };
  const datasourceRef = (ref: any, where: string) => {
    if (ref?.type === plugin.id) {
      ours++;
      return { ...ref, uid: `\${${DS_INPUT}}` };
    }
    // A dashboard variable ($ds) or one of Grafana's own is there wherever the dashboard is imported.
    if (BUILT_IN_TYPES.includes(ref?.type) || /^\$/.test(ref?.uid ?? '')) {
      return ref;
    }
    throw new Error(
      `${where} is ${JSON.stringify(ref)}: only Real Memory, a variable or Grafana's own data sources ` +
        'exist in the Grafana a user imports the dashboard into'
    );
  };
  const dashboard = bind(JSON.parse(provisioned), '$') as Record<string, unknown>;
  if (ours === 0) {
    throw new Error(`${PROVISIONED_DASHBOARD} has no query on ${plugin.id}`);
  }
  const input = {
    name: DS_INPUT,
    label: plugin.name,
    description: '',
    type: 'datasource',
    pluginId: plugin.id,
    pluginName: plugin.name,
  };
  return JSON.stringify({ __inputs: [input], ...dashboard }, null, 2) + '\n';
}

/** What INCLUDED_DASHBOARD must hold for the current provisioned dashboard and plugin.json. */
export function expectedIncludedDashboard(repo = REPO): string {
  const plugin = JSON.parse(fs.readFileSync(path.join(repo, 'src', 'plugin.json'), 'utf8'));
  return pluginDashboardText(fs.readFileSync(path.join(repo, PROVISIONED_DASHBOARD), 'utf8'), plugin);
}

if (require.main === module) {
  const target = path.join(REPO, INCLUDED_DASHBOARD);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.writeFileSync(target, expectedIncludedDashboard());
  console.log(`${INCLUDED_DASHBOARD}: written from ${PROVISIONED_DASHBOARD}`);
}
