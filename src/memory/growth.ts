/**
 * Is a memory series growing over a fitted span? One answer for anon, kernel and file cache.
 *
 * 1. Floor (floor.ts): the lowest point of each of 24 blocks, so a GC or cache sawtooth is judged
 *    by its lows, not by its teeth.
 * 2. Slope: Theil–Sen on the floor points, bytes per hour.
 * 3. Growing only when all of these hold:
 *    - significant in each half of the span: the lower edge of Sen's 99.8% confidence interval of
 *      the slope of each half's floor is above 0. Alerting on the edge of a confidence band rather
 *      than on the fitted line is how Datadog's forecast monitors stay quiet on noise. Requiring it
 *      of both halves makes the test one of persistence too (start-up growth fails the later half,
 *      a one-time step fails one of them), and on independent noise the chance that both halves
 *      pass is about 0.1% × 0.1%.
 *    - not slowing down: the later half's slope is at least MIN_LATE_RATIO of the earlier half's.
 *      A warm-up that keeps creeping up is still a warm-up; a leak keeps its pace. (Coroot asks
 *      the last quarter of a run to climb "at a comparable rate".)
 *    - big enough, both ways: slope ≥ MIN_GROWTH_BYTES_PER_HOUR, and the rise over the span
 *      ≥ MIN_RELATIVE_RISE of the series' mean.
 * Machida et al. (2013) found a trend test alone (Mann–Kendall on raw system metrics) raises many
 * false alarms on software that does not age; here it is one condition of several, run on
 * floor points rather than on autocorrelated raw scrapes.
 *
 * Pure: no Grafana imports.
 */
import { floorPoints, FloorPoint } from './floor';
import { Sample } from './series';
import { senInterval, theilSen } from './trend';

/** z of a two-sided 99.8% interval: each half must rise with 99.9% confidence (one-sided). */
export const SIGNIFICANCE_Z = 3.09;
/** The later half must keep at least half the pace of the earlier one (see above). */
export const MIN_LATE_RATIO = 0.5;
/**
 * 10 MiB/h, Coroot's default when it introduced its leak check: slower growth takes over a day
 * to add 240 MiB, and small containers (a few MB) grow a few MB on their own while warming up.
 */
export const MIN_GROWTH_BYTES_PER_HOUR = 10 * 1024 * 1024;
/**
 * The rise over the fitted span must be 10% of the series' mean: smaller drifts are what
 * allocators, caches and GC do on their own. Measured over the span, so a slow leak shows on a
 * week's range while an hour's range needs a fast one.
 */
export const MIN_RELATIVE_RISE = 0.1;

export type NotGrowing = 'not rising' | 'levelled off' | 'only lately' | 'not significant' | 'too small';

export interface Growth {
  /** Theil–Sen slope of the floor, bytes per hour. */
  slope: number;
  /** Slopes of the earlier and later half of the floor; null with fewer than three points. */
  earlySlope: number | null;
  lateSlope: number | null;
  /** R² of the floor points about the line, in [0, 1]. */
  quality: number;
  /** The fitted floor at the end of the span, bytes. */
  levelAtEnd: number;
  growing: boolean;
  /** The first condition that failed, when not growing. */
  why?: NotGrowing;
}

function rSquared(points: FloorPoint[], slope: number, intercept: number): number {
  const mean = points.reduce((s, p) => s + p.y, 0) / points.length;
  let ssRes = 0;
  let ssTot = 0;
  for (const p of points) {
    ssRes += (p.y - (intercept + slope * p.x)) ** 2;
    ssTot += (p.y - mean) ** 2;
  }
  return ssTot === 0 ? (ssRes === 0 ? 1 : 0) : Math.min(1, Math.max(0, 1 - ssRes / ssTot));
}

interface HalfTrend {
  slope: number | null;
  significant: boolean;
}

function halfTrend(points: FloorPoint[]): HalfTrend {
  const x = points.map((p) => p.x);
  const y = points.map((p) => p.y);
  const slope = theilSen(x, y).fit?.slope ?? null;
  return { slope, significant: slope !== null && senInterval(x, y, SIGNIFICANCE_Z).lower > 0 };
}

function mean(values: Sample[], from: number, to: number): number {
  let sum = 0;
  let n = 0;
  for (let i = from; i < to; i++) {
    const v = values[i];
    if (v !== null && v !== undefined && Number.isFinite(v)) {
      sum += v;
      n++;
    }
  }
  return n ? sum / n : 0;
}

/**
 * Judge values[from, to) against x (hours). Null when there are fewer than three floor points
 * (nothing to fit).
 */
export function judgeGrowth(x: number[], values: Sample[], from: number, to: number): Growth | null {
  const floor = floorPoints(x, values, from, to);
  const fit = theilSen(
    floor.map((p) => p.x),
    floor.map((p) => p.y)
  ).fit;
  if (!fit) {
    return null;
  }
  const { slope, intercept } = fit;
  const start = x[from];
  const end = x[to - 1];
  const middle = (start + end) / 2;
  const early = halfTrend(floor.filter((p) => p.x < middle));
  const late = halfTrend(floor.filter((p) => p.x >= middle));

  let why: NotGrowing | undefined;
  if (slope <= 0) {
    why = 'not rising';
  } else if (early.significant && !late.significant) {
    why = 'levelled off';
  } else if (!early.significant && late.significant) {
    why = 'only lately';
  } else if (!early.significant) {
    why = 'not significant';
  } else if (late.slope! < MIN_LATE_RATIO * early.slope!) {
    why = 'levelled off';
  } else if (
    slope < MIN_GROWTH_BYTES_PER_HOUR ||
    slope * (end - start) < MIN_RELATIVE_RISE * Math.abs(mean(values, from, to))
  ) {
    why = 'too small';
  }
  return {
    slope,
    earlySlope: early.slope,
    lateSlope: late.slope,
    quality: rSquared(floor, slope, intercept),
    levelAtEnd: intercept + slope * end,
    growing: why === undefined,
    why,
  };
}
