import { parser } from '@prometheus-io/lezer-promql';

import { quotePromString } from './escaping';
import { DEFAULT_LABELS } from './promql';
import { limitExpr, realUsedExpr } from './ranking';
import {
  currentResourceExprs,
  dailyPeaks,
  peakExpr,
  sizingPeakQueries,
  sizingRange,
  sizingResolution,
  sizingWindowSeconds,
  workingSetExpr,
} from './sizingQueries';

const H = 3600;
const D = 24 * H;

const parses = (expr: string) => {
  let errors = 0;
  parser.parse(expr).iterate({ enter: (n) => void (errors += n.type.isError ? 1 : 0) });
  return errors === 0;
};

describe('workingSetExpr', () => {
  it('per container: the largest working set among its scrapes, NaN and Inf left out', () => {
    expect(workingSetExpr(['namespace="shop"'], DEFAULT_LABELS, 'container')).toBe(
      'max by (cluster, namespace, pod, container) (container_memory_working_set_bytes{namespace="shop"} < +Inf)'
    );
  });

  it.each([
    ['pod', 'cluster, namespace, pod'],
    ['namespace', 'cluster, namespace'],
  ] as const)('by %s: the containers summed after the max over their scrapes', (groupBy, group) => {
    expect(workingSetExpr(['namespace="shop"'], DEFAULT_LABELS, groupBy)).toBe(
      `sum by (${group}) (max by (cluster, namespace, pod, container) (container_memory_working_set_bytes{namespace="shop"} < +Inf))`
    );
  });

  it('uses the configured label names', () => {
    const labels = { namespace: 'ns', pod: 'pod_name', container: 'container_name', cluster: 'k8s' };
    expect(workingSetExpr([], labels, 'pod')).toBe(
      'sum by (k8s, ns, pod_name) (max by (k8s, ns, pod_name, container_name) (container_memory_working_set_bytes{} < +Inf))'
    );
  });
});

describe('windows and resolution', () => {
  it.each([
    [0.5 * H, H],
    [6 * H, H],
    [47.9 * H, H],
    [48 * H, D],
    [30 * D, D],
  ])('a range of %d s has peaks every %d s (peakWindowHours)', (span, window) => {
    expect(sizingWindowSeconds(span)).toBe(window);
    expect(dailyPeaks({ windowSeconds: window })).toBe(window === D);
  });

  it.each([
    [6 * H, H, 0, 60],
    [6 * H, H, 15, 60],
    [6 * H, H, 90, 120],
    [24 * H, H, 0, 240],
    [47 * H, H, 0, 600],
    [3 * D, D, 0, 900],
    [7 * D, D, 0, 1800],
    [30 * D, D, 0, 1800],
    [6 * H, H, 7000, H],
  ])('span %d s, window %d s, min step %d s: subquery resolution %d s', (span, window, minStep, resolution) => {
    const r = sizingResolution(span, window, minStep);
    expect(r).toBe(resolution);
    expect(window % r).toBe(0);
    expect(r).toBeGreaterThanOrEqual(Math.max(60, Math.min(minStep, window)));
  });

  it('takes a whole divisor of an odd window', () => {
    expect(sizingResolution(6 * H, 7000, 0)).toBe(70);
  });

  it('ends at the range end on the resolution grid, one point per window, reaching back to the start', () => {
    expect(sizingRange(1000 * D, 1003 * D, D, 900)).toEqual({ start: 1001 * D, end: 1003 * D, step: D });
    // 6 h 10 min: seven hourly windows, the first partial.
    expect(sizingRange(1000 * D, 1000 * D + 6 * H + 600, H, 60)).toEqual({
      start: 1000 * D + 600,
      end: 1000 * D + 6 * H + 600,
      step: H,
    });
    // An end off the grid is rounded down, never past it.
    expect(sizingRange(0, 10 * H + 59, H, 60).end).toBe(10 * H);
    // A range shorter than a window: one point.
    const short = sizingRange(5 * H, 5 * H + 1200, H, 60);
    expect(short.start).toBe(short.end);
  });
});

describe('peakExpr', () => {
  it('max_over_time of a subquery over the window less a millisecond, guarded to the range', () => {
    expect(peakExpr('X', H, 60, 1700000000)).toBe(
      'max_over_time(((X) and on () (vector(time()) > 1700000000))[3599999ms:60s])'
    );
    expect(peakExpr('X', D, 900, 1700000000.7)).toContain('[86399999ms:900s]');
    expect(peakExpr('X', D, 900, 1700000000.7)).toContain('> 1700000000)');
  });
});

describe('sizingPeakQueries', () => {
  const matchers = ['namespace="shop"', 'container!=""', 'container!="POD"', 'pod!=""', 'image!=""'];
  const base = { matchers, labels: DEFAULT_LABELS, estimate: true, fromSeconds: 1000 * D, toSeconds: 1000 * D + 6 * H };

  it('6 h by container: hourly peaks of working set and real used, 60 s resolution', () => {
    const q = sizingPeakQueries({ ...base, groupBy: 'container' });
    expect(q.windowSeconds).toBe(H);
    expect(q.resolutionSeconds).toBe(60);
    expect(q.range).toEqual({ start: 1000 * D + H, end: 1000 * D + 6 * H, step: H });
    const guard = ` and on () (vector(time()) > ${1000 * D})`;
    expect(q.workingSet).toBe(
      `max_over_time(((${workingSetExpr(matchers, DEFAULT_LABELS, 'container')})${guard})[3599999ms:60s])`
    );
    expect(q.realUsed).toBe(
      `max_over_time(((${realUsedExpr(matchers, DEFAULT_LABELS, 'container', true)})${guard})[3599999ms:60s])`
    );
    expect(parses(q.workingSet)).toBe(true);
    expect(parses(q.realUsed)).toBe(true);
  });

  it('3 days by namespace: daily peaks of the sums, 15 min resolution, step = window', () => {
    const q = sizingPeakQueries({ ...base, groupBy: 'namespace', toSeconds: 1003 * D });
    expect(q.range).toEqual({ start: 1001 * D, end: 1003 * D, step: D });
    expect(q.workingSet).toMatch(
      /^max_over_time\(\(\(sum by \(cluster, namespace\) \(max by \(cluster, namespace, pod, container\) /
    );
    expect(q.realUsed).toMatch(
      /^max_over_time\(\(\(sum by \(cluster, namespace\) \(max by \(cluster, namespace, pod, container\) /
    );
    expect(q.workingSet).toMatch(/\)\[86399999ms:900s\]\)$/);
    expect(q.realUsed).toMatch(/\)\[86399999ms:900s\]\)$/);
    expect(parses(q.realUsed)).toBe(true);
  });

  it('carries the estimate for containers without file-cache series only when asked', () => {
    const withEstimate = sizingPeakQueries({ ...base, groupBy: 'pod' });
    const without = sizingPeakQueries({ ...base, groupBy: 'pod', estimate: false });
    expect(withEstimate.realUsed).toContain('container_memory_cache{');
    expect(without.realUsed).not.toContain('container_memory_cache');
    expect(without.realUsed).toContain('container_memory_total_active_file_bytes{');
    expect(without.realUsed).toMatch(/^max_over_time\(\(\(sum by \(cluster, namespace, pod\) /);
  });

  it('passes escaped matchers through untouched', () => {
    const tricky = `pod=~${quotePromString('api-\\.v"1"\\n.*')}`;
    expect(tricky).toBe('pod=~"api-\\\\.v\\"1\\"\\\\n.*"');
    const q = sizingPeakQueries({ ...base, matchers: [tricky, 'image!=""'], groupBy: 'container' });
    expect(q.workingSet).toContain(`container_memory_working_set_bytes{${tricky}, image!=""}`);
    expect(q.realUsed).toContain(`container_memory_total_active_file_bytes{${tricky}, image!=""}`);
    expect(parses(q.workingSet)).toBe(true);
    expect(parses(q.realUsed)).toBe(true);
  });

  it('respects the min step', () => {
    const q = sizingPeakQueries({ ...base, groupBy: 'container', minStepSeconds: 300 });
    expect(q.resolutionSeconds).toBe(300);
    expect(q.realUsed).toContain('[3599999ms:300s]');
  });
});

describe('currentResourceExprs', () => {
  it('the request from kube-state-metrics and the limit as ranking reads it, per group', () => {
    const e = currentResourceExprs(
      ['namespace="shop"', 'image!=""'],
      ['namespace="shop"'],
      DEFAULT_LABELS,
      'namespace'
    );
    expect(e.request).toBe(
      'sum by (cluster, namespace) (max by (cluster, namespace, pod, container) (kube_pod_container_resource_requests{namespace="shop", resource="memory"}))'
    );
    expect(e.limit).toBe(
      limitExpr(['namespace="shop"', 'image!=""'], ['namespace="shop"'], DEFAULT_LABELS, 'namespace')
    );
    expect(parses(e.request)).toBe(true);
    expect(parses(e.limit)).toBe(true);
  });
});
