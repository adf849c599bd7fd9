import type { QueryResultMetaNotice } from '@grafana/data';

import { ScrapeDisagreement } from '../memory/duplicateScrapes';
import { groupKeyOf } from '../memory/groupKey';
import { GroupLimits } from '../memory/limits';
import { FetchPlan } from '../memory/plan';
import { GroupSeries, RawSeries } from '../memory/series';
import { CADVISOR_METRIC } from '../prometheus/metrics';
import {
  PLAIN_SELECTOR_NOTE,
  duplicateScrapesProbeExpr,
  groupLabels,
  pressureQuery,
  rangeQuery,
  swapProbeExpr,
  swappedExpr,
} from '../prometheus/promql';
import { RankBy, matchersForGroups } from '../prometheus/ranking';
import { MetricQuery, fetchAligned } from './engine';
import { startLimitFetch } from './limits';
import { rankGroups } from './ranking';
import { recordedReader } from './recorded';
import { QueryClient, RunRequest } from './request';

/** The groups of one target, every fetched metric on a shared time axis. */
export interface FetchedGroups {
  /** Groups with the plan's first metric, in ranking order with top N; estimated where `estimated` says. */
  groups: GroupSeries[];
  /** Keys of groups whose file-cache split was estimated (no file-cache series). */
  estimated: Set<string>;
  /** NaN, ±Inf and negative samples dropped, per group key. */
  invalidByGroup: Map<string, number>;
  /** Groups scraped more than once whose scrapes disagreed, per group key. */
  disagreements: Map<string, ScrapeDisagreement>;
  /** Limits per group key; empty unless asked for. */
  limits: Map<string, GroupLimits>;
  /** Label names that identify a group at the chosen level. */
  groupLabelNames: string[];
  /** Notices for every frame (top N cut). */
  notices: QueryResultMetaNotice[];
  /** Every expression sent, in order, for the query inspector. */
  executed: string[];
}

/**
 * plan → rank (top N) → the engine (engine.ts: each metric in parallel, aligned, the fallback
 * round) with the limits fetched beside it. The first round reads the recording rules' series
 * instead where they give the same answer (recorded.ts); swap is probed before it is fetched.
 */
export async function fetchGroups(
  client: QueryClient,
  req: RunRequest,
  plan: FetchPlan,
  withLimits: boolean,
  rankBy: RankBy
): Promise<FetchedGroups> {
  const groupLabelNames = groupLabels(req.labels, req.groupBy);
  const keyOf = groupKeyOf(groupLabelNames);
  const executed: string[] = [];
  const recorded = recordedReader(client, req, plan, keyOf);

  const ranking = req.topN > 0 ? await rankGroups(client, req, keyOf, rankBy) : undefined;
  if (ranking) {
    executed.push(ranking.expr);
  }
  const narrowing = ranking?.narrowing ?? [];
  const matchers = [...req.matchers, ...narrowing];
  const limitFetch = withLimits ? startLimitFetch(client, req, narrowing) : undefined;
  executed.push(...(limitFetch?.exprs ?? []));
  // Recorded series are one per container already: no probe where they are read (should they
  // fall short, a raw round then takes each container's max).
  const duplicates =
    req.groupBy !== 'container' &&
    !(recorded && (await recorded.covered)) &&
    (await scrapedTwice(client, req, matchers, executed));

  const aligned = await fetchAligned(client, {
    plan,
    queryOf: (metric): MetricQuery => {
      const { expr, keep } =
        metric === 'pressure'
          ? pressureQuery(matchers, req.labels, req.groupBy, req.range.step)
          : rangeQuery(CADVISOR_METRIC[metric], matchers, req.labels, req.groupBy, duplicates);
      return { expr, keep, note: keep && PLAIN_SELECTOR_NOTE };
    },
    keyOf,
    range: req.range,
    requestId: req.requestId,
    executed,
    fetchOwn: (metric) => (metric === 'swap' ? fetchSwap(client, req, matchers, executed) : undefined),
    firstRound: recorded && (() => recorded.read(narrowing, executed)),
  });
  const groups = ranking ? ranking.order(aligned.groups) : aligned.groups;
  // Notices speak of the groups shown, not of those a ranked query fetched beside them.
  const shown = new Set(groups.map((g) => g.key));
  return {
    groups,
    estimated: ranking ? new Set([...aligned.estimated].filter((k) => shown.has(k))) : aligned.estimated,
    invalidByGroup: ranking
      ? new Map([...aligned.invalidByGroup].filter(([k]) => shown.has(k)))
      : aligned.invalidByGroup,
    disagreements: new Map([...aligned.disagreements].filter(([k]) => shown.has(k))),
    // With nothing to plot the limits are not waited for: the panel says why it is empty.
    limits: limitFetch && groups.length > 0 ? await limitFetch.resolve(groups, keyOf) : new Map(),
    groupLabelNames,
    notices: ranking?.notices ?? [],
    executed,
  };
}

/** Whether a container of the selection was scraped more than once in the range (promql.ts rangeQuery). */
async function scrapedTwice(client: QueryClient, req: RunRequest, matchers: string[], executed: string[]) {
  const probe = duplicateScrapesProbeExpr(matchers, req.labels, req.range.end - req.range.start + req.range.step);
  executed.push(probe);
  return (await client.queryInstant(probe, req.range.end, `${req.requestId}-duplicates-probe`)).length > 0;
}

/** Swap: one instant probe over the range, then a range query only for the groups that swapped. */
async function fetchSwap(
  client: QueryClient,
  req: RunRequest,
  matchers: string[],
  executed: string[]
): Promise<RawSeries[]> {
  const window = req.range.end - req.range.start + req.range.step;
  const probe = swapProbeExpr(matchers, req.labels, req.groupBy, window);
  executed.push(probe);
  const swapped = await client.queryInstant(probe, req.range.end, `${req.requestId}-swap-probe`);
  if (swapped.length === 0) {
    return [];
  }
  const only = matchersForGroups(
    swapped.map((s) => s.labels),
    req.labels,
    req.groupBy
  );
  const expr = swappedExpr([...matchers, ...only], req.labels, req.groupBy);
  executed.push(expr);
  return client.queryRange(expr, req.range, `${req.requestId}-swap`);
}
