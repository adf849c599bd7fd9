import { RawSeries } from '../memory/series';
import type { InstantSample } from '../prometheus/parse';
import { RangeParams } from '../prometheus/step';

/**
 * Incremental refresh of range queries. A panel on a relative range ending now ("last 6 hours",
 * refreshed every 30 s) asks for the same grid points again and again: only the newest are new.
 * Start and end are multiples of the step (step.ts), so the grid is the same absolute timestamps
 * on every refresh; the cache keeps what was fetched and asks Prometheus only from
 * `previous end − overlap`, rounded down to the step. The overlap re-reads the last minutes,
 * where late scrapes and staleness can still change a point. The merged answer equals a full
 * query's, point by point (tested against a real Prometheus and a simulator).
 */

/** Late scrapes land within a few scrape intervals; ten minutes is the usual margin (Grafana's Prometheus uses it too). */
export const OVERLAP_SECONDS = 600;
/**
 * The most points the cache holds across all panels, ≈ 16 bytes each in the series arrays:
 * 2 M points ≈ 32 MB, e.g. 100 containers × 4 metrics × 720 points × 7 panels. Least recently
 * used entries go first.
 */
export const MAX_CACHED_POINTS = 2_000_000;
/** Instant answers kept (one per panel target and expression; a ranking is ≤ N + 1 samples). */
export const MAX_CACHED_INSTANTS = 1000;

interface Entry {
  range: RangeParams;
  series: RawSeries[];
  points: number;
}

export interface IncrementalPlan {
  /** What to ask Prometheus for. */
  fetch: RangeParams;
  /** The cached series the answer is merged into; undefined = a full query. */
  cached?: RawSeries[];
}

export class RangeCache {
  private readonly entries = new Map<string, Entry>();
  private readonly instants = new Map<string, { time: number; answer: InstantSample[] }>();
  private readonly memories = new Map<string, object>();
  private points = 0;

  constructor(
    private readonly maxPoints = MAX_CACHED_POINTS,
    private readonly overlapSeconds = OVERLAP_SECONDS
  ) {}

  /** The part of `range` to fetch for `key`: only the tail when the cache holds the rest on the same grid. */
  plan(key: string, range: RangeParams): IncrementalPlan {
    const entry = this.entries.get(key);
    if (!entry || entry.range.step !== range.step || entry.range.start > range.start || entry.range.end > range.end) {
      return { fetch: range };
    }
    const from = Math.floor((entry.range.end - this.overlapSeconds) / range.step) * range.step;
    if (from <= range.start) {
      return { fetch: range };
    }
    return { fetch: { start: from, end: range.end, step: range.step }, cached: entry.series };
  }

  store(key: string, range: RangeParams, series: RawSeries[]): void {
    this.delete(key);
    const points = series.reduce((n, s) => n + s.times.length, 0);
    if (points > this.maxPoints) {
      return;
    }
    this.entries.set(key, { range, series, points });
    this.points += points;
    for (const [oldest] of this.entries) {
      if (this.points <= this.maxPoints) {
        break;
      }
      this.delete(oldest);
    }
  }

  /** The answer to `key` asked at `time`, when it is the one held (each key keeps its latest). */
  instant(key: string, time: number): InstantSample[] | undefined {
    const held = this.instants.get(key);
    return held?.time === time ? held.answer : undefined;
  }

  storeInstant(key: string, time: number, answer: InstantSample[]): void {
    this.instants.delete(key);
    this.instants.set(key, { time, answer });
    if (this.instants.size > MAX_CACHED_INSTANTS) {
      this.instants.delete(this.instants.keys().next().value!);
    }
  }

  /** A panel target's own memory between refreshes (see run/request.ts' PanelMemory), kept like instant answers. */
  memory<T extends object>(scope: string): T {
    const held = (this.memories.get(scope) ?? {}) as T;
    this.memories.delete(scope);
    this.memories.set(scope, held);
    if (this.memories.size > MAX_CACHED_INSTANTS) {
      this.memories.delete(this.memories.keys().next().value!);
    }
    return held;
  }

  /** Points held now (for the README's cap and the tests). */
  get size(): number {
    return this.points;
  }

  private delete(key: string): void {
    const entry = this.entries.get(key);
    if (entry) {
      this.points -= entry.points;
      this.entries.delete(key);
    }
  }
}

/**
 * The cached series trimmed to `range` and to before `freshStart` (seconds), then the fresh points
 * from `freshStart` on. Series that have no point left are dropped, as Prometheus omits them;
 * the order is Prometheus' (series sorted by label set).
 */
export function mergeSeries(
  cached: RawSeries[],
  fresh: RawSeries[],
  range: RangeParams,
  freshStart: number
): RawSeries[] {
  const startMs = range.start * 1000;
  const freshStartMs = freshStart * 1000;
  const kept = (s: RawSeries): RawSeries => {
    // Times ascend: the kept points are one slice [from, to). subarray shares, never copies.
    const from = firstAtOrAfter(s.times, startMs);
    const to = firstAtOrAfter(s.times, freshStartMs);
    return { labels: s.labels, times: s.times.subarray(from, to), values: s.values.subarray(from, to) };
  };
  // The usual refresh: the same series as before, in the same (sorted) order. Pair them up
  // without keying every label set; the result is the one the general way below gives.
  if (
    fresh.length === cached.length &&
    fresh.every((s, i) => sameLabels(s.labels, cached[i].labels)) &&
    ascending(cached)
  ) {
    return joined(cached.map((s, i) => [kept(s), fresh[i]]));
  }
  // Per label set: the kept older points, then the fresh ones (a series only cached: its kept points alone).
  const byKey = new Map<string, [RawSeries | undefined, RawSeries]>();
  for (const s of cached) {
    byKey.set(labelsKey(s.labels), [undefined, kept(s)]);
  }
  for (const s of fresh) {
    const key = labelsKey(s.labels);
    byKey.set(key, [byKey.get(key)?.[1], s]);
  }
  return joined([...byKey.values()].sort((a, b) => compareLabels(a[1].labels, b[1].labels)));
}

/**
 * Each pair's older and newer points as one series (labels of the newer), those without points
 * left out. The series share two buffers, one for times and one for values: a refresh of 200
 * series allocates 2 arrays instead of 400 (allocation was most of a merge's time).
 */
function joined(pairs: Array<[RawSeries | undefined, RawSeries]>): RawSeries[] {
  let total = 0;
  for (const [old, s] of pairs) {
    total += (old?.times.length ?? 0) + s.times.length;
  }
  const times = new Float64Array(total);
  const values = new Float64Array(total);
  const out: RawSeries[] = [];
  let at = 0;
  const put = (part: RawSeries) => {
    times.set(part.times, at);
    values.set(part.values, at);
    at += part.times.length;
  };
  for (const [old, s] of pairs) {
    const start = at;
    if (old) {
      put(old);
    }
    put(s);
    if (at > start) {
      out.push({ labels: s.labels, times: times.subarray(start, at), values: values.subarray(start, at) });
    }
  }
  return out;
}

function sameLabels(a: Record<string, string>, b: Record<string, string>): boolean {
  let n = 0;
  for (const k in a) {
    if (a[k] !== b[k]) {
      return false;
    }
    n++;
  }
  return n === Object.keys(b).length;
}

/** Strictly in Prometheus' order (so also without repeated label sets). */
function ascending(series: RawSeries[]): boolean {
  for (let i = 1; i < series.length; i++) {
    if (compareLabels(series[i - 1].labels, series[i].labels) >= 0) {
      return false;
    }
  }
  return true;
}

/** Index of the first time ≥ t in ascending `times` (its length when none). */
function firstAtOrAfter(times: Float64Array, t: number): number {
  let lo = 0;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (times[mid] < t) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  return lo;
}

function labelsKey(labels: Record<string, string>): string {
  return JSON.stringify(
    Object.keys(labels)
      .sort()
      .map((k) => [k, labels[k]])
  );
}

/** Prometheus' labels.Compare: label by label in name order, names then values, then the count. */
export function compareLabels(a: Record<string, string>, b: Record<string, string>): number {
  const an = Object.keys(a).sort();
  const bn = Object.keys(b).sort();
  for (let i = 0; i < Math.min(an.length, bn.length); i++) {
    if (an[i] !== bn[i]) {
      return an[i] < bn[i] ? -1 : 1;
    }
    if (a[an[i]] !== b[bn[i]]) {
      return a[an[i]] < b[bn[i]] ? -1 : 1;
    }
  }
  return an.length - bn.length;
}

type QueryRange = (expr: string, range: RangeParams, requestId?: string) => Promise<RawSeries[]>;

/**
 * `queryRange` that asks only for what `cache` does not hold under `scope` (a panel's target on a
 * relative range), and remembers the merged answer. A failed fetch leaves the cache as it was.
 */
export function incrementalQueryRange(queryRange: QueryRange, cache: RangeCache, scope: string): QueryRange {
  return async (expr, range, requestId) => {
    const key = `${scope}\u0000${expr}`;
    const { fetch, cached } = cache.plan(key, range);
    const fresh = await queryRange(expr, fetch, requestId);
    const series = cached ? mergeSeries(cached, fresh, range, fetch.start) : fresh;
    cache.store(key, range, series);
    return series;
  };
}

type QueryInstant = (expr: string, time: number, requestId?: string) => Promise<InstantSample[]>;

/**
 * `queryInstant` that asks once per panel target, expression and time. The same question at the
 * same instant has the same answer, so a refresh reuses it: top N ranks at marks (every 1/24 of the range) on
 * such panels (run/ranking.ts), and the refreshes until the next mark reuse the ranking.
 */
export function incrementalQueryInstant(queryInstant: QueryInstant, cache: RangeCache, scope: string): QueryInstant {
  return async (expr, time, requestId) => {
    const key = `${scope}\u0000${expr}`;
    const held = cache.instant(key, time);
    if (held) {
      return held;
    }
    const answer = await queryInstant(expr, time, requestId);
    cache.storeInstant(key, time, answer);
    return answer;
  };
}
