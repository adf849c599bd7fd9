/** @jest-environment node */
// The built plugin in a real browser (Debian's Chromium), hosted by the sandbox, against a real
// Prometheus backfilled with cAdvisor-format data. Expected figures come from the fixtures'
// oracle (test/fixtures/expected.ts), never from the plugin's code.
import { Browser, Page } from 'playwright-core';

import { GAP_FROM, WORKED_EXAMPLE } from '../fixtures/cadvisor';
import { expectedFigures } from '../fixtures/expected';
import { NODE_A, buildNodeDataset, figuresOf, nodeSpec } from '../fixtures/nodes';
import { SHAPES_NS, buildTrendDataset } from '../fixtures/trends';
import { Sandbox } from '../sandbox/server';
import { RunningPrometheus, freePort, startPrometheus } from '../support/prometheus';
import http from 'http';

import {
  Backend,
  InspectedFrame,
  afterRun,
  assertPluginBuilt,
  catalogScreenshot,
  inspectFrames,
  launchBrowser,
  legendNames,
  openSandbox,
  pick,
  pointDataSource,
  readmeScreenshot,
  rowAt,
  saveAndTest,
  screenshot,
  screenshotWidths,
  setUrl,
  startBackend,
  startHost,
  waitForPanel,
} from './harness';

jest.setTimeout(120000);

let backendNew: Backend;
let backendOld: Backend;
let sandbox: Sandbox;
let browser: Browser;
let page: Page;
let pageErrors: string[];

beforeAll(async () => {
  assertPluginBuilt();
  [backendNew, backendOld] = await Promise.all([startBackend('new'), startBackend('old')]);
  sandbox = await startHost(backendNew.prometheus.url);
  browser = await launchBrowser();
}, 300000);

afterAll(async () => {
  await browser?.close();
  await sandbox?.stop();
  await backendNew?.prometheus.stop();
  await backendOld?.prometheus.stop();
});

afterEach(async () => {
  const errors = pageErrors;
  await page?.close();
  expect(errors).toEqual([]);
});

// Every test starts from a data source pointing at the "new" dataset, without auth.
beforeEach(async () => {
  expect(await pointDataSource(sandbox, backendNew.prometheus.url)).toBe(200);
});

async function open(query?: object, backend = backendNew) {
  const { dataset } = backend;
  ({ page, errors: pageErrors } = await openSandbox(browser, sandbox, {
    from: dataset.start * 1000,
    to: dataset.end * 1000,
    query,
  }));
  await waitForPanel(page);
}

function readable(text: string) {
  expect(text.trim().length).toBeGreaterThan(10);
  expect(text).not.toMatch(/\[object Object\]|undefined|null/);
}

const num = (s: string) => (s === 'null' ? null : Number(s));

test('picking namespace, pod and container in the editor plots working set and real used', async () => {
  await open();
  const { dataset } = backendNew;
  await afterRun(page, () => pick(page, 'Namespace', 'shop'));
  await afterRun(page, () => pick(page, 'Pod', 'web-1'));
  await afterRun(page, () => pick(page, 'Container', 'app'));

  const legend = await legendNames(page);
  expect(legend).toHaveLength(2);
  expect(legend[0]).toMatch(/^working set\b/);
  expect(legend[1]).toMatch(/^real used\b/);
  expect(legend.join(' ')).toContain('app');

  // The inspect table holds the oracle's figures at a known sample time.
  const expected = expectedFigures(dataset.openMetrics, dataset.timestamps, {
    groupBy: 'container',
    namespace: 'shop',
    pod: 'web-1',
    container: 'app',
  }).get('shop/web-1/app')!;
  const frames = await inspectFrames(page);
  expect(frames).toHaveLength(1);
  for (const i of [5, 40]) {
    const row = rowAt(frames[0], dataset.timestamps[i], dataset.step);
    const want = expected.points[i];
    expect(num(row['working set'] ?? row[legend[0]])).toBe(want.workingSet);
    expect(num(row['real used'] ?? row[legend[1]])).toBe(want.realUsed);
  }
  // The app's file cache grows 1 MB a step while its anon memory stays: working set climbs,
  // real used does not.
  expect(expected.points[40].workingSet! - expected.points[5].workingSet!).toBe(35e6);
  await screenshotWidths(page, 'real-vs-working-set');
  await catalogScreenshot(page, 'real-vs-working-set');
});

test('the breakdown view stacks anon, other, active file and inactive file to usage', async () => {
  const { dataset } = backendNew;
  await open({ view: 'breakdown', namespace: 'shop', pod: 'web-1', container: 'app' });
  const legend = await legendNames(page);
  const names = ['anon', 'other', 'active file', 'inactive file'];
  for (const n of names) {
    expect(legend.some((l) => l.startsWith(n))).toBe(true);
  }
  // Stacking as the chart itself configured it (uPlot config builder's stacking groups).
  const groups = JSON.parse(await page.getByTestId('chart-stacking').innerText());
  expect(groups).toHaveLength(1);
  expect(groups[0].series.map((s: string) => names.find((n) => s.startsWith(n)))).toEqual(names);

  const want = expectedFigures(dataset.openMetrics, dataset.timestamps, {
    groupBy: 'container',
    namespace: 'shop',
    pod: 'web-1',
    container: 'app',
  }).get('shop/web-1/app')!.points[30];
  const frames = await inspectFrames(page);
  const row = rowAt(frames[0], dataset.timestamps[30], dataset.step);
  const value = (n: string) => num(Object.entries(row).find(([k]) => k.startsWith(n))![1]);
  expect(value('anon')).toBe(want.anon);
  expect(value('active file')).toBe(want.activeFile);
  expect(value('inactive file')).toBe(want.inactiveFile);
  expect(value('other')).toBe(want.other);
  expect(names.reduce((sum, n) => sum + value(n)!, 0)).toBe(want.usage);
  await screenshotWidths(page, 'breakdown-worked');
  await catalogScreenshot(page, 'breakdown');
});

test.each([
  ['Headroom', 'headroom'],
  ['Leak check', 'leak-check'],
])('the %s view answers without an error (the fixtures set no limits)', async (label, file) => {
  await open({ namespace: 'shop', pod: 'web-1', container: 'app' });
  await afterRun(page, () => page.getByRole('radio', { name: label }).click());
  expect(await page.getByTestId('panel-error').count()).toBe(0);
  const frames = await inspectFrames(page);
  const notices = (await page.getByTestId('panel-notices').count())
    ? await page.getByTestId('panel-notices').innerText()
    : '';
  // Either figures or a notice that says why there are none.
  expect(frames.length > 0 || notices.length > 0).toBe(true);
  await screenshotWidths(page, file);
});

test('dashboard variables (single, multi-value, All) select the right containers', async () => {
  await open({ namespace: '$namespace', pod: '$pod', container: '$container' });
  const legend = await legendNames(page);
  // shop / (web-1 | log-writer-0) / all containers: nginx, app, writer (pause excluded).
  const groups = new Set(legend.map((l) => l.replace(/^(working set|real used)\s*/, '')));
  expect(groups.size).toBe(3);
  for (const c of ['nginx', 'app', 'writer']) {
    expect(Array.from(groups).some((g) => g.includes(c))).toBe(true);
  }
  expect(legend.join(' ')).not.toContain('batch');
});

test('an old cAdvisor (no file-cache series): Save & test says so, the panel notes the estimated split', async () => {
  await open(
    { namespace: WORKED_EXAMPLE.namespace, pod: WORKED_EXAMPLE.pod, container: WORKED_EXAMPLE.container },
    backendOld
  );
  await setUrl(page, backendOld.prometheus.url);
  let result: { severity: string; text: string } | undefined;
  await afterRun(page, async () => {
    result = await saveAndTest(page);
  });
  expect(result).toEqual({
    severity: expect.not.stringMatching(/error/),
    text: expect.stringMatching(/estimat|missing/i),
  });
  const notices = await page.getByTestId('panel-notices').innerText();
  expect(notices).toMatch(/estimated/i);

  // the worked example (docs/architecture.md) without file-cache series: real used 21 000 000.
  const { dataset } = backendOld;
  const frames = await inspectFrames(page);
  const row = rowAt(frames[0], dataset.timestamps[GAP_FROM], dataset.step);
  const realUsed = Object.entries(row).find(([k]) => k.startsWith('real used'))![1];
  expect(num(realUsed)).toBe(21e6);
  await screenshot(page, 'estimated-split');
});

test('a wrong Prometheus URL gives a readable error in Save & test and in the panel', async () => {
  await open({ namespace: 'shop' });
  const closed = await freePort();
  await setUrl(page, `http://127.0.0.1:${closed}`);
  let result: { severity: string; text: string } | undefined;
  await afterRun(page, async () => {
    result = await saveAndTest(page);
  });
  expect(result).toEqual({ severity: 'error', text: expect.any(String) });
  // Grafana's proxy answers an unreachable URL with an empty 502: the message must say that
  // Prometheus could not be reached, not that Prometheus answered.
  const unreachable = /could not reach|cannot reach|could not connect|cannot connect/i;
  readable(result!.text);
  expect(result!.text).toMatch(unreachable);
  const panelError = await page.getByTestId('panel-error').innerText();
  readable(panelError);
  expect(panelError).toMatch(unreachable);
  await screenshot(page, 'wrong-url');
  await setUrl(page, backendNew.prometheus.url);
  expect(await saveAndTest(page)).toEqual({ severity: 'success', text: expect.any(String) });
});

/** A Prometheus that demands credentials: forwards to `target` only with the right header. */
async function startAuthGate(
  target: string,
  expected: string
): Promise<{ url: string; seen: string[]; stop(): Promise<void> }> {
  const seen: string[] = [];
  const server = http.createServer((req, res) => {
    seen.push(req.headers.authorization ?? '');
    if (req.headers.authorization !== expected) {
      res.writeHead(401, { 'content-type': 'text/plain' });
      res.end('Unauthorized\n');
      return;
    }
    const headers = { ...req.headers };
    delete headers.host;
    const up = http.request(target + req.url, { method: req.method, headers }, (r) => {
      res.writeHead(r.statusCode ?? 502, r.headers);
      r.pipe(res);
    });
    req.pipe(up);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as any).port}`,
    seen,
    stop: () => new Promise<void>((r) => server.close(() => r())),
  };
}

async function chooseAuth(method: string) {
  await page.locator('#auth-method-select').click();
  await page.getByText(method, { exact: true }).click();
}

test('a bearer token is added by the proxy, never returned to the browser; a wrong one gives a readable error', async () => {
  const gate = await startAuthGate(backendNew.prometheus.url, 'Bearer s3cret-t0ken');
  try {
    await open({ namespace: 'shop', pod: 'web-1', container: 'app' });
    await setUrl(page, gate.url);
    await chooseAuth('Bearer token');
    await page.getByLabel('Bearer token').fill('wrong-token');
    const wrong = await saveAndTest(page);
    expect(wrong.severity).toBe('error');
    readable(wrong.text);
    expect(wrong.text).toMatch(/401|unauthori[sz]ed|credentials|token/i);
    expect(gate.seen).toContain('Bearer wrong-token');

    await page.getByRole('button', { name: 'Reset' }).click();
    await page.getByLabel('Bearer token').fill('s3cret-t0ken');
    let ok: { severity: string; text: string } | undefined;
    await afterRun(page, async () => {
      ok = await saveAndTest(page);
    });
    expect(ok!.severity).toBe('success');
    expect(await legendNames(page)).toHaveLength(2);
    // The browser never holds the token: not in the saved settings it reads, not in the page.
    const settings = await page.evaluate(() => fetch('/api/datasources/uid/real-memory').then((r) => r.text()));
    expect(settings).not.toContain('s3cret-t0ken');
    expect(JSON.parse(settings).secureJsonFields).toEqual({ bearerToken: true });
    expect(await page.content()).not.toContain('s3cret-t0ken');
    expect(sandbox.stored().secureJsonData.bearerToken).toBe('s3cret-t0ken');
    await screenshot(page, 'bearer-auth');
  } finally {
    await gate.stop();
  }
});

test("basic auth: Grafana's own method, password kept on the server", async () => {
  const gate = await startAuthGate(backendNew.prometheus.url, 'Basic ' + Buffer.from('ops:pa55').toString('base64'));
  try {
    await open({ namespace: 'shop' });
    await setUrl(page, gate.url);
    await chooseAuth('Basic authentication');
    await page.locator('#basic-auth-user-input').fill('ops');
    await page.locator('#basic-auth-password-input').fill('pa55');
    expect((await saveAndTest(page)).severity).toBe('success');
    const settings = await page.evaluate(() => fetch('/api/datasources/uid/real-memory').then((r) => r.text()));
    expect(settings).not.toContain('pa55');
  } finally {
    await gate.stop();
  }
});

test('the config editor is a chunk of its own; when it cannot be downloaded, the settings page says so', async () => {
  // The settings page as a user with a dropped connection sees it: every other file arrives.
  page = await browser.newPage({ viewport: { width: 1300, height: 1000 } });
  const errors: string[] = [];
  pageErrors = errors;
  page.on('pageerror', (e) => errors.push(e.message));
  const chunk = /\/public\/plugins\/[^/]+\/configEditor\.js\?_cache=\w+$/;
  const asked: string[] = [];
  await page.route(chunk, (route) => {
    asked.push(route.request().url());
    return route.abort('connectionfailed');
  });
  await page.goto(sandbox.url);
  const alert = page.getByTestId('config-section').getByRole('alert');
  const text = await alert.innerText();
  expect(text).toMatch(
    /^The settings editor could not be loaded: Loading chunk \S+ failed\. .*configEditor\.js.*\. Reload the page\.$/
  );
  expect(asked).toHaveLength(1);
  // The panel and its query editor came with module.js and still work.
  await waitForPanel(page);
  expect(await page.getByTestId('panel-error').count()).toBe(0);
  await screenshot(page, 'config-editor-not-loaded');
});

describe('the README pictures (npm run screenshots copies them to docs/)', () => {
  // Data of their own: a container whose page cache cycles at its limit, with PSI series; three nodes.
  const shapes = buildTrendDataset({ shapes: true });
  const nodes = buildNodeDataset();
  let shapesProm: RunningPrometheus;
  let nodesProm: RunningPrometheus;

  beforeAll(async () => {
    [shapesProm, nodesProm] = await Promise.all([
      startPrometheus({ openMetrics: shapes.openMetrics }),
      startPrometheus({ openMetrics: nodes.openMetrics }),
    ]);
  }, 120000);

  afterAll(async () => {
    await shapesProm?.stop();
    await nodesProm?.stop();
  });

  /** The numbers of the inspect table's column whose name starts with `name`. */
  const column = (frame: InspectedFrame, name: string) => {
    const i = frame.columns.findIndex((c) => c.startsWith(name));
    expect({ name, found: i >= 0 }).toEqual({ name, found: true });
    return frame.rows.map((r) => num(r[i])).filter((v): v is number => v !== null);
  };

  test('real used vs working set with limits and pressure: working set reaches the limit, real used and pressure stay low', async () => {
    expect(await pointDataSource(sandbox, shapesProm.url)).toBe(200);
    ({ page, errors: pageErrors } = await openSandbox(browser, sandbox, {
      from: (shapes.end - 3 * 3600) * 1000,
      to: shapes.end * 1000,
      query: {
        namespace: SHAPES_NS,
        pod: 'calm-cache-0',
        container: 'calm-cache',
        showLimits: true,
        showPressure: true,
        minStep: '1m',
      },
    }));
    await waitForPanel(page);
    expect(await page.getByTestId('panel-error').count()).toBe(0);
    const legend = await legendNames(page);
    for (const name of ['working set', 'real used', 'limit', 'memory pressure']) {
      expect({ name, shown: legend.some((l) => l.startsWith(name)) }).toEqual({ name, shown: true });
    }
    // The story the caption tells: page cache, not a leak.
    const [frame] = await inspectFrames(page);
    const limit = Math.max(...column(frame, 'limit'));
    expect(Math.max(...column(frame, 'working set'))).toBeGreaterThan(0.9 * limit);
    expect(Math.max(...column(frame, 'real used'))).toBeLessThan(0.25 * limit);
    expect(Math.max(...column(frame, 'memory pressure'))).toBeLessThan(0.01);
    await readmeScreenshot(page, 'screenshot');
  });

  test("the nodes view: a node's working set against its eviction threshold, real used below it by its page cache", async () => {
    expect(await pointDataSource(sandbox, nodesProm.url)).toBe(200);
    ({ page, errors: pageErrors } = await openSandbox(browser, sandbox, {
      from: nodes.start * 1000,
      to: nodes.end * 1000,
      query: { view: 'nodes', node: NODE_A },
    }));
    await waitForPanel(page);
    expect(await page.getByTestId('panel-error').count()).toBe(0);
    const legend = await legendNames(page);
    for (const name of ['working set', 'real used', 'capacity', 'allocatable', 'eviction threshold']) {
      expect({ name, shown: legend.some((l) => l.startsWith(name)) }).toEqual({ name, shown: true });
    }
    const frames = await inspectFrames(page);
    expect(frames).toHaveLength(1);
    const last = nodes.timestamps.length - 1;
    const row = rowAt(frames[0], nodes.timestamps[last], nodes.step);
    const value = (name: string) => num(Object.entries(row).find(([k]) => k.startsWith(name))![1]);
    const want = figuresOf(nodeSpec(NODE_A).root(last), true);
    expect({ workingSet: value('working set'), realUsed: value('real used') }).toEqual({
      workingSet: want.workingSet,
      realUsed: want.realUsed,
    });
    await readmeScreenshot(page, 'screenshot-nodes');
  });
});
