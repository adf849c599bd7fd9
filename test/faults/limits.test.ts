/**
 * Limits: no series ever asks Prometheus for more than 11,000 points, however long the range and
 * however fine the interval Grafana asks for; and when a selection matches more groups than top N,
 * a notice names the limit and how to raise it, and the kept groups are the right ones.
 */
import '../support/polyfills';

import type { DataFrame } from '@grafana/data';

import { MemoryView } from '../../src/types';
import { NS } from './faultData';
import { faultSuite, panelRequest, runQuery } from './harness';

const DAY = 86400;

const suite = faultSuite();
const { end: END, timestamps: TS } = suite;

describe('11,000 points per series', () => {
  it.each([
    ['1 hour at a 1 ms interval', 3600, 1],
    ['30 days at 1 s', 30 * DAY, 1000],
    ['400 days at 15 s', 400 * DAY, 15000],
    ['10 years at 1 s', 3650 * DAY, 1000],
  ])('%s: the step keeps every query within the limit and Prometheus accepts it', async (_, seconds, intervalMs) => {
    suite.rig.proxy.requests.length = 0;
    const res = await runQuery(
      suite.rig.ds,
      panelRequest([{ namespace: NS }], END - seconds, END, { intervalMs, maxDataPoints: 1_000_000 })
    );
    expect(res.errors).toEqual([]);
    const ranges = suite.rig.proxy.requests.filter((r) => r.path.endsWith('/query_range'));
    expect(ranges.length).toBeGreaterThan(0);
    for (const r of ranges) {
      const [start, end, step] = ['start', 'end', 'step'].map((k) => Number(r.params.get(k)));
      const points = Math.floor((end - start) / step) + 1;
      expect(points).toBeLessThanOrEqual(11000);
      expect(end - start).toBeGreaterThanOrEqual(seconds);
      expect(r.status).toBe(200);
    }
  });
});

describe('top N', () => {
  const frames = async (topN: number, view: MemoryView = 'realVsWorkingSet', end = END) => {
    const res = await runQuery(suite.rig.ds, panelRequest([{ namespace: NS, topN, view }], TS[0], end));
    expect(res.errors).toEqual([]);
    return res.data as DataFrame[];
  };
  const noticeTexts = (fs: DataFrame[]) => fs.flatMap((f) => f.meta?.notices ?? []).map((n) => n.text);

  it('keeps the groups with the most real used at their peak in the range, in order, and says so once', async () => {
    // Peaks: short 200 MB (it stopped early, as an OOM-killed pod does), dup 155, weird 60, ok 50.
    const top = await frames(2);
    expect(top.map((f) => f.name)).toEqual([`short-0/short`, `dup-0/dup`]);
    expect(noticeTexts(top)).toContain(
      'Showing the 2 of 4 containers with the most real used at their peak in the range (top N = 2; change Top under Options in the query editor, 0 for all).'
    );
    expect(top[1].meta?.notices).toEqual([]);
  });

  it('a container that stopped before the end of the range still counts, and a selection that ended early still draws', async () => {
    expect((await frames(10)).map((f) => f.name).sort()).toEqual([
      'dup-0/dup',
      'ok-0/ok',
      'short-0/short',
      'weird-0/weird',
    ]);
    // Forty minutes after every series stopped: the same top 2, drawn where they have samples.
    const later = await frames(2, 'realVsWorkingSet', END + 40 * 60);
    expect(later.map((f) => f.name)).toEqual([`short-0/short`, `dup-0/dup`]);
    expect(later.every((f) => f.length > 0)).toBe(true);
    const all = await frames(0);
    expect(all).toHaveLength(4);
    expect(noticeTexts(all).some((t) => /top N/.test(t))).toBe(false);
  });

  it("ranks by the view's question: headroom by least room, the leak check by fastest growth", async () => {
    // No limits here: no room to rank. The panel still shows the top 2, by real used, and says why.
    const headroom = await frames(2, 'headroom');
    expect(headroom.map((f) => f.name)).toEqual([`short-0/short`, `dup-0/dup`]);
    expect(noticeTexts(headroom)).toContain(
      'Showing the 2 of 4 containers with the least room before an OOM kill (limit − real used) at their lowest in the range ' +
        '(top N = 2; change Top under Options in the query editor, 0 for all); 2 of them have no memory limit, so no room to rank, and come last, by most real used.'
    );
    const leak = await frames(1, 'leakCheck');
    expect(noticeTexts(leak)).toContain(
      'Showing the 1 of 4 containers whose real used grew fastest (steepest slope over any quarter) in the range (top N = 1; change Top under Options in the query editor, 0 for all).'
    );
  });
});
