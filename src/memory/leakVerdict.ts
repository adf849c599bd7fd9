/**
 * Leak or cache? One verdict per container over the selected range.
 *
 * Inputs are aligned series (one timestamp array, values null where missing) of
 *   real used  = usage − active_file − inactive_file  (anon side: what the kernel cannot reclaim)
 *   file cache = active_file + inactive_file           (reclaimable page cache)
 * and optionally the memory limit.
 *
 * Method
 * 1. Restarts: a point below RESET_DROP_FRACTION of the previous real-used point, confirmed by the
 *    medians of the points either side, starts a new segment (a restarted process begins again
 *    near its baseline). Only the latest segment with
 *    at least MIN_SEGMENT_POINTS points is fitted, so "grew, was OOM-killed, grew again" reads
 *    as growth, and the drop of a restart is never read as a shrinking trend.
 * 2. Theil–Sen fit (trend.ts) of real used and of file cache on that segment; slopes in bytes/hour.
 * 3. A series is "growing" when all three hold:
 *      rise over the fitted span (slope × span) ≥ MIN_RELATIVE_RISE × mean of the series,
 *      slope ≥ MIN_SLOPE_BYTES_PER_HOUR,
 *      fit quality (R²) ≥ MIN_FIT_QUALITY.
 * 4. Verdict: real used growing → LEAK; else file cache growing → CACHE; else STABLE.
 *    A cache sawtooth (fill to the limit, reclaim, fill again) has a low R² and a flat real
 *    used, so it is never a leak; it reads STABLE, or CACHE when the range holds mostly one climb.
 * 5. Time to limit: only when real used is growing and a limit > 0 is known:
 *      (limit − fitted real used at the end of the range) / slope, 0 when already there.
 *
 * Pure: no Grafana imports.
 */
import { median, theilSen, TrendFit } from './trend';

/**
 * Growth must add up to 10% of the series' mean over the fitted span: smaller drifts are within
 * what allocators, caches and GC do on their own. Measured over the span (not per hour) so a
 * slow leak shows on a week's range and a one-hour range needs a fast one.
 */
export const MIN_RELATIVE_RISE = 0.1;
/** 1 MiB/h: below this a "leak" would take months to matter on any real limit. */
export const MIN_SLOPE_BYTES_PER_HOUR = 1024 * 1024;
/** R² ≥ 0.5: the line explains at least half the variance, i.e. growth, not noise or sawtooth. */
export const MIN_FIT_QUALITY = 0.5;
/** A drop to below 25% of the previous point is a restart (a new process), not reclaim. */
export const RESET_DROP_FRACTION = 0.25;
/** Drops from below 1 MiB are ignored for restart detection (an empty container wobbling). */
export const RESET_MIN_PREVIOUS = 1024 * 1024;
/** Points either side of a drop whose medians must confirm it (see segmentStarts). */
export const RESET_CONFIRM_POINTS = 5;
/** A segment needs this many points to be fitted. */
export const MIN_SEGMENT_POINTS = 6;

export const VERDICT_LEAK = 'anon memory growing: possible leak';
export const VERDICT_CACHE = 'page cache growing: not a leak';
export const VERDICT_STABLE = 'stable';
export const VERDICT_NO_DATA = 'not enough data';
export type Verdict = typeof VERDICT_LEAK | typeof VERDICT_CACHE | typeof VERDICT_STABLE | typeof VERDICT_NO_DATA;

const HOUR_MS = 3_600_000;

export interface LeakInput {
  /** Epoch milliseconds, ascending. */
  times: number[];
  realUsed: Array<number | null>;
  fileCache: Array<number | null>;
  /** Memory limit in bytes per timestamp (or one value); null/0/missing = no limit. */
  limit?: Array<number | null> | number | null;
}

export interface LeakResult {
  verdict: Verdict;
  /** Bytes per hour, null when there was nothing to fit. */
  realUsedSlope: number | null;
  fileCacheSlope: number | null;
  /** R² of the real-used fit, in [0, 1]. */
  fitQuality: number | null;
  /** Seconds until real used reaches the limit, null when no limit or not growing. */
  timeToLimit: number | null;
  /** Epoch ms of the first point fitted (after the last restart). */
  fittedFrom: number | null;
  /** Restarts detected in the range. */
  restarts: number;
  /** Why a figure is missing, in words for the user. */
  notes: string[];
}

/**
 * Start indices of segments: a new one where real used falls below RESET_DROP_FRACTION of the
 * previous point and the drop holds: the median of the next RESET_CONFIRM_POINTS points is also
 * below that fraction of the median of the previous ones. Noise around a small value then never
 * reads as a restart; a restarted process (low for a while, then climbing) does.
 */
export function segmentStarts(values: Array<number | null>): number[] {
  const idx: number[] = [];
  values.forEach((v, i) => {
    if (v !== null && v !== undefined) {
      idx.push(i);
    }
  });
  const starts = [0];
  let segmentFrom = 0; // position in idx where the current segment starts
  for (let k = 1; k < idx.length; k++) {
    const prev = values[idx[k - 1]]!;
    const v = values[idx[k]]!;
    if (prev < RESET_MIN_PREVIOUS || v >= RESET_DROP_FRACTION * prev) {
      continue;
    }
    const before = idx.slice(Math.max(segmentFrom, k - RESET_CONFIRM_POINTS), k).map((i) => values[i]!);
    const after = idx.slice(k, k + RESET_CONFIRM_POINTS).map((i) => values[i]!);
    if (median(after) < RESET_DROP_FRACTION * median(before)) {
      starts.push(idx[k]);
      segmentFrom = k;
    }
  }
  return starts;
}

function countNonNull(values: Array<number | null>, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    if (values[i] !== null && values[i] !== undefined) {
      n++;
    }
  }
  return n;
}

function mean(values: Array<number | null>): number {
  let sum = 0;
  let n = 0;
  for (const v of values) {
    if (v !== null && v !== undefined) {
      sum += v;
      n++;
    }
  }
  return n ? sum / n : 0;
}

/** The growth test of step 3; `fit` is in bytes per hour, `spanHours` the fitted span. */
export function isGrowing(fit: TrendFit | null, values: Array<number | null>, spanHours: number): boolean {
  if (!fit || fit.slope <= 0) {
    return false;
  }
  return (
    fit.slope >= MIN_SLOPE_BYTES_PER_HOUR &&
    fit.quality >= MIN_FIT_QUALITY &&
    fit.slope * spanHours >= MIN_RELATIVE_RISE * Math.abs(mean(values))
  );
}

function lastLimit(limit: LeakInput['limit'], from: number, to: number): number | null {
  if (typeof limit === 'number') {
    return limit > 0 ? limit : null;
  }
  if (!limit) {
    return null;
  }
  for (let i = to - 1; i >= from; i--) {
    const v = limit[i];
    if (v !== null && v !== undefined) {
      return v > 0 ? v : null;
    }
  }
  return null;
}

export function leakVerdict(input: LeakInput): LeakResult {
  const { times, realUsed, fileCache } = input;
  const notes: string[] = [];
  const starts = segmentStarts(realUsed);
  const restarts = starts.length - 1;

  // The latest segment long enough to fit.
  let from = -1;
  let to = times.length;
  for (let s = starts.length - 1; s >= 0; s--) {
    const end = s + 1 < starts.length ? starts[s + 1] : times.length;
    if (countNonNull(realUsed, starts[s], end) >= MIN_SEGMENT_POINTS) {
      from = starts[s];
      to = end;
      break;
    }
  }
  if (from < 0) {
    return {
      verdict: VERDICT_NO_DATA,
      realUsedSlope: null,
      fileCacheSlope: null,
      fitQuality: null,
      timeToLimit: null,
      fittedFrom: null,
      restarts,
      notes: [
        `fewer than ${MIN_SEGMENT_POINTS} points of real used${restarts ? ' since any restart' : ''} in the range`,
      ],
    };
  }
  if (to < times.length) {
    notes.push('the latest segment after a restart was too short; fitted the one before it');
  }

  const t0 = times[from];
  const hours = times.slice(from, to).map((t) => (t - t0) / HOUR_MS);
  const spanHours = hours[hours.length - 1];
  const used = realUsed.slice(from, to);
  const cache = fileCache.slice(from, to);
  const usedFit = theilSen(hours, used);
  const cacheFit = theilSen(hours, cache);
  if (!cacheFit.fit) {
    notes.push(`file cache: ${cacheFit.reason}`);
  }

  const usedGrowing = isGrowing(usedFit.fit, used, spanHours);
  const cacheGrowing = isGrowing(cacheFit.fit, cache, spanHours);
  const verdict = usedGrowing ? VERDICT_LEAK : cacheGrowing ? VERDICT_CACHE : VERDICT_STABLE;

  let timeToLimit: number | null = null;
  const limit = lastLimit(input.limit, from, to);
  if (limit === null) {
    notes.push('no memory limit: no time to limit');
  } else if (usedGrowing && usedFit.fit) {
    const now = usedFit.fit.intercept + usedFit.fit.slope * spanHours;
    timeToLimit = Math.max(0, ((limit - now) / usedFit.fit.slope) * 3600);
  }

  return {
    verdict,
    realUsedSlope: usedFit.fit?.slope ?? null,
    fileCacheSlope: cacheFit.fit?.slope ?? null,
    fitQuality: usedFit.fit?.quality ?? null,
    timeToLimit,
    fittedFrom: t0,
    restarts,
    notes,
  };
}
