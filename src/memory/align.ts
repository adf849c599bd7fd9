import { GroupSeries, MetricKey, RawSeries, Sample } from './series';

export interface AlignResult {
  groups: GroupSeries[];
  /**
   * Samples dropped per group key because they were NaN, ±Inf or negative (a memory figure is
   * never negative), so a notice goes only on the frames that have gaps.
   */
  invalidByGroup: Map<string, number>;
}

/**
 * Puts the series of every metric that belong to the same group on one time axis (the union
 * of their timestamps). A metric without a sample at a timestamp gets null there.
 *
 * Built for large answers (millions of samples): groups on the same time grid share one
 * timestamps array, and a column without gaps holds only numbers, which JavaScript engines store
 * unboxed (8 bytes a value; a column with a null in it boxes each number).
 */
export function alignByGroup(
  seriesByMetric: Partial<Record<MetricKey, RawSeries[]>>,
  groupKeyOf: (labels: Record<string, string>) => string
): AlignResult {
  const groups = new Map<string, { labels: Record<string, string>; byMetric: Partial<Record<MetricKey, RawSeries>> }>();
  for (const [metric, seriesList] of Object.entries(seriesByMetric) as Array<[MetricKey, RawSeries[]]>) {
    for (const series of seriesList) {
      const key = groupKeyOf(series.labels);
      let group = groups.get(key);
      if (!group) {
        group = { labels: series.labels, byMetric: {} };
        groups.set(key, group);
      }
      // Series of one container that differ in other labels (two jobs scraping the same kubelet,
      // a federation layer) are the same memory: keep the larger value per timestamp, as
      // Prometheus' `max by` does. Above the container level the server has already done so.
      const known = group.byMetric[metric];
      group.byMetric[metric] = known ? maxOfSeries(known, series) : series;
    }
  }

  const invalidByGroup = new Map<string, number>();
  const grids = new SharedGrids();
  const aligned: GroupSeries[] = [];
  for (const [key, group] of groups) {
    const seriesList = Object.values(group.byMetric) as RawSeries[];
    const union = unionOfTimes(seriesList);
    const timestamps = grids.shared(union);
    let index: Map<number, number> | undefined;
    let invalid = 0;
    const values: Partial<Record<MetricKey, Sample[]>> = {};
    for (const [metric, series] of Object.entries(group.byMetric) as Array<[MetricKey, RawSeries]>) {
      const n = timestamps.length;
      const column: Sample[] = new Array(n);
      const v = series.values;
      // A series with as many points as the union has them all, in order: no lookup needed.
      if (v.length === n) {
        for (let i = 0; i < n; i++) {
          const x = v[i];
          if (x >= 0 && x !== Infinity) {
            column[i] = x;
          } else {
            column[i] = null;
            invalid++;
          }
        }
      } else {
        index ??= new Map(timestamps.map((t, i) => [t, i]));
        column.fill(null);
        for (let i = 0; i < v.length; i++) {
          const x = v[i];
          if (x >= 0 && x !== Infinity) {
            column[index.get(series.times[i])!] = x;
          } else {
            invalid++;
          }
        }
      }
      values[metric] = column;
    }
    if (invalid > 0) {
      invalidByGroup.set(key, invalid);
    }
    aligned.push({ key, labels: group.labels, timestamps, values });
  }
  aligned.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return { groups: aligned, invalidByGroup };
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
