/**
 * The cAdvisor memory figures the domain works with, by role rather than by metric name.
 * 'pressure' is PSI "some": the share of time (0–1) at least one task waited for memory.
 */
export type MetricKey = 'usage' | 'workingSet' | 'rss' | 'cache' | 'activeFile' | 'inactiveFile' | 'swap' | 'pressure';

/** A value at one timestamp; null where Prometheus had no (valid) sample. Never 0 for "missing". */
export type Sample = number | null;

/**
 * One series as Prometheus returned it: its labels and its samples as two columns of one length.
 * Columns, not [time, value] pairs: a panel's answer holds up to millions of samples, and a pair
 * is an object of its own (~60 bytes, and garbage to collect), a column entry 8 bytes.
 */
export interface RawSeries {
  labels: Record<string, string>;
  /** Sample times in ms, ascending. */
  times: Float64Array;
  /** Sample values as Prometheus sent them: NaN and ±Inf included. */
  values: Float64Array;
}

/** A series from [time ms, value] pairs (small answers, fixtures and tests). */
export function rawSeries(labels: Record<string, string>, points: Array<[number, number]>): RawSeries {
  return {
    labels,
    times: Float64Array.from(points, (p) => p[0]),
    values: Float64Array.from(points, (p) => p[1]),
  };
}

/** The [time ms, value] pairs of a series (tests and small series). */
export function pointsOf(series: RawSeries): Array<[number, number]> {
  return Array.from(series.times, (t, i) => [t, series.values[i]]);
}

/** One group (container, pod or namespace) with every fetched metric on a shared time axis. */
export interface GroupSeries {
  key: string;
  labels: Record<string, string>;
  timestamps: number[];
  values: Partial<Record<MetricKey, Sample[]>>;
}
