/**
 * The queries right-sizing reads (issue 25, memory/sizing/): per group, the peak of working set and
 * of real used in each window of the panel's range — one a day, or one an hour under two days
 * (peaks.ts `peakWindowHours`) — and the group's current request and limit at the range's end.
 * Pure builders: strings and numbers, no I/O.
 *
 * Windows. Each peak query is a range query whose step is the window W:
 *
 *   max_over_time(((<per group>) and on () (vector(time()) > <from>))[<W − 1 ms>:<resolution>])
 *
 * The point at t is the peak over the window (t − W, t]: the preceding window, never the next.
 * Points sit at the range's end (rounded down to the resolution) and every W before it, as many as
 * needed to reach back to the range's start (`sizingRange`), so the last window ends at the range's
 * end and the first may start before it; the `time() > from` guard drops evaluations before the
 * range's start, so the first window holds only the range's part of it (a partial window, as the
 * last one is when the range ends now). The subquery's range is W less a millisecond: Prometheus
 * 2.x closes a range on both sides, [t − W, t], 3.x and VictoriaMetrics only on the right; W − 1 ms
 * gives the same W / resolution evaluations on both, so no evaluation counts in two windows.
 *
 * Why subqueries: max_over_time needs a range of samples, and the figures are not stored series
 * but expressions — real used is working set − active file per scrape, each container is the max
 * over its duplicate scrapes, a pod or namespace is the sum of its containers at each instant (the
 * peak of the sum, not the sum of each container's peak). A subquery evaluates the expression at
 * every `resolution` across the window; max_over_time takes its largest. Prometheus evaluates the
 * subquery once over the whole range (its steps are aligned to absolute time), so the cost is that
 * of the expression at span / resolution instants, whatever the window.
 *
 * Resolution and cost (`sizingResolution`): at least 60 s (the usual scrape interval is 15–60 s) and
 * the data source's min step, coarser for long ranges so that no range evaluates more than
 * SIZING_MAX_EVALUATIONS instants (but never coarser than 30 min: a 30-day range evaluates 1,440),
 * and a divisor of the window so each holds as many. 6 h: 60 s, 360 instants; 3 days: 15 min;
 * 7 days: 30 min. The price of a coarser resolution: a spike shorter than it that falls between two
 * instants is missed (each instant reads the last sample before it, within
 * Prometheus' lookback). Cost grows with the number of series times the instants: the ranking's
 * subquery (ranking.ts) reads 60 instants of real used for 2,000 containers in ~0.6 s (1.6 s with the
 * estimate); the 360 instants of a 6 h range are to be measured on the bench against issue 25's 3 s.
 */
import { DAILY_WINDOW_HOURS, peakWindowHours } from '../memory/sizing/peaks';
import { GroupBy } from '../types';
import { limitExprs } from './limitQueries';
import { CADVISOR_METRIC } from './metrics';
import { LabelNames, groupLabels, selector } from './promql';
import { limitExpr, realUsedExpr } from './ranking';
import { RangeParams } from './step';

/** The finest subquery resolution, seconds: about one scrape. */
export const SIZING_MIN_RESOLUTION_SECONDS = 60;
/** At most this many evaluations of each figure over the range (per group)… */
export const SIZING_MAX_EVALUATIONS = 360;
/** …unless that would sample more coarsely than this, seconds (a range over 7.5 days). */
export const SIZING_MAX_RESOLUTION_SECONDS = 1800;
/** Resolutions the subquery may use: each divides an hour, so also a day. */
const RESOLUTIONS = [60, 120, 180, 240, 300, 600, 900, 1200, 1800, 3600];

/**
 * Working set per group: each container's largest working set among its scrapes (duplicate
 * scrapes: the largest of each figure, as for real used), summed to the group. NaN and infinite
 * samples are left out.
 */
export function workingSetExpr(matchers: string[], labels: LabelNames, groupBy: GroupBy): string {
  const identity = groupLabels(labels, 'container').join(', ');
  const perContainer = `max by (${identity}) (${selector(CADVISOR_METRIC.workingSet, matchers)} < +Inf)`;
  return groupBy === 'container'
    ? perContainer
    : `sum by (${groupLabels(labels, groupBy).join(', ')}) (${perContainer})`;
}

/** The peak window, seconds, for a range of `spanSeconds` (peaks.ts). */
export function sizingWindowSeconds(spanSeconds: number): number {
  return peakWindowHours(spanSeconds / 3600) * 3600;
}

/**
 * The subquery resolution, seconds: the smallest of RESOLUTIONS that is at least 60 s, the min step
 * and span / SIZING_MAX_EVALUATIONS (at most 30 min), and divides the window; else the smallest
 * whole divisor of the window that is (the window itself at worst).
 */
export function sizingResolution(spanSeconds: number, windowSeconds: number, minStepSeconds = 0): number {
  const byBudget = Math.min(spanSeconds / SIZING_MAX_EVALUATIONS, SIZING_MAX_RESOLUTION_SECONDS);
  const needed = Math.max(SIZING_MIN_RESOLUTION_SECONDS, minStepSeconds, byBudget);
  const fit = RESOLUTIONS.find((r) => r >= needed && windowSeconds % r === 0);
  if (fit !== undefined) {
    return fit;
  }
  for (let r = Math.ceil(needed); r < windowSeconds; r++) {
    if (windowSeconds % r === 0) {
      return r;
    }
  }
  return windowSeconds;
}

/**
 * The range query's parameters: step = window, end = the range's end rounded down to the
 * resolution (on the subquery's grid, never past `to`), start = end − (n − 1) windows with n the
 * fewest windows that cover [from, end]. Point k covers (end − (k + 1)·W, end − k·W].
 */
export function sizingRange(
  fromSeconds: number,
  toSeconds: number,
  windowSeconds: number,
  resolutionSeconds: number
): RangeParams {
  const end = Math.floor(toSeconds / resolutionSeconds) * resolutionSeconds;
  const windows = Math.max(1, Math.ceil((end - fromSeconds) / windowSeconds));
  return { start: end - (windows - 1) * windowSeconds, end, step: windowSeconds };
}

/**
 * The peak of `perGroup` over the window before each point of a range query with step = window
 * (see the header): evaluations at or before `fromSeconds` are left out.
 */
export function peakExpr(perGroup: string, windowSeconds: number, resolutionSeconds: number, fromSeconds: number) {
  const range = `${Math.round(windowSeconds * 1000) - 1}ms`;
  const inRange = `(${perGroup}) and on () (vector(time()) > ${Math.floor(fromSeconds)})`;
  return `max_over_time((${inRange})[${range}:${Math.ceil(resolutionSeconds)}s])`;
}

export interface SizingSelection {
  /** cAdvisor matchers, already escaped (promql.ts buildMatchers). */
  matchers: string[];
  labels: LabelNames;
  groupBy: GroupBy;
  /**
   * Whether some container lacks file-cache series in the range (withoutFileCache.ts): only then
   * does real used carry the estimate from cache, as the ranking does.
   */
  estimate: boolean;
  /** The panel's range, seconds. */
  fromSeconds: number;
  toSeconds: number;
  /** The data source's min step, seconds (the scrape interval where set). */
  minStepSeconds?: number;
}

export interface SizingPeakQueries {
  /** Peaks of working set per group, one point per window. */
  workingSet: string;
  /** Peaks of real used per group, same windows. */
  realUsed: string;
  /** For both range queries: step = the window. */
  range: RangeParams;
  windowSeconds: number;
  resolutionSeconds: number;
}

/** The two range queries of the peaks per group, and their shared range (see the header). */
export function sizingPeakQueries(s: SizingSelection): SizingPeakQueries {
  const span = Math.max(0, s.toSeconds - s.fromSeconds);
  const windowSeconds = sizingWindowSeconds(span);
  const resolutionSeconds = sizingResolution(span, windowSeconds, s.minStepSeconds);
  const peak = (perGroup: string) => peakExpr(perGroup, windowSeconds, resolutionSeconds, s.fromSeconds);
  return {
    workingSet: peak(workingSetExpr(s.matchers, s.labels, s.groupBy)),
    realUsed: peak(realUsedExpr(s.matchers, s.labels, s.groupBy, s.estimate)),
    range: sizingRange(s.fromSeconds, s.toSeconds, windowSeconds, resolutionSeconds),
    windowSeconds,
    resolutionSeconds,
  };
}

/** Whether the peaks are daily (else hourly). */
export const dailyPeaks = (q: Pick<SizingPeakQueries, 'windowSeconds'>) => q.windowSeconds >= DAILY_WINDOW_HOURS * 3600;

export interface CurrentResourceExprs {
  /** kube-state-metrics' memory request summed to the group (limitQueries.ts). */
  request: string;
  /** cAdvisor's limit where above 0, else kube-state-metrics' (ranking.ts limitExpr). */
  limit: string;
}

/**
 * The group's current memory request and limit: instant queries, evaluated at the range's end
 * (`sizingRange(…).end`). A group with no series there (stopped before the end) has none: sizing
 * then reads "no current request/limit", not an old one.
 */
export function currentResourceExprs(
  matchers: string[],
  ksmMatchers: string[],
  labels: LabelNames,
  groupBy: GroupBy
): CurrentResourceExprs {
  return {
    request: limitExprs(matchers, ksmMatchers, labels, groupBy).ksmRequest,
    limit: limitExpr(matchers, ksmMatchers, labels, groupBy),
  };
}
