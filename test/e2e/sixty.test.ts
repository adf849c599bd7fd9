/** @jest-environment node */
// Sixty containers, one answer: the built plugin in a real Chromium on a namespace of 60
// containers (one of them from an older cAdvisor without file-cache series; no limits, no PSI),
// as a user would open it. Each cause is one notice with a count, each container its own colour,
// legends without the namespace the selection fixes, top N by the view's question, the breakdown
// one summed stack; screenshots at 1300 and 900 px in test-output/e2e/sixty-*.
import path from 'path';
import type { Browser, Page } from 'playwright-core';

import { CgroupStat, MB, SeriesSpec, toOpenMetrics } from '../fixtures/cadvisor';
import { RunningPrometheus, startPrometheus } from '../support/prometheus';
import { Sandbox } from '../sandbox/server';
import {
  assertPluginBuilt,
  chartAxes,
  launchBrowser,
  legendNames,
  openSandbox,
  panelNotices,
  pointDataSource,
  OUTPUT_DIR,
  panelScreenshot,
  startHost,
  waitForPanel,
} from './harness';

jest.setTimeout(300000);

const NS = 'big';
const COUNT = 60;
const OLD = 'legacy-7';
const STEP = 60;
const POINTS = 60;
const END = Math.floor(Date.now() / 60000) * 60 - 60;
const TIMESTAMPS = Array.from({ length: POINTS }, (_, i) => END - (POINTS - 1 - i) * STEP);

const stat = (rss: number, active: number, inactive: number): CgroupStat => ({
  rss: rss * MB,
  activeFile: active * MB,
  inactiveFile: inactive * MB,
  shmem: 0,
  kernel: 2 * MB,
  swap: 0,
});

/** Container k: its own size; every fifth grows; the old-cAdvisor one has no file-cache series. */
const SERIES: SeriesSpec[] = Array.from({ length: COUNT }, (_, k) => {
  const pod = k === 7 ? OLD : `app-${k}`;
  return {
    labels: {
      namespace: NS,
      pod,
      container: 'main',
      image: `big/app:${k}`,
      id: `/kubepods/pod${k}/main`,
      job: 'kubelet',
      instance: 'node-1:10250',
    },
    stat: (i: number) => stat(40 + 3 * k + (k % 5 === 0 ? i : 0), 10 + (k % 7) * 5, 20),
    drop: (metric, _i) => k === 7 && (metric === 'activeFile' || metric === 'inactiveFile'),
  };
});

let prom: RunningPrometheus;
let sandbox: Sandbox;
let browser: Browser;
let page: Page;
let pageErrors: string[];

beforeAll(async () => {
  assertPluginBuilt();
  prom = await startPrometheus({ openMetrics: toOpenMetrics(SERIES, TIMESTAMPS, true) });
  sandbox = await startHost(prom.url);
  browser = await launchBrowser();
  expect(await pointDataSource(sandbox, prom.url)).toBe(200);
}, 300000);

afterAll(async () => {
  await browser?.close();
  await sandbox?.stop();
  await prom?.stop();
});

afterEach(async () => {
  const errors = pageErrors;
  await page?.close();
  expect(errors).toEqual([]);
});

/** The editor and the panel with its notices, at 1300 and 900 px. */
async function shoot(name: string) {
  for (const width of [1300, 900]) {
    await page.setViewportSize({ width, height: 1000 });
    await panelScreenshot(page, path.join(OUTPUT_DIR, `${name}-${width}.png`));
  }
  await page.setViewportSize({ width: 1300, height: 1000 });
}

async function open(query: object) {
  ({ page, errors: pageErrors } = await openSandbox(browser, sandbox, {
    from: TIMESTAMPS[0] * 1000,
    to: END * 1000,
    query: { namespace: NS, ...query },
  }));
  await waitForPanel(page);
}

test('all 60 with pressure: one notice per cause with its count, a colour per container, legends without the namespace', async () => {
  await open({ topN: 0, showPressure: true });
  const notices = await panelNotices(page);
  expect(notices.map((n) => n.text)).toEqual([
    expect.stringMatching(new RegExp(`the split was estimated .* — 1 of ${COUNT} containers: ${OLD}/main\\.$`)),
    `Memory pressure unknown: no PSI series (cgroup v1 or kubelet < 1.34) — ${COUNT} of ${COUNT} containers.`,
  ]);
  const names = await legendNames(page);
  expect(names).toHaveLength(2 * COUNT);
  expect(names.some((n) => n.includes(`${NS}/`))).toBe(false);
  const { series } = await chartAxes(page);
  const colourOf = (name: string) => series.find((s) => s.name === name)?.color;
  // Each container its own colour (the classic palette has 24), shared by its two lines.
  const realUsed = names.filter((n) => n.startsWith('real used')).slice(0, 24).map(colourOf);
  expect(new Set(realUsed).size).toBe(24);
  expect(colourOf('working set (app-3/main)')).toBe(colourOf('real used (app-3/main)'));
  await shoot('sixty-real-vs-working-set');
});

test('a new panel shows the top 10 by real used at its peak, and says what was ranked', async () => {
  await open({ topN: 10 });
  expect(await legendNames(page)).toHaveLength(20);
  expect((await panelNotices(page)).map((n) => n.text)).toContain(
    `Showing the 10 of ${COUNT} containers with the most real used at their peak in the range (top N = 10; change Top under Options in the query editor, 0 for all).`
  );
  // The biggest at its peak is container 55 (40 + 3·55 MB of anon, grown by 59 MB), first in the legend.
  expect((await legendNames(page))[0]).toMatch(/\(app-55\/main\)$/);
  await shoot('sixty-top-10');
});

test('headroom without limits: one notice for all 60, not 60', async () => {
  await open({ view: 'headroom', topN: 5 });
  const texts = (await panelNotices(page)).map((n) => n.text);
  expect(texts.filter((t) => t.startsWith('No memory limit'))).toEqual([
    'No memory limit (no limit series from cAdvisor or kube-state-metrics): headroom is not defined — 5 of 5 containers.',
  ]);
  await shoot('sixty-headroom');
});

test('the breakdown of 60: one stack, their sum, and how to get a stack each', async () => {
  await open({ view: 'breakdown', topN: 0 });
  expect(await legendNames(page)).toEqual([
    `anon (${COUNT} containers)`,
    `other (${COUNT} containers)`,
    `active file (${COUNT} containers)`,
    `inactive file (${COUNT} containers)`,
  ]);
  expect((await panelNotices(page)).map((n) => n.text).join(' ')).toMatch(/summed into one stack/);
  await shoot('sixty-breakdown');
});

test('the leak check: growing containers first', async () => {
  await open({ view: 'leakCheck', topN: 0 });
  await shoot('sixty-leak-check');
});
