// Shared set-up for the browser tests: a real Prometheus backfilled with a cAdvisor-format
// dataset, the sandbox serving the built plugin, and Debian's Chromium driven by playwright-core.
import fs from 'fs';
import path from 'path';
import { Browser, Page, chromium } from 'playwright-core';

import { Dataset, DatasetKind, buildDataset } from '../fixtures/cadvisor';
import { buildPage } from '../sandbox/build-page';
import { Sandbox, startSandbox } from '../sandbox/server';
import { httpRequest } from '../support/http';
import { RunningPrometheus, startPrometheus } from '../support/prometheus';

export const REPO = path.resolve(__dirname, '../..');
export const OUTPUT_DIR = path.join(REPO, 'test-output', 'e2e');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--no-first-run',
];

/** The e2e tests exercise the plugin as shipped: dist/ must be built from the current source. */
export function assertPluginBuilt() {
  if (!fs.existsSync(path.join(REPO, 'dist', 'module.js'))) {
    throw new Error('dist/module.js is missing: run "npm run build" first (npm run e2e does).');
  }
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: run "apt-get install -y chromium" (or set CHROMIUM_PATH).`);
  }
}

export interface Backend {
  dataset: Dataset;
  prometheus: RunningPrometheus;
}

export async function startBackend(kind: DatasetKind): Promise<Backend> {
  // The data ends a minute ago, so that "Save & test", which looks at the latest samples,
  // finds series (Prometheus looks back 5 minutes).
  const end = Math.floor(Date.now() / 60000) * 60 - 60;
  const dataset = buildDataset(kind, { end });
  const prometheus = await startPrometheus({ openMetrics: dataset.openMetrics });
  return { dataset, prometheus };
}

/** `pluginDir`: the plugin folder Grafana would serve (default: the built dist/). */
export async function startHost(prometheusUrl: string, pluginDir?: string): Promise<Sandbox> {
  const pageDir = await buildPage();
  return startSandbox({
    prometheusUrl,
    pageDir,
    distDir: pluginDir,
    // Variables over the fixture datasets' names: a single value, a multi-value and an All.
    variables: [
      { name: 'namespace', options: ['shop', 'data'], value: 'shop' },
      { name: 'pod', options: ['web-1', 'log-writer-0', 'batch-1'], value: ['web-1', 'log-writer-0'], multi: true },
      { name: 'container', options: ['nginx', 'app', 'writer', 'batch'], value: '$__all', includeAll: true },
    ],
    proxyTimeoutMs: 10000,
  });
}

/** Points the sandbox's data source at a Prometheus, without auth, with the given jsonData; returns the HTTP status. */
export async function pointDataSource(
  sandbox: Sandbox,
  url: string,
  jsonData: Record<string, unknown> = {}
): Promise<number> {
  const res = await httpRequest(`${sandbox.url}api/datasources/uid/${sandbox.uid}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      url,
      basicAuth: false,
      basicAuthUser: '',
      jsonData: { bearerUrl: url, ...jsonData },
      secureJsonData: { bearerToken: '', basicAuthPassword: '' },
    }),
  });
  return res.status;
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

/**
 * Opens the sandbox; `errors` collects uncaught page errors (a test fails on any), `requests`
 * every URL the page asked for, from the first.
 */
export async function openSandbox(
  browser: Browser,
  sandbox: Sandbox,
  params: { from: number; to: number; query?: object }
): Promise<{ page: Page; errors: string[]; requests: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1300, height: 1000 } });
  const errors: string[] = [];
  const requests: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('request', (r) => requests.push(r.url()));
  const qs = new URLSearchParams({ from: String(params.from), to: String(params.to) });
  if (params.query) {
    qs.set('query', JSON.stringify(params.query));
  }
  await page.goto(`${sandbox.url}?${qs}`);
  await page.getByTestId('panel-section').or(page.getByTestId('sandbox-fatal')).first().waitFor();
  const fatal = await page.getByTestId('sandbox-fatal').count();
  if (fatal) {
    throw new Error(await page.getByTestId('sandbox-fatal').innerText());
  }
  // The config editor is a chunk that arrives after module.js: wait for it (or its error), so that
  // the settings above the panel do not grow under a test's clicks.
  await page.getByTestId('config-section').getByText('Loading settings…').waitFor({ state: 'detached' });
  return { page, errors, requests };
}

/** Runs `action` and waits until the panel has answered a query started after it. */
export async function afterRun(page: Page, action: () => Promise<void>, timeoutMs = 30000): Promise<void> {
  const panel = page.getByTestId('panel');
  const before = Number(await panel.getAttribute('data-run'));
  await action();
  await page.waitForFunction(
    (n) => {
      const el = document.querySelector('[data-testid="panel"]');
      const state = el?.getAttribute('data-state');
      return Number(el?.getAttribute('data-run')) > n && (state === 'Done' || state === 'Error');
    },
    before,
    { timeout: timeoutMs }
  );
}

export async function waitForPanel(page: Page, timeoutMs = 30000): Promise<void> {
  await page.waitForFunction(
    () => {
      const state = document.querySelector('[data-testid="panel"]')?.getAttribute('data-state');
      return state === 'Done' || state === 'Error';
    },
    undefined,
    { timeout: timeoutMs }
  );
}

/** The series names shown in the chart's legend. */
export async function legendNames(page: Page): Promise<string[]> {
  const prefix = 'data-testid VizLegend series ';
  const ids = await page
    .locator(`[data-testid^="${prefix}"]`)
    .evaluateAll((els) => els.map((e) => e.getAttribute('data-testid') ?? ''));
  return ids.map((id) => id.slice(prefix.length));
}

export interface InspectedFrame {
  caption: string;
  columns: string[];
  rows: string[][];
}

/** The inspect-data tables, as text. */
export async function inspectFrames(page: Page): Promise<InspectedFrame[]> {
  return page.getByTestId('inspect-frame').evaluateAll((tables) =>
    tables.map((t) => ({
      caption: t.querySelector('caption')?.textContent ?? '',
      columns: Array.from(t.querySelectorAll('thead th')).map((th) => th.textContent ?? ''),
      rows: Array.from(t.querySelectorAll('tbody tr')).map((tr) =>
        Array.from(tr.querySelectorAll('td')).map((td) => td.textContent ?? '')
      ),
    }))
  );
}

/**
 * The row shown for sample time `t` (seconds): the first row at or after t and before the next
 * sample, whatever step the plugin chose (Prometheus answers each step with the latest sample).
 */
export function rowAt(frame: InspectedFrame, t: number, sampleStep: number): Record<string, string> {
  const timeCol = frame.columns.indexOf('Time');
  const row = frame.rows.find((r) => {
    const ms = Date.parse(r[timeCol]);
    return ms >= t * 1000 && ms < (t + sampleStep) * 1000;
  });
  if (!row) {
    throw new Error(`no row for ${new Date(t * 1000).toISOString()} in "${frame.caption}"`);
  }
  return Object.fromEntries(frame.columns.map((c, i) => [c, row[i]]));
}

/** Picks a value in one of the editor's filter pickers (a @grafana/ui MultiCombobox), then closes its menu. */
export async function pick(page: Page, label: string, value: string): Promise<void> {
  const box = page.getByRole('combobox', { name: label, exact: true });
  await box.click();
  await box.fill(value);
  await page.getByRole('option', { name: value, exact: true }).click();
  // The value is a pill now: clear the search text, as a user would, and close the menu.
  await box.fill('');
  await box.press('Escape');
  await box.blur();
}

/** The values chosen in a filter picker (its pills). */
export async function pickedValues(page: Page, label: string): Promise<string[]> {
  const box = page.getByRole('combobox', { name: label, exact: true });
  // The pill's text (the remove button's label is HTML-escaped by Grafana's i18n).
  return box
    .locator('xpath=..')
    .locator('button[aria-label^="Remove "]')
    .evaluateAll((els) => els.map((e) => e.parentElement?.firstElementChild?.textContent ?? ''));
}

/** Opens the query editor's collapsed Options group. */
export async function openOptions(page: Page): Promise<void> {
  await page.getByRole('button', { name: /^Options/ }).click();
}

/** What the chart was configured with: its y axes and, per series, the axis it is on and its fixed colour. */
export async function chartAxes(
  page: Page
): Promise<{ axes: string[]; series: Array<{ name: string; axis: string; color?: string }> }> {
  return JSON.parse(await page.getByTestId('chart-axes').innerText());
}

/** The notices under the panel, with their severity. */
export async function panelNotices(page: Page): Promise<Array<{ severity: string; text: string }>> {
  if ((await page.getByTestId('panel-notices').count()) === 0) {
    return [];
  }
  return page
    .getByTestId('panel-notices')
    .locator('li')
    .evaluateAll((items) =>
      items.map((li) => ({
        severity: li.getAttribute('data-severity') ?? '',
        text: (li.textContent ?? '').replace(/^\w+: /, ''),
      }))
    );
}

/** The widths at which every view is looked at: a wide window, and a narrow one (the editor wraps). */
export const WIDTHS = [1300, 900] as const;

/** Full-page screenshots at each of WIDTHS, as `<name>-<width>.png`, with Grafana's font loaded; the page ends at 1300. */
export async function screenshotWidths(page: Page, name: string): Promise<string[]> {
  const files: string[] = [];
  for (const width of WIDTHS) {
    await page.setViewportSize({ width, height: 1000 });
    files.push(await screenshot(page, `${name}-${width}`));
  }
  await page.setViewportSize({ width: WIDTHS[0], height: 1000 });
  return files;
}

/** Sets the Prometheus URL in the plugin's ConfigEditor. */
export async function setUrl(page: Page, url: string): Promise<void> {
  const input = page.getByTestId('config-section').getByRole('textbox', { name: /url/i }).first();
  await input.fill(url);
  await input.blur();
}

/** Clicks "Save & test" and returns the result box's severity and text. */
export async function saveAndTest(page: Page): Promise<{ severity: string; text: string }> {
  const before = Number(await page.getByTestId('config-section').getAttribute('data-tests'));
  await page.getByRole('button', { name: 'Save & test' }).click();
  await page.waitForFunction(
    (n) => Number(document.querySelector('[data-testid="config-section"]')?.getAttribute('data-tests')) > n,
    before,
    { timeout: 30000 }
  );
  const alert = page.getByTestId('test-result');
  return { severity: (await alert.getAttribute('data-severity')) ?? '', text: await alert.innerText() };
}

/** The editor and the panel only (no settings, no table), as the README's pictures show them. */
export async function panelScreenshot(page: Page, file: string): Promise<void> {
  await page.evaluate(() => document.fonts.ready);
  await page.mouse.move(0, 0);
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  // Boxes are relative to the scrolled window; a full-page clip is relative to the page.
  const scrollY = await page.evaluate(() => window.scrollY);
  const top = (await page.getByTestId('panel-section').boundingBox())!;
  const panel = (await page.getByTestId('panel').boundingBox())!;
  top.y += scrollY;
  panel.y += scrollY;
  const pad = 16;
  await page.screenshot({
    path: file,
    // The editor and panel are taller than the window: clip from the whole page.
    fullPage: true,
    clip: {
      x: top.x - pad,
      y: top.y - pad,
      width: top.width + 2 * pad,
      height: panel.y + panel.height - top.y + 2 * pad,
    },
  });
}

// The plugin catalog's pictures (plugin.json `screenshots`): the editor and the panel with its
// notices, all the same size so the catalog's carousel does not jump. `npm run screenshots`
// copies them to src/img/.
export const CATALOG_DIR = path.join(OUTPUT_DIR, 'catalog');
const CATALOG_PAD = 16;
const CATALOG_SIZE = { width: 1232, height: 740 };

export async function catalogScreenshot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(CATALOG_DIR, { recursive: true });
  const file = path.join(CATALOG_DIR, `screenshot-${name}.png`);
  await page.mouse.move(0, 0);
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  // The clip is in page coordinates (a full-page picture); the box is in the viewport's.
  const top = (await page.getByTestId('panel-section').boundingBox())!;
  const scrollY = await page.evaluate(() => window.scrollY);
  await page.screenshot({
    path: file,
    fullPage: true,
    clip: { x: top.x - CATALOG_PAD, y: top.y + scrollY - CATALOG_PAD, ...CATALOG_SIZE },
  });
  return file;
}

// The README's pictures (docs/*.png): `npm run screenshots` copies them to docs/.
export const README_DIR = path.join(OUTPUT_DIR, 'readme');

export async function readmeScreenshot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(README_DIR, { recursive: true });
  const file = path.join(README_DIR, `${name}.png`);
  await panelScreenshot(page, file);
  return file;
}

export async function screenshot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(OUTPUT_DIR, { recursive: true });
  const file = path.join(OUTPUT_DIR, `${name}.png`);
  await page.mouse.move(0, 0); // no tooltip left open by the last click
  await page.evaluate(() => document.fonts.ready);
  // Two frames: the panel follows the page width after a resize (ResizeObserver, then a render).
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  await page.screenshot({ path: file, fullPage: true });
  return file;
}
