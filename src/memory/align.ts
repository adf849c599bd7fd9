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
      // The server already aggregated by exactly the group's labels, so a second series for the
      // same group and metric is a repeat (a federation or proxy layer); summing would double it.
      // Keep the larger value per timestamp, as the `max by` de-duplication does.
      group.byMetric[metric] = group.byMetric[metric] ? mergeSeries(group.byMetric[metric]!, series) : series;
    }
  }

  const invalidByGroup = new Map<string, number>();
  const aligned: GroupSeries[] = [];
  for (const [key, group] of groups) {
    const timestamps = unionOfTimestamps(Object.values(group.byMetric) as RawSeries[]);
    let index: Map<number, number> | undefined;
    const values: Partial<Record<MetricKey, Sample[]>> = {};
    for (const [metric, series] of Object.entries(group.byMetric) as Array<[MetricKey, RawSeries]>) {
      const column: Sample[] = new Array(timestamps.length).fill(null);
      // A series with as many points as the union has them all, in order: no lookup needed.
      const onGrid = series.points.length === timestamps.length;
      if (!onGrid && !index) {
        index = new Map(timestamps.map((t, i) => [t, i]));
      }
      for (let i = 0; i < series.points.length; i++) {
        const [t, v] = series.points[i];
        if (Number.isFinite(v) && v >= 0) {
          column[onGrid ? i : index!.get(t)!] = v;
        } else {
          invalidByGroup.set(key, (invalidByGroup.get(key) ?? 0) + 1);
        }
      }
      values[metric] = column;
    }
    aligned.push({ key, labels: group.labels, timestamps, values });
  }
  aligned.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return { groups: aligned, invalidByGroup };
}

function unionOfTimestamps(seriesList: RawSeries[]): number[] {
  const first = seriesList[0].points;
  // The common case: every metric was evaluated on the same step grid.
  if (seriesList.every((s) => sameTimestamps(s.points, first))) {
    return first.map((p) => p[0]);
  }
  const all = new Set<number>();
  for (const series of seriesList) {
    for (const [t] of series.points) {
      all.add(t);
    }
  }
  return Array.from(all).sort((a, b) => a - b);
}

function sameTimestamps(a: Array<[number, number]>, b: Array<[number, number]>): boolean {
  if (a.length !== b.length) {
    return false;
  }
  for (let i = 0; i < a.length; i++) {
    if (a[i][0] !== b[i][0]) {
      return false;
    }
  }
  return true;
}

function mergeSeries(a: RawSeries, b: RawSeries): RawSeries {
  const max = new Map<number, number>(a.points);
  for (const [t, v] of b.points) {
    const prev = max.get(t);
    max.set(t, prev === undefined || v > prev ? v : prev);
  }
  return { labels: a.labels, points: Array.from(max).sort((x, y) => x[0] - y[0]) };
}
