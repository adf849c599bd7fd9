/**
 * The peaks sizing works on: one maximum per window, computed server-side by max_over_time over
 * the window. Daily windows as the VPA recommender aggregates memory (one peak per 24 h interval,
 * vertical-pod-autoscaler/pkg/recommender/model/aggregations_config.go,
 * DefaultMemoryAggregationInterval), hourly windows when the range is under two days: one or two
 * daily peaks are too few for a 90th or 95th percentile to differ from the maximum.
 *
 * Pure: no Grafana imports.
 */
import { Sample } from '../series';

/** VPA's memory aggregation interval: one peak a day. */
export const DAILY_WINDOW_HOURS = 24;
/** The window used when the range is too short for enough daily peaks. */
export const HOURLY_WINDOW_HOURS = 1;
/** Under two days of data, peaks are taken per hour. */
export const MIN_HOURS_FOR_DAILY_PEAKS = 48;

/** Length in hours of the max_over_time window to ask for, given the span of data in hours. */
export function peakWindowHours(spanHours: number): number {
  return spanHours >= MIN_HOURS_FOR_DAILY_PEAKS ? DAILY_WINDOW_HOURS : HOURLY_WINDOW_HOURS;
}

/** "daily" or "hourly", for reasons shown to the user. */
export function windowWord(windowHours: number): string {
  return windowHours >= DAILY_WINDOW_HOURS ? 'daily' : 'hourly';
}

/**
 * The peaks with a value: a window without samples (null, NaN, ±Inf from a broken scrape) is no
 * peak at all, never 0, which would drag a percentile down.
 */
export function validPeaks(peaks: readonly Sample[]): number[] {
  return peaks.filter((v): v is number => v !== null && v !== undefined && Number.isFinite(v));
}
