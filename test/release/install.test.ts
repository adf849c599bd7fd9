/** @jest-environment node */
// The release archive installed the way Grafana installs one: unpacked into an empty plugins
// folder, then served from there (never from dist/) under public/plugins/<id>/ by the sandbox,
// loaded in Debian's Chromium and queried against a real Prometheus backfilled with cAdvisor data.
import fs from 'fs';
import os from 'os';
import path from 'path';
import { Browser, Page } from 'playwright-core';

import {
  Backend,
  inspectFrames,
  launchBrowser,
  legendNames,
  openSandbox,
  rowAt,
  saveAndTest,
  startBackend,
  startHost,
  waitForPanel,
} from '../e2e/harness';
import { expectedFigures } from '../fixtures/expected';
import { Sandbox } from '../sandbox/server';
import { releaseArchive, unpack } from './archive';

jest.setTimeout(120000);

const SELECTION = { namespace: 'shop', pod: 'web-1', container: 'app' };

let release: ReturnType<typeof releaseArchive>;
let pluginsDir: string;
let backend: Backend;
let sandbox: Sandbox;
let browser: Browser;
let page: Page | undefined;

beforeAll(async () => {
  release = releaseArchive();
  pluginsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'realmemory-plugins-'));
  unpack(release.zipPath, pluginsDir);
  backend = await startBackend('new');
  sandbox = await startHost(backend.prometheus.url, path.join(pluginsDir, release.pluginId));
  browser = await launchBrowser();
}, 300000);

afterAll(async () => {
  await page?.close();
  await browser?.close();
  await sandbox?.stop();
  await backend?.prometheus.stop();
  if (pluginsDir) {
    fs.rmSync(pluginsDir, { recursive: true, force: true });
  }
});

test('the unpacked archive is one plugin folder named after its id', () => {
  expect(fs.readdirSync(pluginsDir)).toEqual([release.pluginId]);
  const meta = JSON.parse(fs.readFileSync(path.join(pluginsDir, release.pluginId, 'plugin.json'), 'utf8'));
  expect({ id: meta.id, version: meta.info.version }).toEqual({ id: release.pluginId, version: release.version });
});

test('the installed plugin renders its editors, passes Save & test and answers a query, loading nothing from elsewhere', async () => {
  const { dataset } = backend;
  const opened = await openSandbox(browser, sandbox, {
    from: dataset.start * 1000,
    to: dataset.end * 1000,
    query: SELECTION,
  });
  page = opened.page;
  await waitForPanel(page);

  // The editors: the ConfigEditor's sections and the QueryEditor's pickers.
  const config = page.getByTestId('config-section');
  await expect(config.getByRole('textbox', { name: /url/i }).first().inputValue()).resolves.toBe(
    backend.prometheus.url
  );
  expect(await config.getByText('Authentication', { exact: true }).first().isVisible()).toBe(true);
  for (const picker of ['Namespace', 'Pod', 'Container']) {
    expect(await page.getByRole('combobox', { name: picker, exact: true }).isVisible()).toBe(true);
  }

  // The query's answer: the oracle's figures at a sample time.
  expect(await page.getByTestId('panel-error').count()).toBe(0);
  const legend = await legendNames(page);
  expect(legend).toEqual([expect.stringMatching(/^working set\b.*app/), expect.stringMatching(/^real used\b.*app/)]);
  const want = expectedFigures(dataset.openMetrics, dataset.timestamps, { groupBy: 'container', ...SELECTION }).get(
    'shop/web-1/app'
  )!.points[10];
  const frames = await inspectFrames(page);
  const row = rowAt(frames[0], dataset.timestamps[10], dataset.step);
  const value = (name: string) => Number(Object.entries(row).find(([k]) => k.startsWith(name))![1]);
  expect({ workingSet: value('working set'), realUsed: value('real used') }).toEqual({
    workingSet: want.workingSet,
    realUsed: want.realUsed,
  });

  expect(await saveAndTest(page)).toEqual({ severity: 'success', text: expect.any(String) });

  // Everything came from the sandbox, the plugin's files from the installed folder.
  const origin = new URL(sandbox.url).origin;
  expect(opened.requests.filter((u) => !u.startsWith('data:') && new URL(u).origin !== origin)).toEqual([]);
  const base = `${origin}/public/plugins/${release.pluginId}/`;
  expect(opened.requests).toEqual(
    expect.arrayContaining([`${base}plugin.json`, `${base}module.js`, `${base}img/logo.svg`])
  );
  // The config editor is a chunk of its own, which module.js loaded from the installed folder too.
  expect(opened.requests.filter((u) => u.startsWith(`${base}configEditor.js`))).toEqual([
    expect.stringMatching(/configEditor\.js\?_cache=[0-9a-f]+$/),
  ]);
  const served = await page.evaluate((url) => fetch(url).then((r) => r.json()), `${base}plugin.json`);
  expect(served.info.updated).toBe(
    JSON.parse(fs.readFileSync(path.join(pluginsDir, release.pluginId, 'plugin.json'), 'utf8')).info.updated
  );
  expect(opened.errors).toEqual([]);
});
