/**
 * The floor of a memory series: the lowest point of each of FLOOR_BLOCKS equal blocks of time.
 *
 * A garbage-collected heap saws: it climbs as the program allocates and drops at each collection.
 * What a leak adds is the part no collection frees, so it shows in the lows (the post-GC floor
 * HPjmeter fits), not in the raw series, whose sawtooth hides a rising floor behind a poor fit
 * and makes a flat one look noisy. The minimum over a block several times the sawtooth period is
 * a point on that floor. Block minima are also much less autocorrelated than the raw scrapes,
 * which the trend test (growth.ts) needs: neighbouring scrapes of memory are never independent.
 *
 * Each floor point keeps the time of its minimum, so a clean line (no sawtooth) yields points on
 * that line and its slope exactly. Pure: no Grafana imports.
 */
import { Sample } from './series';

/**
 * 24 blocks: each covers 1/24 of the fitted span (15 minutes of a 6-hour range, 50 seconds of
 * 20 minutes), several periods of the usual GC and cache sawtooth, and each half of the span
 * keeps 12 floor points, enough for the trend test of growth.ts to reach 99.9% confidence.
 */
export const FLOOR_BLOCKS = 24;

export interface FloorPoint {
  /** Hours since the start of the fitted span. */
  x: number;
  y: number;
}

/** Floor points of values[from, to) against x (hours); blocks without a sample are skipped. */
export function floorPoints(x: number[], values: Sample[], from: number, to: number): FloorPoint[] {
  const x0 = x[from];
  const span = x[to - 1] - x0;
  const blocks: Array<FloorPoint | undefined> = new Array(FLOOR_BLOCKS).fill(undefined);
  for (let i = from; i < to; i++) {
    const v = values[i];
    if (v === null || v === undefined || !Number.isFinite(v)) {
      continue;
    }
    const b = span > 0 ? Math.min(FLOOR_BLOCKS - 1, Math.floor(((x[i] - x0) / span) * FLOOR_BLOCKS)) : 0;
    const cur = blocks[b];
    if (!cur || v < cur.y) {
      blocks[b] = { x: x[i], y: v };
    }
  }
  return blocks.filter((p): p is FloorPoint => p !== undefined);
}
