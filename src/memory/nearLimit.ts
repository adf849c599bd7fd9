/**
 * How a series sits against the memory limit over a span: how many separate times it came near
 * the limit, and for what share of the points. Pure: no Grafana imports.
 */
import { Sample } from './series';

/** Within 10% of the limit is "near": the kernel starts reclaiming there (memory.high, watermarks). */
export const NEAR_LIMIT_FRACTION = 0.9;
/**
 * An episode near the limit ends only when the series falls below 80% of it, so noise around the
 * 90% line is one episode, not many.
 */
export const NEAR_LIMIT_RELEASE_FRACTION = 0.8;

/** The memory limit: one value or one per point; null/0/negative = none. */
export type Limit = Sample[] | number | null | undefined;

export function limitAt(limit: Limit, i: number): number | null {
  const v = typeof limit === 'number' || limit === null || limit === undefined ? limit : limit[i];
  return v !== null && v !== undefined && v > 0 ? v : null;
}

/** The last limit in [from, to), or null when there is none. */
export function lastLimit(limit: Limit, from: number, to: number): number | null {
  for (let i = to - 1; i >= from; i--) {
    const v = limitAt(limit, i);
    if (v !== null) {
      return v;
    }
  }
  return null;
}

export interface NearLimit {
  /** Separate times the series came within NEAR_LIMIT_FRACTION of the limit. */
  episodes: number;
  /** Share of the points with a value and a limit that were near it, 0–1. */
  share: number;
  /** Points that had both a value and a limit. */
  points: number;
}

export function nearLimit(values: Sample[], limit: Limit, from: number, to: number): NearLimit {
  let episodes = 0;
  let near = 0;
  let points = 0;
  let inside = false;
  for (let i = from; i < to; i++) {
    const v = values[i];
    const l = limitAt(limit, i);
    if (v === null || v === undefined || l === null) {
      continue;
    }
    points++;
    if (v >= NEAR_LIMIT_FRACTION * l) {
      near++;
      if (!inside) {
        episodes++;
        inside = true;
      }
    } else if (v < NEAR_LIMIT_RELEASE_FRACTION * l) {
      inside = false;
    }
  }
  return { episodes, share: points ? near / points : 0, points };
}
