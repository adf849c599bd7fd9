/**
 * What Robusta KRR's default "simple" strategy would set for memory:
 *   request = limit = highest peak over the range × 1.15
 * Source: robusta-dev/krr, robusta_krr/strategies/simple.py (calculate_memory_proposal,
 * memory_buffer_percentage = 15; request and limit both the proposal) over history_duration =
 * 24 × 7 × 2 = 336 h (robusta_krr/core/abstract/strategies.py). KRR looks at 14 days; here the
 * selected range. KRR's OOM-kill bump (use_oomkill_data) is off by default, so kills are not
 * added here. No floor: KRR has none.
 *
 * Pure: no Grafana imports.
 */

/** Added to the highest peak: +15%. */
export const KRR_MEMORY_BUFFER = 0.15;
/** KRR's default history, for the user: 14 days. */
export const KRR_HISTORY_HOURS = 336;

export interface Krr {
  /** Bytes. */
  request: number;
  /** Bytes; the same as the request. */
  limit: number;
}

/** The KRR figures for the peaks (bytes), or null without a peak (KRR reports "No data"). */
export function krrMemory(peaks: readonly number[]): Krr | null {
  if (peaks.length === 0) {
    return null;
  }
  const highest = peaks.reduce((a, b) => (b > a ? b : a));
  const proposal = highest * (1 + KRR_MEMORY_BUFFER);
  return { request: proposal, limit: proposal };
}
