/**
 * The cAdvisor memory figures the domain works with, by role rather than by metric name.
 * 'pressure' is PSI "some": the share of time (0–1) at least one task waited for memory.
 */
export type MetricKey = 'usage' | 'workingSet' | 'rss' | 'cache' | 'activeFile' | 'inactiveFile' | 'swap' | 'pressure';

/** A value at one timestamp; null where Prometheus had no (valid) sample. Never 0 for "missing". */
export type Sample = number | null;

/** One series as Prometheus returned it: its labels and [timestamp ms, value] points. */
export interface RawSeries {
  labels: Record<string, string>;
  points: Array<[number, number]>;
}

/** One group (container, pod or namespace) with every fetched metric on a shared time axis. */
export interface GroupSeries {
  key: string;
  labels: Record<string, string>;
  timestamps: number[];
  values: Partial<Record<MetricKey, Sample[]>>;
}
