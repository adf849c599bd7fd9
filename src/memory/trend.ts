/**
 * Robust straight-line fit (Theil–Sen) for memory trends.
 *
 * slope     = median of the pairwise slopes (y_j − y_i) / (x_j − x_i), i < j
 * intercept = median of (y_i − slope · x_i)
 * quality   = R² of that line: 1 − Σ(y − ŷ)² / Σ(y − ȳ)², clamped to [0, 1].
 *             1 = the line explains the series; 0 = no better than its mean (noise, sawtooth).
 *             A series with no variance at all (a flat line) that the line fits exactly gets 1.
 *
 * Theil–Sen ignores up to ~29% outliers (a GC spike, a scrape glitch), which least squares
 * does not. R² is kept as the quality figure because it is familiar and scale-free.
 *
 * Nulls (gaps) are skipped. Pure: no Grafana imports.
 */

import { Sample } from './series';

/** Below this many non-null points no trend is claimed. */
export const MIN_TREND_POINTS = 3;
/**
 * All n(n−1)/2 pairs are used up to this many; above it a fixed, seeded sample of pairs is
 * used, so the cost is bounded (720 points = 258,840 pairs) and results are repeatable.
 * The median of 5,000 sampled slopes is within a fraction of a percent of the full median.
 */
export const MAX_PAIRS = 5000;

export interface TrendFit {
  slope: number;
  intercept: number;
  /** R² of the Theil–Sen line, in [0, 1]. */
  quality: number;
  /** Non-null points used. */
  points: number;
}

export type TrendResult = { fit: TrendFit; reason?: undefined } | { fit: null; reason: string };

export function median(values: number[]): number {
  const s = Float64Array.from(values).sort();
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** mulberry32: a tiny deterministic PRNG, so sampling gives the same answer every time. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pairwiseSlopes(x: number[], y: number[]): number[] {
  const n = x.length;
  const slopes: number[] = [];
  const add = (i: number, j: number) => {
    const dx = x[j] - x[i];
    if (dx !== 0) {
      slopes.push((y[j] - y[i]) / dx);
    }
  };
  if ((n * (n - 1)) / 2 <= MAX_PAIRS) {
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j < n; j++) {
        add(i, j);
      }
    }
    return slopes;
  }
  const rand = prng(n);
  for (let k = 0; k < MAX_PAIRS; k++) {
    const i = Math.floor(rand() * n);
    let j = Math.floor(rand() * (n - 1));
    if (j >= i) {
      j++;
    }
    add(Math.min(i, j), Math.max(i, j));
  }
  return slopes;
}

/**
 * Sen's confidence interval for the Theil–Sen slope (Sen 1968; Gilbert 1987, §16.5): with N
 * pairwise slopes in order and Kendall's S variance V = n(n−1)(2n+5)/18, the bounds are the
 * slopes of rank (N − z√V)/2 and (N + z√V)/2 + 1. The ranks are rounded outwards and ties are not
 * corrected for, both of which widen the interval (err towards "cannot tell"). All pairs are used:
 * meant for short series such as floor points (floor.ts), not for raw scrapes.
 */
export function senInterval(x: number[], y: number[], z: number): { lower: number; upper: number } {
  const n = Math.min(x.length, y.length);
  const slopes: number[] = [];
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      if (x[j] !== x[i]) {
        slopes.push((y[j] - y[i]) / (x[j] - x[i]));
      }
    }
  }
  slopes.sort((a, b) => a - b);
  const c = z * Math.sqrt((n * (n - 1) * (2 * n + 5)) / 18);
  const lowerRank = Math.floor((slopes.length - c) / 2); // 1-based
  const upperRank = Math.ceil((slopes.length + c) / 2) + 1;
  return {
    lower: lowerRank >= 1 ? slopes[lowerRank - 1] : -Infinity,
    upper: upperRank <= slopes.length ? slopes[upperRank - 1] : Infinity,
  };
}

/** Fit y against x (any units; the slope is in y-units per x-unit). */
export function theilSen(xs: ArrayLike<number>, ys: ArrayLike<Sample>): TrendResult {
  const x: number[] = [];
  const y: number[] = [];
  for (let i = 0; i < Math.min(xs.length, ys.length); i++) {
    const v = ys[i];
    if (v !== null && v !== undefined && Number.isFinite(v) && Number.isFinite(xs[i])) {
      x.push(xs[i]);
      y.push(v);
    }
  }
  if (x.length < MIN_TREND_POINTS) {
    return { fit: null, reason: `too few points for a trend (${x.length}, need ${MIN_TREND_POINTS})` };
  }
  const slopes = pairwiseSlopes(x, y);
  if (slopes.length === 0) {
    return { fit: null, reason: 'all points share one timestamp' };
  }
  const slope = median(slopes);
  const intercept = median(y.map((v, i) => v - slope * x[i]));

  let mean = 0;
  for (const v of y) {
    mean += v / y.length;
  }
  let ssRes = 0;
  let ssTot = 0;
  for (let i = 0; i < y.length; i++) {
    ssRes += (y[i] - (intercept + slope * x[i])) ** 2;
    ssTot += (y[i] - mean) ** 2;
  }
  const quality = ssTot === 0 ? (ssRes === 0 ? 1 : 0) : Math.min(1, Math.max(0, 1 - ssRes / ssTot));
  return { fit: { slope, intercept, quality, points: x.length } };
}
