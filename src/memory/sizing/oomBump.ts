/**
 * After an OOM kill the VPA recommender records an artificial peak, so the next recommendation
 * clears the kill: max(used + 100 MiB, used × 1.2) (RecordOOM in
 * vertical-pod-autoscaler/pkg/recommender/model/container.go; DefaultOOMMinBumpUp = 100 × 1024 ×
 * 1024 bytes and DefaultOOMBumpUpRatio = 1.2 in model/aggregations_config.go).
 *
 * Our differences:
 * - used: VPA takes max(the container's memory request, the usage peak of the current interval),
 *   because it rarely has a sample at the kill itself. We take the memory at the kill when known,
 *   else the highest peak of the range (the kill happened at or below it).
 * - VPA keeps one peak per interval, the larger of usage and OOM peak. We cannot tell which window
 *   a kill fell in, so each kill adds a peak of its own: a window with a kill weighs twice, which
 *   errs towards more memory, the safe side after a kill.
 *
 * Pure: no Grafana imports.
 */
import { Sample } from '../series';

const MIB = 1024 * 1024;

/** VPA's minimum bump after an OOM kill: 100 MiB. */
export const OOM_MIN_BUMP_UP = 100 * MIB;
/** VPA's bump ratio after an OOM kill: +20%. */
export const OOM_BUMP_UP_RATIO = 1.2;

export interface OomKills {
  /** OOM kills in the range. */
  count: number;
  /** Memory at each kill in bytes, in any order; missing or null entries are unknown. */
  usedAtKill?: readonly Sample[];
}

/** The peak VPA records for a kill at `used` bytes. */
export function oomPeak(used: number): number {
  return Math.max(used + OOM_MIN_BUMP_UP, used * OOM_BUMP_UP_RATIO);
}

/**
 * The peaks with one bumped peak added per kill. Without kills, or without any peak to stand in
 * for an unknown kill, the peaks come back as they are.
 */
export function withOomPeaks(peaks: readonly number[], kills: OomKills): number[] {
  const count = Math.max(0, Math.floor(kills.count));
  if (count === 0) {
    return [...peaks];
  }
  const highest = peaks.length ? peaks.reduce((a, b) => (b > a ? b : a)) : null;
  const bumped: number[] = [];
  for (let i = 0; i < count; i++) {
    const known = kills.usedAtKill?.[i];
    const used = known !== null && known !== undefined && Number.isFinite(known) ? known : highest;
    if (used !== null) {
      bumped.push(oomPeak(used));
    }
  }
  return [...peaks, ...bumped];
}
