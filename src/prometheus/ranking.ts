import { CADVISOR_METRIC } from './metrics';
import { escapeRegex, quotePromString } from './escaping';
import { limitExprs } from './limitQueries';
import { LabelNames, groupLabels, selector } from './promql';
import { GroupBy } from '../types';

/**
 * What a view's top N asks: the N groups that answer it most (docs/architecture.md, "Data flow").
 * Each looks at the whole range, so a container that stopped before its end still counts.
 */
export type RankBy = 'realUsed' | 'growth' | 'roomBytes' | 'roomPercent';

/**
 * Real used per group as one PromQL expression: each container's largest real used among its
 * scrapes (the plugin's rule for the figure, memory/duplicateScrapes.ts), summed to the group.
 * Containers without file-cache series get the plugin's estimate: active file ≈ cache − (usage −
 * working set). It runs alone in Prometheus: the ranking's input, and what "Copy PromQL" copies.
 * NaN and infinite samples are left out (the plugin shows them as gaps).
 */
export function realUsedExpr(matchers: string[], labels: LabelNames, groupBy: GroupBy, estimate = true): string {
  const identity = groupLabels(labels, 'container').join(', ');
  const m = (metric: keyof typeof CADVISOR_METRIC) => selector(CADVISOR_METRIC[metric], matchers);
  const estimatedActive = `clamp_min(${m('cache')} - clamp_min(${m('usage')} - ${m('workingSet')}, 0), 0)`;
  const measured = `clamp_min(${m('workingSet')} - ${m('activeFile')}, 0)`;
  const estimated = `clamp_min(${m('workingSet')} - ${estimatedActive}, 0)`;
  // `< +Inf` drops NaN and +Inf samples, which the plugin shows as gaps.
  const figure = estimate ? `(${measured} or on (${identity}) ${estimated})` : measured;
  const perContainer = `max by (${identity}) (${figure} < +Inf)`;
  return groupBy === 'container'
    ? perContainer
    : `sum by (${groupLabels(labels, groupBy).join(', ')}) (${perContainer})`;
}

/** The group's memory limit: cAdvisor's where above 0, else kube-state-metrics' (memory/limits.ts chooseLimit). */
export function limitExpr(matchers: string[], ksmMatchers: string[], labels: LabelNames, groupBy: GroupBy): string {
  const e = limitExprs(matchers, ksmMatchers, labels, groupBy);
  return `((${e.cadvisorLimit}) > 0) or on (${groupLabels(labels, groupBy).join(', ')}) (${e.ksmLimit})`;
}

export interface RankingQuery {
  by: RankBy;
  n: number;
  matchers: string[];
  ksmMatchers: string[];
  labels: LabelNames;
  groupBy: GroupBy;
  /**
   * Whether some container lacks file-cache series (`withoutFileCacheExpr`): only then is the
   * estimate part of the ranking, four more selectors (bench, 2,000 containers: 1.6 s against 0.4 s).
   */
  estimate: boolean;
  /** The range the ranking looks over, and the resolution it evaluates real used at. */
  windowSeconds: number;
  resolutionSeconds: number;
}

/** Whether the ranking keeps the smallest values (least room) rather than the largest. */
export const ranksLeast = (by: RankBy) => by === 'roomBytes' || by === 'roomPercent';

/**
 * The instant query that ranks the groups over the range: a subquery evaluates the figure at
 * `resolutionSeconds` across `windowSeconds`, then takes its peak (real used), its lowest (room)
 * or its steepest least-squares slope over a quarter of the window (growth).
 */
export function rankingExpr(q: RankingQuery): string {
  const realUsed = realUsedExpr(q.matchers, q.labels, q.groupBy, q.estimate);
  const over = (x: string) => `(${x})[${Math.ceil(q.windowSeconds)}s:${Math.ceil(q.resolutionSeconds)}s]`;
  const n = Math.floor(q.n);
  switch (q.by) {
    case 'growth': {
      // The steepest slope over any quarter of the range: a container that leaks, is OOM-killed and
      // leaks again has a sawtooth whose slope over the whole range is near 0 (the leak check fits
      // after its last restart). Each quarter is fitted at `resolutionSeconds`, as one window would be.
      const quarter = Math.ceil(q.windowSeconds / 4 / q.resolutionSeconds) * q.resolutionSeconds;
      const slopes = `deriv((${realUsed})[${quarter}s:${Math.ceil(q.resolutionSeconds)}s])`;
      return `topk(${n}, max_over_time(${slopes}[${Math.max(quarter, Math.ceil(q.windowSeconds) - quarter)}s:${quarter}s]))`;
    }
    case 'roomBytes':
    case 'roomPercent': {
      const limit = limitExpr(q.matchers, q.ksmMatchers, q.labels, q.groupBy);
      const room = `(${limit}) - ${realUsed}`;
      const figure = q.by === 'roomBytes' ? room : `(${room}) / (${limit}) * 100`;
      return `bottomk(${n}, min_over_time(${over(figure)}))`;
    }
    default:
      return `topk(${n}, max_over_time(${over(realUsed)}))`;
  }
}

/**
 * How many groups had samples anywhere in the range (not only at its end, where the ranking looks),
 * so the notice also tells when a container that stopped mid-range was left out.
 */
export function groupCountExpr(matchers: string[], labels: LabelNames, groupBy: GroupBy, rangeSeconds: number): string {
  const window = `${Math.max(1, Math.ceil(rangeSeconds))}s`;
  return `count(count by (${groupLabels(labels, groupBy).join(', ')}) (last_over_time(${selector(CADVISOR_METRIC.workingSet, matchers)}[${window}])))`;
}

/** Matchers that narrow a selector to the ranked groups (a superset; exact groups are kept afterwards). */
export function matchersForGroups(
  groups: Array<Record<string, string>>,
  labels: LabelNames,
  groupBy: GroupBy
): string[] {
  return groupLabels(labels, groupBy)
    .filter((name) => groups.some((g) => g[name]))
    .map((name) => {
      const values = Array.from(new Set(groups.map((g) => g[name] ?? '')));
      return `${name}=~${quotePromString(values.map(escapeRegex).join('|'))}`;
    });
}
