import { alignByGroup } from '../memory/align';
import { hasFileCacheSeries, withEstimatedFileCache } from '../memory/derive';
import { ScrapeDisagreement } from '../memory/duplicateScrapes';
import { KeyOf } from '../memory/groupKey';
import { FetchPlan } from '../memory/plan';
import { GroupSeries, MetricKey, RawSeries } from '../memory/series';
import { RangeParams } from '../prometheus/step';
import { QueryClient } from './request';

/**
 * The one engine every view runs on, container groups and node cgroups alike:
 * fetch each metric of the plan in parallel → align each group's series on one time axis →
 * when some group lacks the file-cache series, a second round with the fallback metrics →
 * the estimated split for those groups (memory/derive.ts). A view supplies only its own parts:
 * the plan, the PromQL of each metric, and how a series is keyed to its group.
 */

export type SeriesByMetric = Partial<Record<MetricKey, RawSeries[]>>;

/** One metric's range query. */
export interface MetricQuery {
  expr: string;
  /** Series of the answer to keep, when the PromQL leaves an exclusion to the plugin. */
  keep?: (labels: Record<string, string>) => boolean;
  /** A line the executed query shows once, before the first expression that carries it (a PromQL comment). */
  note?: string;
}

export interface EngineRequest {
  plan: FetchPlan;
  queryOf: (metric: MetricKey) => MetricQuery;
  keyOf: KeyOf;
  range: RangeParams;
  /** Each query's request id is this plus the metric, so a refresh cancels them all. */
  requestId: string;
  /** Every expression sent is appended, in order, for the query inspector. */
  executed: string[];
  /** A metric the view fetches its own way (swap: a probe first); undefined = its range query. */
  fetchOwn?: (metric: MetricKey) => Promise<RawSeries[]> | undefined;
  /** The first round read elsewhere when that gives the same answer (recorded series); undefined = fetch it. */
  firstRound?: () => Promise<SeriesByMetric | undefined>;
}

export interface AlignedGroups {
  /** Groups with the plan's first metric (the others have nothing to plot), split estimated where `estimated` says. */
  groups: GroupSeries[];
  /** Keys of groups whose file-cache split was estimated (no file-cache series). */
  estimated: Set<string>;
  /** NaN, ±Inf and negative samples dropped, per group key. */
  invalidByGroup: Map<string, number>;
  /** Groups scraped more than once whose scrapes disagreed, per group key. */
  disagreements: Map<string, ScrapeDisagreement>;
}

export async function fetchAligned(client: Pick<QueryClient, 'queryRange'>, r: EngineRequest): Promise<AlignedGroups> {
  const fetchMetric = async (metric: MetricKey): Promise<RawSeries[]> => {
    const own = r.fetchOwn?.(metric);
    if (own) {
      return own;
    }
    const { expr, keep, note } = r.queryOf(metric);
    if (note && !r.executed.includes(note)) {
      r.executed.push(note);
    }
    r.executed.push(expr);
    const series = await client.queryRange(expr, r.range, `${r.requestId}-${metric}`);
    return keep ? series.filter((s) => keep(s.labels)) : series;
  };
  const fetchMetrics = async (metrics: MetricKey[]): Promise<SeriesByMetric> =>
    Object.fromEntries(await Promise.all(metrics.map(async (m) => [m, await fetchMetric(m)] as const)));

  const plotted = (g: GroupSeries) => g.values[r.plan.first[0]] !== undefined;
  const first = (await r.firstRound?.()) ?? (await fetchMetrics(r.plan.first));
  let aligned = alignByGroup(first, r.keyOf);
  // The fallback rule, the only place it is written: groups without the file-cache series get
  // the fallback metrics in a second round (fetched only then) and an estimated split.
  const estimated = new Set(
    aligned.groups.filter((g) => plotted(g) && !hasFileCacheSeries(g, r.plan.first)).map((g) => g.key)
  );
  if (estimated.size > 0) {
    aligned = alignByGroup({ ...first, ...(await fetchMetrics(r.plan.fallback)) }, r.keyOf);
  }
  return {
    groups: aligned.groups.filter(plotted).map((g) => (estimated.has(g.key) ? withEstimatedFileCache(g) : g)),
    estimated,
    invalidByGroup: aligned.invalidByGroup,
    disagreements: aligned.disagreements,
  };
}
