/**
 * Limits: no series ever asks Prometheus for more than 11,000 points, however long the range and
 * however fine the interval Grafana asks for; and when a selection matches more groups than top N,
 * a notice names the limit and how to raise it, and the kept groups are the right ones.
 */
import '../support/polyfills';

import type { DataFrame } from '@grafana/data';

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
  const frames = async (topN: number) => {
    const res = await runQuery(suite.rig.ds, panelRequest([{ namespace: NS, topN }], TS[0], END));
    expect(res.errors).toEqual([]);
    return res.data as DataFrame[];
  };

  it('keeps the groups with the most real used at the end of the range, in order, and says so', async () => {
    // At the end of the range: dup 155 MB, weird 60 MB, ok 50 MB real used; short has stopped.
    const top = await frames(2);
    expect(top.map((f) => f.name)).toEqual([`${NS}/dup-0/dup`, `${NS}/weird-0/weird`]);
    // Said once, on the first frame. 4: the count looks over the whole range, so the container that stopped earlier is counted too.
    expect(top.flatMap((f) => f.meta?.notices ?? []).map((n) => n.text)).toContain(
      'Showing the 2 of 4 containers with the most real used at the end of the range (top N = 2; raise it in the query editor).'
    );
    expect(top[1].meta?.notices).toEqual([]);
  });

  it('says when a container that stopped before the end of the range is left out', async () => {
    const alive = await frames(10);
    expect(alive).toHaveLength(3);
    expect(alive[0].meta?.notices?.map((n) => n.text)).toContain(
      'Showing the 3 containers alive at the end of the range; 1 more had samples earlier in the range (top N ranks at the end; set top N to 0 to see all).'
    );
    const all = await frames(0);
    expect(all).toHaveLength(4);
    expect(all.flatMap((f) => f.meta?.notices ?? []).some((n) => /top N/.test(n.text))).toBe(false);
  });
});
