/** @jest-environment node */
// Panels and editors that follow Grafana's conventions and never mislead, driven as a user would in
// the built plugin in Chromium: one memory axis with limits on it, colours and stacking by meaning,
// headroom in bytes or %, notices only when they tell something, the editor's layout at a wide and
// a narrow window, filters (cluster, exclusions, several values), options, Copy PromQL, and the
// settings that keep what the user typed. Every view is saved at 1300 and 900 px (test-output/e2e).
import { Browser, Page } from 'playwright-core';

import { MEANING_COLOUR } from '../../src/frames/colours';
import { LIMIT_MB, NS, NOISY, FREE, buildTrendDataset } from '../fixtures/trends';
import { NODES, buildNodeDataset } from '../fixtures/nodes';
import { Sandbox } from '../sandbox/server';
import { RunningPrometheus, startPrometheus } from '../support/prometheus';
import {
  Backend,
  WIDTHS,
  afterRun,
  assertPluginBuilt,
  chartAxes,
  inspectFrames,
  launchBrowser,
  legendNames,
  openOptions,
  openSandbox,
  panelNotices,
  pick,
  pickedValues,
  pointDataSource,
  saveAndTest,
  screenshotWidths,
  startBackend,
  startHost,
  waitForPanel,
} from './harness';

jest.setTimeout(180000);

const trend = buildTrendDataset();
const nodeData = buildNodeDataset();
let backendNew: Backend;
let trendProm: RunningPrometheus;
let nodeProm: RunningPrometheus;
let sandbox: Sandbox;
let browser: Browser;
let page: Page;
let pageErrors: string[];

beforeAll(async () => {
  assertPluginBuilt();
  [backendNew, trendProm, nodeProm] = await Promise.all([
    startBackend('new'),
    startPrometheus({ openMetrics: trend.openMetrics }),
    startPrometheus({ openMetrics: nodeData.openMetrics }),
  ]);
  sandbox = await startHost(backendNew.prometheus.url);
  browser = await launchBrowser();
}, 300000);

afterAll(async () => {
  await browser?.close();
  await sandbox?.stop();
  await backendNew?.prometheus.stop();
  await trendProm?.stop();
  await nodeProm?.stop();
});

afterEach(async () => {
  const errors = pageErrors;
  await page?.close();
  expect(errors).toEqual([]);
});

/** Points the data source at a Prometheus, with the given settings. */
async function settings(url: string, jsonData: Record<string, unknown> = {}) {
  expect(await pointDataSource(sandbox, url, jsonData)).toBe(200);
}

async function openTrend(query: object) {
  await settings(trendProm.url);
  ({ page, errors: pageErrors } = await openSandbox(browser, sandbox, {
    from: trend.start * 1000,
    to: trend.end * 1000,
    query,
  }));
  await waitForPanel(page);
}

async function openNew(query?: object) {
  await settings(backendNew.prometheus.url);
  const { dataset } = backendNew;
  ({ page, errors: pageErrors } = await openSandbox(browser, sandbox, {
    from: dataset.start * 1000,
    to: dataset.end * 1000,
    query,
  }));
  await waitForPanel(page);
}

const box = async (page: Page, role: 'combobox' | 'radiogroup', name: string) =>
  (await page.getByRole(role, { name, exact: true }).boundingBox())!;

describe('item 1, 2, 7: one memory axis, limits on it, colours by meaning', () => {
  test('Show limits: limit and request on the memory axis, limit red, request orange', async () => {
    await openTrend({ namespace: NS, pod: NOISY.pod, container: NOISY.container, showLimits: true });
    const { axes, series } = await chartAxes(page);
    expect(series.map((s) => s.name.replace(/ \(.*\)$/, ''))).toEqual(['working set', 'real used', 'limit', 'request']);
    // One y axis: a 1024 MB limit is drawn against the same numbers as working set.
    expect(axes).toHaveLength(1);
    expect(new Set(series.map((s) => s.axis)).size).toBe(1);
    expect(series.map((s) => s.color)).toEqual([MEANING_COLOUR.workingSet, MEANING_COLOUR.realUsed, 'red', 'orange']);
    expect(await panelNotices(page)).toEqual([]);
    const table = await page.getByTestId('inspect-frame').first().innerText();
    expect(table).toContain(String(LIMIT_MB.noisy * 1e6));
    await screenshotWidths(page, 'limits');
  });

  test('Show limits on a container without a limit: a warning in the panel and in the editor, not silence', async () => {
    await openTrend({ namespace: NS, pod: FREE.pod, container: FREE.container, showLimits: true });
    const notices = await panelNotices(page);
    expect(notices).toEqual([
      {
        severity: 'warning',
        text: 'No memory limit (none set: unlimited): no limit line to draw.',
      },
    ]);
    expect(await page.getByText('No memory limit for 1 of 1 containers: no limit line for them.').count()).toBe(1);
    await screenshotWidths(page, 'limits-none');
  });

  test('breakdown: stacked anon, other, active file, inactive file, in their colours, on one axis', async () => {
    await openNew({ view: 'breakdown', namespace: 'shop', pod: 'web-1', container: 'app' });
    const order = ['anon', 'other', 'active file', 'inactive file'];
    const [group] = JSON.parse(await page.getByTestId('chart-stacking').innerText());
    expect(group.series.map((s: string) => order.find((n) => s.startsWith(n)))).toEqual(order);
    const { axes, series } = await chartAxes(page);
    expect(axes).toHaveLength(1);
    expect(Object.fromEntries(series.map((s) => [s.name.replace(/ \(.*\)$/, ''), s.color]))).toMatchObject({
      anon: MEANING_COLOUR.anon,
      other: MEANING_COLOUR.other,
      'active file': MEANING_COLOUR.activeFile,
      'inactive file': MEANING_COLOUR.inactiveFile,
    });
    await screenshotWidths(page, 'breakdown');
  });
});

describe('item 4: headroom', () => {
  test('in bytes or % of the limit, one quantity per line, coloured like real used and working set', async () => {
    await openTrend({ view: 'headroom', namespace: NS, pod: NOISY.pod, container: NOISY.container });
    let { series } = await chartAxes(page);
    expect(series.map((s) => s.name.replace(/ \(.*\)$/, ''))).toEqual([
      'room before OOM kill',
      'room as kubelet sees it',
    ]);
    expect(series.map((s) => s.color)).toEqual([MEANING_COLOUR.realUsed, MEANING_COLOUR.workingSet]);
    expect(series[0].axis).toMatch(/^bytes\/na-na\/0-na\//); // soft minimum 0
    await screenshotWidths(page, 'headroom-bytes');

    await afterRun(page, () => page.getByRole('radio', { name: '% of limit' }).click());
    ({ series } = await chartAxes(page));
    expect(series.map((s) => s.name)).toEqual([
      expect.stringMatching(/^room before OOM kill \(% of limit\)/),
      expect.stringMatching(/^room as kubelet sees it \(% of limit\)/),
    ]);
    expect(new Set(series.map((s) => s.axis))).toEqual(new Set([expect.stringMatching(/^percent\/na-na\/0-na\//)]));
    await screenshotWidths(page, 'headroom-percent');
  });

  test('without a limit: a warning in the panel and an alert in the editor', async () => {
    await openTrend({ view: 'headroom', namespace: NS, pod: FREE.pod });
    expect(await panelNotices(page)).toEqual([
      {
        severity: 'warning',
        text: 'No memory limit (none set: unlimited): headroom is not defined.',
      },
    ]);
    expect(await page.getByText('No memory limit for 1 of 1 containers: their headroom is not defined.').count()).toBe(
      1
    );
    await screenshotWidths(page, 'headroom-no-limit');
  });
});

describe('item 5: the query editor layout', () => {
  test("labels above fields, the filters on one row at 1300 and 900 px, rows that do not move with the view, Grafana's font", async () => {
    await openNew({ namespace: 'shop' });
    // Inter itself was loaded (document.fonts.check alone is true when no face matches at all).
    const inter = await page.evaluate(async () => {
      await document.fonts.ready;
      return Array.from(document.fonts).filter((f) => f.family.replace(/"/g, '') === 'Inter' && f.status === 'loaded')
        .length;
    });
    expect(inter).toBeGreaterThan(0);
    expect(await page.evaluate(() => getComputedStyle(document.body).fontFamily)).toMatch(/^"?Inter/);
    for (const width of WIDTHS) {
      await page.setViewportSize({ width, height: 1000 });
      // Measured on each filter's operator (the value input moves within its box as pills are added).
      // No series here has a cluster label, so there is no Cluster picker: three filters.
      // (Shown while the lookup of cluster values runs, then gone.)
      await page.getByRole('combobox', { name: 'Cluster operator', exact: true }).waitFor({ state: 'detached' });
      const filters = await Promise.all(
        ['Namespace', 'Pod', 'Container'].map((l) => box(page, 'combobox', `${l} operator`))
      );
      // All three on one row at 1300 and at 900 px: never a filter alone on a row.
      const perRow = new Map<number, number>();
      filters.forEach((b) => perRow.set(Math.round(b.y), (perRow.get(Math.round(b.y)) ?? 0) + 1));
      expect([...perRow.values()]).toEqual([3]);
      // Labels above their fields.
      const label = (await page.getByText('Namespace', { exact: true }).first().boundingBox())!;
      expect(label.y + label.height).toBeLessThanOrEqual(filters[0].y);
      // The filters row stays where it is, whichever view is chosen.
      const at: number[] = [];
      for (const view of ['Breakdown', 'Headroom', 'Leak check', 'Real used vs working set']) {
        await afterRun(page, () => page.getByRole('radio', { name: view, exact: true }).click());
        at.push((await box(page, 'combobox', 'Namespace operator')).y);
      }
      // Within a pixel (radio groups measure 55.x px, rounded either way).
      expect(Math.max(...at) - Math.min(...at)).toBeLessThanOrEqual(1);
    }
    await page.setViewportSize({ width: WIDTHS[0], height: 1000 });
    // Options are one collapsed line with a summary.
    const summary = await page.getByTestId('options-summary').innerText();
    expect(summary.replace(/\s+/g, ' ')).toMatch(/Legend: auto Top: all Min step: auto Usage: off Limits: off/);
    await screenshotWidths(page, 'editor');
    await openOptions(page);
    await screenshotWidths(page, 'editor-options-open');
  });
});

describe('item 6: legends', () => {
  test('{{pod}} by namespace falls back to the default legend with a warning; {{constructor}} is not Object.prototype', async () => {
    await openNew({ namespace: 'shop', groupBy: 'namespace', legendFormat: '{{pod}}' });
    expect(await legendNames(page)).toEqual(['working set (shop)', 'real used (shop)']);
    expect(await page.getByText(/Legend \{\{pod\}\}: no such label when grouped by namespace/).count()).toBeGreaterThan(
      0
    );
    await screenshotWidths(page, 'legend-fallback');

    await openNew({ namespace: 'shop', pod: 'web-1', container: 'app', legendFormat: '{{constructor}}' });
    const names = await legendNames(page);
    expect(names.join(' ')).not.toMatch(/function|native code/);
    // The default legend, without the labels the selection fixes (all three here: the most specific stays).
    expect(names).toEqual(['working set (app)', 'real used (app)']);
  });
});

describe('item 8 (editor hint), 9: notices', () => {
  test('a healthy query carries no notice; the formula is in the editor and the field descriptions', async () => {
    await openNew({ namespace: 'shop', pod: 'web-1', container: 'app' });
    expect(await panelNotices(page)).toEqual([]);
    await expect(page.getByTestId('formula-help').innerText()).resolves.toMatch(/usage − active file − inactive file/);
    const description = await page.evaluate(
      () =>
        (window as any).sandbox.panelData.series[0].fields.find((f: any) => f.name === 'real used').config.description
    );
    expect(description).toMatch(/^usage − active file − inactive file \(= working set − active file\)/);
  });

  test('"No series match" is a warning in the editor and in the panel', async () => {
    await openNew({ namespace: 'no-such-namespace' });
    expect(await panelNotices(page)).toEqual([
      { severity: 'warning', text: expect.stringMatching(/^No cAdvisor memory series match/) },
    ]);
    const alert = page
      .getByTestId('query-editor')
      .getByTestId('data-testid Alert warning')
      .filter({ hasText: /No cAdvisor memory series match this selection/ });
    await alert.waitFor();
    expect(await alert.count()).toBe(1);
    await screenshotWidths(page, 'no-series');
  });

  test('leak check: the editor says to use a Table panel', async () => {
    await openTrend({ view: 'leakCheck', namespace: NS });
    expect(await page.getByTestId('view-help').innerText()).toMatch(/show it in a Table panel/);
    await screenshotWidths(page, 'leak-check');
  });
});

describe('item 10: filters and options a user expects', () => {
  test('no cluster picker without a cluster label, several values, exclusion, min step', async () => {
    await openNew();
    // No series of this dataset has a cluster label: a Cluster picker would only offer nothing.
    await expect(page.getByRole('combobox', { name: 'Namespace', exact: true }).count()).resolves.toBe(1);
    await page.getByRole('combobox', { name: 'Cluster', exact: true }).waitFor({ state: 'detached' });
    // Several namespaces in one filter.
    await afterRun(page, () => pick(page, 'Namespace', 'shop'));
    await afterRun(page, () => pick(page, 'Namespace', 'data'));
    const stored = () => page.evaluate(() => (window as any).sandbox.panelData.request.targets[0].namespace);
    expect(await stored()).toBe('/shop|data/');
    expect(await pickedValues(page, 'Namespace')).toContain('shop');
    const both = new Set((await legendNames(page)).map((l) => l.replace(/^.*\((\w+)\/.*$/, '$1')));
    expect(both).toEqual(new Set(['shop', 'data']));
    // A min step of 10 minutes sets the step of the range queries.
    await openOptions(page);
    await afterRun(page, async () => {
      await page.getByRole('textbox', { name: 'Min step' }).fill('10m');
      await page.getByRole('textbox', { name: 'Min step' }).blur();
    });
    const [frame] = await inspectFrames(page);
    const times = frame.rows.map((r) => Date.parse(r[frame.columns.indexOf('Time')]) / 1000);
    expect(times.length).toBeGreaterThan(2);
    // Every point on the 10-minute grid (a container that stopped scraping leaves a wider gap, never a narrower one).
    const diffs = times.slice(1).map((t, i) => t - times[i]);
    expect(Math.min(...diffs)).toBe(600);
    expect(diffs.every((d) => d % 600 === 0)).toBe(true);
    await screenshotWidths(page, 'filters');
    // Exclude them instead: everything but shop and data (nothing else in this dataset).
    await afterRun(page, async () => {
      await page.getByRole('combobox', { name: 'Namespace operator' }).click();
      await page.getByRole('option', { name: /^!=/ }).click();
    });
    expect(await stored()).toBe('!/shop|data/');
    const sent = await page.evaluate(() =>
      (window as any).sandbox.backendSrv.requests.map((r: any) => r.query ?? '').join('\n')
    );
    expect(sent).toContain('namespace!~"shop|data"');
    expect(await panelNotices(page)).toEqual([
      {
        severity: 'warning',
        text: expect.stringMatching(/^No cAdvisor memory series match .*namespace!~"shop\|data"/),
      },
    ]);
  });

  test('Copy PromQL copies one expression per drawn series, variables resolved, each the panel ran', async () => {
    await openNew({ namespace: '$namespace', pod: 'web-1', container: 'app' });
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: sandbox.url });
    await page.getByRole('button', { name: /Copy PromQL/ }).click();
    const items = await page.getByRole('menuitem').allInnerTexts();
    expect(items.map((t) => t.trim())).toEqual([
      'working set',
      'real used',
      'alert: real used above 90% of the limit',
      'every query the last run sent (one per line; not one expression)',
    ]);
    await page.getByRole('menuitem', { name: 'real used', exact: true }).click();
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    const offered = await page.evaluate(() => (window as any).sandbox.panelData.series[0].meta.custom.copyablePromQL);
    expect(copied).toBe(offered.find((q: { title: string }) => q.title === 'real used').expr);
    expect(copied).toMatch(
      /^max by \(cluster, namespace, pod, container\) \(\(clamp_min\(container_memory_working_set_bytes\{namespace=~"shop", pod="web-1", container="app"/
    );
    expect(copied).not.toContain('$namespace');
    expect(copied).not.toContain('\n');
  });
});

describe('items 3, 11: settings', () => {
  test('an invalid extra selector is kept as typed; Save & test and the panel fail with the parser message until fixed', async () => {
    await openNew({ namespace: 'shop' });
    const input = page.getByRole('textbox', { name: 'Extra selector' });
    await input.fill('cluster=prod');
    const problem = /the value of "cluster" must be quoted, e\.g\. cluster="value"; found "p" \(column 9\)/;
    await expect(page.getByText(problem).count()).resolves.toBe(1);
    let result: { severity: string; text: string } | undefined;
    await afterRun(page, async () => {
      result = await saveAndTest(page);
    });
    expect(result!.severity).toBe('error');
    expect(result!.text).toMatch(problem);
    expect(await page.getByTestId('panel-error').innerText()).toMatch(problem);
    // Kept as typed: the saved settings hold it (so the user sees what they wrote after a reload).
    expect(sandbox.stored().jsonData.extraSelector).toBe('cluster=prod');
    await screenshotWidths(page, 'settings-invalid-selector');

    await page.getByRole('textbox', { name: 'Extra selector' }).fill('job="kubelet"');
    await afterRun(page, async () => {
      result = await saveAndTest(page);
    });
    expect(result!.severity).toBe('success');
    expect(await page.getByTestId('panel-error').count()).toBe(0);
  });

  test('labels line up with Grafana\'s sections; short success title with "1 container" and the details below', async () => {
    await settings(backendNew.prometheus.url, { extraSelector: 'namespace="shop", pod="web-1", container="app"' });
    const { dataset } = backendNew;
    ({ page, errors: pageErrors } = await openSandbox(browser, sandbox, {
      from: dataset.start * 1000,
      to: dataset.end * 1000,
    }));
    const url = (await page.getByRole('textbox', { name: 'Data source connection URL' }).boundingBox())!;
    const label = (await page.getByRole('textbox', { name: 'Namespace label' }).boundingBox())!;
    expect(Math.abs(label.x - url.x)).toBeLessThanOrEqual(1);
    expect(await page.getByRole('textbox', { name: 'Namespace label' }).getAttribute('placeholder')).toBe(
      'default: namespace'
    );
    const result = await saveAndTest(page);
    expect(result.severity).toBe('success');
    const [title, ...details] = result.text.split('\n').filter((l) => l.trim() !== '');
    expect(title).toBe('Real used is exact for 1 container.');
    expect(details.join(' ')).toMatch(/^Series found in the last hour: container_memory_usage_bytes/);
    await screenshotWidths(page, 'settings');
  });
});

describe('the nodes view', () => {
  test('memory, breakdown and table: cluster and node filters only, notices that name what is missing, at 1300 and 900 px', async () => {
    await settings(nodeProm.url);
    ({ page, errors: pageErrors } = await openSandbox(browser, sandbox, {
      from: nodeData.start * 1000,
      to: nodeData.end * 1000,
      query: { view: 'nodes' },
    }));
    await waitForPanel(page);
    // A node has no namespace, pod or container, and nothing to group.
    expect(await page.getByRole('combobox', { name: 'Node', exact: true }).isVisible()).toBe(true);
    expect(await page.getByRole('combobox', { name: 'Namespace', exact: true }).count()).toBe(0);
    expect(await page.getByRole('radiogroup', { name: 'Group by' }).count()).toBe(0);
    for (const [show, name] of [
      ['Memory', 'nodes-memory'],
      ['Breakdown', 'nodes-breakdown'],
      ['Table', 'nodes-table'],
    ] as const) {
      if (show !== 'Memory') {
        await afterRun(page, () =>
          page.getByRole('radiogroup', { name: 'Node view' }).getByRole('radio', { name: show }).click()
        );
      }
      // One frame per node (the table: one frame, a row per node).
      const frames = await inspectFrames(page);
      expect(show === 'Table' ? frames[0].rows.length : frames.length).toBe(NODES.length);
      // Notices only where they tell something, each cause once: this fixture's nodes lack a series
      // each (named, with the count), or the file-cache split (estimated); the thresholds are in the
      // lines' descriptions, not restated; allocatable only where the view draws it (not the table).
      const notices = await panelNotices(page);
      expect(notices.length).toBeGreaterThan(0);
      for (const n of notices) {
        expect(n.text).toMatch(/ — \d of 3 nodes: node-[abc](, node-[abc])*\.$/);
      }
      expect(new Set(notices.map((n) => n.text)).size).toBe(notices.length);
      expect(notices.some((n) => /allocatable/.test(n.text))).toBe(show !== 'Table');
      await screenshotWidths(page, name);
    }
  });
});
