/**
 * What the VPA recommender (and Goldilocks, which shows its figures) would set for memory:
 *   target      = max(floor, 90th percentile of the peaks × 1.15)
 *   upper bound = max(floor, 95th percentile of the peaks × 1.15)
 * Source: vertical-pod-autoscaler/pkg/recommender/logic/recommender.go — flags
 * target-memory-percentile 0.9, recommendation-upper-bound-memory-percentile 0.95,
 * recommendation-margin-fraction 0.15 (safetyMarginFraction), pod-recommendation-min-memory-mb 250
 * (podMinMemoryMb, multiplied by 1024 × 1024: MiB); the margin is added before the minimum
 * (logic/estimator.go, memoryMarginEstimator then memoryMinResourceEstimator).
 *
 * Our differences:
 * - Peaks are equally weighted over the range. VPA keeps them in a decaying histogram (half-life
 *   24 h, model/aggregations_config.go) across recommender restarts, over 8 daily intervals.
 * - Peaks are daily over the range's days, or hourly when the range is under two days (peaks.ts).
 * - Percentile by nearest rank over the peaks (percentile.ts), not VPA's bucket end (≤ 6–15% higher).
 * - The floor is per group and configurable (default 250 MiB, 0 allowed); VPA's is per pod, split
 *   evenly among its containers.
 * - VPA also multiplies its upper bound by a confidence factor (1 + 1/days of history: ×2 after a
 *   day, ×1.14 after a week; WithMemoryConfidenceMultiplier in recommender.go) so its updater does
 *   not evict young pods. We leave it out: the upper bound here is a limit to set, not an eviction
 *   threshold.
 * With fewer than 10 peaks both percentiles are the highest peak, as in VPA.
 *
 * Pure: no Grafana imports.
 */
import { nearestRank } from './percentile';

const MIB = 1024 * 1024;

export const VPA_TARGET_PERCENTILE = 0.9;
export const VPA_UPPER_BOUND_PERCENTILE = 0.95;
/** Added to both percentiles: +15%. */
export const VPA_SAFETY_MARGIN = 0.15;
/** VPA's pod minimum, here the default floor per group: 250 MiB. */
export const DEFAULT_FLOOR_BYTES = 250 * MIB;

export interface Vpa {
  /** Bytes: what VPA would set as the request. */
  target: number;
  /** Bytes: the highest request VPA would consider right. */
  upperBound: number;
}

/**
 * The VPA figures for the peaks (bytes; OOM bumps already added, oomBump.ts), or null without a
 * peak: VPA gives no recommendation without samples either. A negative or NaN floor counts as 0.
 */
export function vpaMemory(peaks: readonly number[], floor: number = DEFAULT_FLOOR_BYTES): Vpa | null {
  const p90 = nearestRank(peaks, VPA_TARGET_PERCENTILE);
  const p95 = nearestRank(peaks, VPA_UPPER_BOUND_PERCENTILE);
  if (p90 === null || p95 === null) {
    return null;
  }
  const min = floor > 0 ? floor : 0;
  return {
    target: Math.max(min, p90 * (1 + VPA_SAFETY_MARGIN)),
    upperBound: Math.max(min, p95 * (1 + VPA_SAFETY_MARGIN)),
  };
}
