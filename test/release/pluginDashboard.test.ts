/** @jest-environment node */
// The dashboard plugin.json includes is the provisioned one, bound to the data source a user imports it
// from (scripts/package/pluginDashboard.ts). The archive's copy is checked in package.test.ts.
import fs from 'fs';
import path from 'path';

import {
  DS_INPUT,
  INCLUDED_DASHBOARD,
  PROVISIONED_DASHBOARD,
  REGENERATE,
  expectedIncludedDashboard,
  pluginDashboardText,
} from '../../scripts/package/pluginDashboard';
import { REPO } from './archive';

const PLUGIN = { id: 'realmemory-realmemory-datasource', name: 'Real Memory' };
const read = (rel: string) => fs.readFileSync(path.join(REPO, rel), 'utf8');

/** Every `datasource` value in a dashboard. */
function datasources(value: unknown, out: unknown[] = []): unknown[] {
  if (Array.isArray(value)) {
    value.forEach((v) => datasources(v, out));
  } else if (value !== null && typeof value === 'object') {
    for (const [key, v] of Object.entries(value)) {
      if (key === 'datasource') {
        out.push(v);
      } else {
        datasources(v, out);
      }
    }
  }
  return out;
}

test('the committed included dashboard is the one generated from the provisioned dashboard', () => {
  // Compared as JSON: a formatter may lay the file out differently.
  const same =
    JSON.stringify(JSON.parse(read(INCLUDED_DASHBOARD))) === JSON.stringify(JSON.parse(expectedIncludedDashboard()));
  expect({ file: INCLUDED_DASHBOARD, upToDate: same, regenerate: REGENERATE }).toEqual({
    file: INCLUDED_DASHBOARD,
    upToDate: true,
    regenerate: REGENERATE,
  });
});

test("every query names the data source input, which Grafana fills with the importing data source's; nothing else changes", () => {
  const provisioned = JSON.parse(read(PROVISIONED_DASHBOARD));
  const included = JSON.parse(pluginDashboardText(read(PROVISIONED_DASHBOARD), PLUGIN));
  expect(included.__inputs).toEqual([
    expect.objectContaining({ name: DS_INPUT, type: 'datasource', pluginId: PLUGIN.id, pluginName: PLUGIN.name }),
  ]);
  const refs = datasources(included);
  expect(refs.length).toBe(datasources(provisioned).length);
  expect(refs.length).toBeGreaterThan(0);
  expect(new Set(refs.map((r) => JSON.stringify(r)))).toEqual(
    new Set([JSON.stringify({ type: PLUGIN.id, uid: `\${${DS_INPUT}}` })])
  );
  // Back to the provisioned uid, it is the provisioned dashboard.
  const { __inputs, ...rest } = included;
  const uid = (provisioned.templating.list[0].datasource as { uid: string }).uid;
  expect(JSON.parse(JSON.stringify(rest).split(`\${${DS_INPUT}}`).join(uid))).toEqual(provisioned);
});

test("keeps Grafana's own data sources and variables, refuses one the importing Grafana does not have", () => {
  const dashboard = (datasource: object) =>
    JSON.stringify({
      panels: [{ datasource: { type: PLUGIN.id, uid: 'real-memory' } }, { datasource, targets: [{ datasource }] }],
    });
  for (const kept of [
    { type: 'grafana', uid: '-- Grafana --' },
    { type: 'datasource', uid: '-- Mixed --' },
    { type: 'prometheus', uid: '$prometheus' },
  ]) {
    const panels = JSON.parse(pluginDashboardText(dashboard(kept), PLUGIN)).panels;
    expect(panels[1].datasource).toEqual(kept);
    expect(panels[0].datasource.uid).toBe(`\${${DS_INPUT}}`);
  }
  expect(() => pluginDashboardText(dashboard({ type: 'prometheus', uid: 'prometheus' }), PLUGIN)).toThrow(
    /\$\.panels\[1\]\.datasource is \{"type":"prometheus","uid":"prometheus"\}/
  );
  expect(() => pluginDashboardText(JSON.stringify({ panels: [] }), PLUGIN)).toThrow(/no query on/);
});
