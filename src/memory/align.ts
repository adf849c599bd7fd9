import { Columns, ScrapeDisagreement, mergeScrapes } from './duplicateScrapes';
import { GroupSeries, MetricKey, RawSeries, Sample } from './series';

export interface AlignResult {
  groups: GroupSeries[];
  /**
   * Samples dropped per group key because they were NaN, ±Inf or negative (a memory figure is
   * never negative), so a notice goes only on the frames that have gaps.
   */
  invalidByGroup: Map<string, number>;
  /** Groups scraped more than once whose scrapes disagreed (duplicateScrapes.ts). */
  disagreements: Map<string, ScrapeDisagreement>;
}

/** One scrape of a group: its labels (without the metric name) and its series per metric. */
type ScrapeSeries = { labels: Record<string, string>; byMetric: Partial<Record<MetricKey, RawSeries>> };

/**
 * Puts the series of every metric that belong to the same group on one time axis (the union
 * of their timestamps). A metric without a sample at a timestamp gets null there.
 *
 * Series of one container that differ in other labels (two jobs scraping it, a federation layer)
 * are kept apart by scrape, and each timestamp's figures come from one of them
 * (duplicateScrapes.ts). Above the container level the server has already summed them.
 *
 * Built for large answers (millions of samples): groups on the same time grid share one
 * timestamps array, and a column without gaps holds only numbers, which JavaScript engines store
 * unboxed (8 bytes a value; a column with a null in it boxes each number).
 */
export function alignByGroup(
  seriesByMetric: Partial<Record<MetricKey, RawSeries[]>>,
  groupKeyOf: (labels: Record<string, string>) => string
): AlignResult {
  const groups = new Map<string, { labels: Record<string, string>; scrapes: Map<string, ScrapeSeries> }>();
  for (const [metric, seriesList] of Object.entries(seriesByMetric) as Array<[MetricKey, RawSeries[]]>) {
    for (const series of seriesList) {
      const key = groupKeyOf(series.labels);
      let group = groups.get(key);
      if (!group) {
        group = { labels: series.labels, scrapes: new Map() };
        groups.set(key, group);
      }
      const scrapeKey = scrapeKeyOf(series.labels);
      let scrape = group.scrapes.get(scrapeKey);
      if (!scrape) {
        scrape = { labels: withoutName(series.labels), byMetric: {} };
        group.scrapes.set(scrapeKey, scrape);
      }
      // The same series twice in one answer is one reading, never a sum.
      const known = scrape.byMetric[metric];
      scrape.byMetric[metric] = known ? maxOfSeries(known, series) : series;
    }
  }

  const invalidByGroup = new Map<string, number>();
  const disagreements = new Map<string, ScrapeDisagreement>();
  const grids = new SharedGrids();
  const aligned: GroupSeries[] = [];
  for (const [key, group] of groups) {
    const scrapes = [...group.scrapes.values()];
    const timestamps = grids.shared(unionOfTimes(scrapes.flatMap((s) => Object.values(s.byMetric) as RawSeries[])));
    const index = lazyIndex(timestamps);
    let invalid = 0;
    const columns = scrapes.map((scrape) => {
      const values: Columns = {};
      for (const [metric, series] of Object.entries(scrape.byMetric) as Array<[MetricKey, RawSeries]>) {
        const column = columnOf(series, timestamps, index);
        invalid += column.invalid;
        values[metric] = column.values;
      }
      return values;
    });
    if (invalid > 0) {
      invalidByGroup.set(key, invalid);
    }
    let values = columns[0];
    if (columns.length > 1) {
      const merged = mergeScrapes(
        columns.map((values, i) => ({ labels: scrapes[i].labels, values })),
        timestamps
      );
      values = merged.values;
      if (merged.disagreement) {
        disagreements.set(key, merged.disagreement);
      }
    }
    aligned.push({ key, labels: group.labels, timestamps, values });
  }
  aligned.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return { groups: aligned, invalidByGroup, disagreements };
}

function withoutName(labels: Record<string, string>): Record<string, string> {
  const { __name__: _name, ...rest } = labels;
  return rest;
}

/** One scrape's identity: every label but the metric name (a scrape's memory series share them). */
function scrapeKeyOf(labels: Record<string, string>): string {
  return Object.keys(labels)
    .filter((k) => k !== '__name__')
    .sort()
    .map((k) => `${k}=${labels[k]}`)
    .join('\u0000');
}

/** Timestamp → position, built only when a series has gaps. */
function lazyIndex(timestamps: number[]): () => Map<number, number> {
  let index: Map<number, number> | undefined;
  return () => (index ??= new Map(timestamps.map((t, i) => [t, i])));
}

/** A series on the group's time axis: invalid samples (NaN, ±Inf, negative) become null and are counted. */
function columnOf(series: RawSeries, timestamps: number[], index: () => Map<number, number>) {
  const n = timestamps.length;
  const values: Sample[] = new Array(n);
  const v = series.values;
  let invalid = 0;
  // A series with as many points as the union has them all, in order: no lookup needed.
  if (v.length === n) {
    for (let i = 0; i < n; i++) {
      const x = v[i];
      if (x >= 0 && x !== Infinity) {
        values[i] = x;
      } else {
        values[i] = null;
        invalid++;
      }
    }
  } else {
    values.fill(null);
    const at = index();
    for (let i = 0; i < v.length; i++) {
      const x = v[i];
      if (x >= 0 && x !== Infinity) {
        values[at.get(series.times[i])!] = x;
      } else {
        invalid++;
      }
    }
  }
  return { values, invalid };
}

/**
 * One timestamps array per distinct time grid: the groups of a panel are nearly always on the
 * same step grid, and their frames can share one Time column instead of one copy each.
 */
class SharedGrids {
  private last?: { times: Float64Array; timestamps: number[] };

  shared(times: Float64Array): number[] {
    if (this.last && sameTimes(this.last.times, times)) {
      return this.last.timestamps;
    }
    // Array.from of a Float64Array gives an unboxed number array.
    this.last = { times, timestamps: Array.from(times) };
    return this.last.timestamps;
  }
}

function unionOfTimes(seriesList: RawSeries[]): Float64Array {
  const first = seriesList[0].times;
  // The common case: every metric was evaluated on the same step grid.
  if (seriesList.every((s) => sameTimes(s.times, first))) {
    return first;
  }
  const all = new Set<number>();
  for (const series of seriesList) {
    for (const t of series.times) {
      all.add(t);
    }
  }
  return Float64Array.from(all).sort();
}

function sameTimes(a: Float64Array, b: Float64Array): boolean {
  if (a === b) {
    return true;
  }
  if (a.length !== b.length) {
    return false;
  }
  for (let i = 0; i < a.length; i++) {
    if (a[i] !== b[i]) {
      return false;
    }
  }
  return true;
}

/**
 * The larger value per timestamp over the union of both series' timestamps, with Prometheus'
 * `max` semantics: NaN gives way to any number (NaN only where every series has NaN).
 */
function maxOfSeries(a: RawSeries, b: RawSeries): RawSeries {
  const max = new Map<number, number>();
  for (const s of [a, b]) {
    for (let i = 0; i < s.times.length; i++) {
      const t = s.times[i];
      const v = s.values[i];
      const prev = max.get(t);
      if (prev === undefined || prev < v || Number.isNaN(prev)) {
        max.set(t, v);
      }
    }
  }
  const times = Float64Array.from(max.keys()).sort();
  const values = new Float64Array(times.length);
  times.forEach((t, i) => (values[i] = max.get(t)!));
  return { labels: a.labels, times, values };
}
