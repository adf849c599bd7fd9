import { DataFrame, QueryResultMetaNotice } from '@grafana/data';

import { emptyFrame, breakdownFrame, realVsWorkingSetFrame } from './frames/memoryFrames';
import { renderLegend } from './frames/legend';
import { alignByGroup } from './memory/align';
import { deriveBreakdown, deriveRealVsWorkingSet, hasFileCacheSeries, withEstimatedFileCache } from './memory/derive';
import { FORMULA_EXPLANATION, Formula } from './memory/formula';
import { FetchPlan, planBreakdown, planRealVsWorkingSet } from './memory/plan';
import { GroupSeries, MetricKey, RawSeries } from './memory/series';
import { PrometheusClient } from './prometheus/client';
import { CADVISOR_METRIC } from './prometheus/metrics';
import { LabelNames, groupLabels, groupedExpr, selector } from './prometheus/promql';
import { groupCountExpr, matchersForGroups, topRealUsedExpr } from './prometheus/ranking';
import { RangeParams } from './prometheus/step';
import { GroupBy, MemoryView } from './types';
import { isTrendView, planTrendView, resolveLimits, startLimitFetch, trendFrames, withLimitFields } from './trendViews';

/** One panel target, already interpolated: everything needed to fetch and derive its frames. */
export interface MemoryRequest {
  refId: string;
  view: MemoryView;
  groupBy: GroupBy;
  formula: Formula;
  showUsage: boolean;
  legendFormat?: string;
  matchers: string[];
  labels: LabelNames;
  range: RangeParams;
  /** Keep only the N groups with the most real used at the end of the range; 0 = all. */
  topN: number;
  /** Grafana's request id; each metric's query gets its own suffix so refreshes cancel them all. */
  requestId: string;
  /** Matchers for kube-state-metrics series (limits, requests); see prometheus/limitQueries.ts. */
  ksmMatchers?: string[];
  /** realVsWorkingSet: also draw the memory limit and request (three more range queries). */
  showLimits?: boolean;
}

/** Real used vs working set, or the breakdown: fetch what the view plots, derive, build frames. */
export async function runMemoryQuery(client: PrometheusClient, req: MemoryRequest): Promise<DataFrame[]> {
  const plan: FetchPlan = isTrendView(req.view)
    ? planTrendView(req.view)
    : req.view === 'breakdown'
      ? planBreakdown()
      : planRealVsWorkingSet(req.formula, req.showUsage);
  const executed: string[] = [];
  const fetchMetrics = async (metrics: MetricKey[], matchers: string[]) => {
    const entries = await Promise.all(
      metrics.map(async (metric) => {
        if (metric === 'swap') {
          return [metric, await fetchSwap(matchers)] as const;
        }
        const expr = groupedExpr(CADVISOR_METRIC[metric], matchers, req.labels, req.groupBy);
        executed.push(expr);
        return [metric, await client.queryRange(expr, req.range, `${req.requestId}-${metric}`)] as const;
      })
    );
    return Object.fromEntries(entries) as Partial<Record<MetricKey, RawSeries[]>>;
  };
  // Few containers ever swap, yet a range query costs as much as any other metric's. One instant
  // probe over the whole range (a single evaluation) finds the groups that swapped; only those get
  // a range query, filtered to non-zero values.
  const fetchSwap = async (matchers: string[]): Promise<RawSeries[]> => {
    const window = req.range.end - req.range.start + req.range.step;
    const identity = groupLabels(req.labels, 'container').join(', ');
    const group = groupLabels(req.labels, req.groupBy).join(', ');
    const probe =
      `sum by (${group}) (max by (${identity}) (max_over_time(${selector(CADVISOR_METRIC.swap, matchers)}[${window}s]))) > 0`;
    executed.push(probe);
    const swapped = await client.queryInstant(probe, req.range.end, `${req.requestId}-swap-probe`);
    if (swapped.length === 0) {
      return [];
    }
    const only = matchersForGroups(swapped.map((s) => s.labels), req.labels, req.groupBy);
    const expr = groupedExpr(CADVISOR_METRIC.swap, [...matchers, ...only], req.labels, req.groupBy) + ' > 0';
    executed.push(expr);
    return client.queryRange(expr, req.range, `${req.requestId}-swap`);
  };

  const groupLabelNames = groupLabels(req.labels, req.groupBy);
  const keyOf = (labels: Record<string, string>) => groupLabelNames.map((l) => labels[l] ?? '').join('\u0000');

  const ranking = req.topN > 0 ? await rankGroups(client, req, keyOf) : undefined;
  if (ranking) {
    executed.push(ranking.expr);
  }
  // With top N, every query is narrowed to the ranked groups.
  const narrowing = ranking ? matchersForGroups(ranking.top, req.labels, req.groupBy) : [];
  const matchers = [...req.matchers, ...narrowing];

  // Limits and requests run in parallel with the memory series.
  const wantsLimits = isTrendView(req.view) || (req.view === 'realVsWorkingSet' && req.showLimits);
  const limitFetch = wantsLimits
    ? startLimitFetch(client, matchers, [...(req.ksmMatchers ?? req.matchers), ...narrowing], req.labels, req.groupBy, req.range, req.requestId)
    : undefined;
  executed.push(...(limitFetch?.exprs ?? []));

  // Groups seen only in the file-cache or swap series have nothing to plot.
  const plotted = (g: GroupSeries) => g.values[plan.first[0]] !== undefined;
  const fetched = await fetchMetrics(plan.first, matchers);
  let aligned = alignByGroup(fetched, keyOf);
  const lacking = new Set(aligned.groups.filter((g) => plotted(g) && !hasFileCacheSeries(g, plan.first)).map((g) => g.key));
  if (lacking.size > 0) {
    aligned = alignByGroup({ ...fetched, ...(await fetchMetrics(plan.fallback, matchers)) }, keyOf);
  }
  const { invalidByGroup } = aligned;
  let groups = aligned.groups.filter(plotted).map((g) => (lacking.has(g.key) ? withEstimatedFileCache(g) : g));
  if (ranking) {
    groups = ranking.order(groups);
  }
  const executedQueryString = executed.join('\n');

  if (groups.length === 0) {
    const shown = selector(CADVISOR_METRIC[plan.first[0]], req.matchers);
    return [
      emptyFrame(
        req.refId,
        { severity: 'warning', text: `No cAdvisor memory series match ${shown} in this time range.` },
        executedQueryString
      ),
    ];
  }

  const ctxOf = (group: GroupSeries) => ({
    refId: req.refId,
    timestamps: group.timestamps,
    labels: pick(group.labels, groupLabelNames),
    legend: renderLegend(req.legendFormat, group.labels, groupLabelNames),
    notices: [...notices(req, group, lacking.has(group.key), invalidByGroup.get(group.key) ?? 0), ...(ranking?.notices ?? [])],
    executedQueryString,
  });
  const limits = limitFetch ? await resolveLimits(limitFetch, groups, keyOf) : undefined;
  if (isTrendView(req.view)) {
    return trendFrames(req.view, req.refId, groups, limits!, ctxOf, groupLabelNames, executedQueryString);
  }
  return groups.map((group) => {
    const ctx = ctxOf(group);
    if (req.view === 'breakdown') {
      return breakdownFrame(ctx, deriveBreakdown(group));
    }
    const frame = realVsWorkingSetFrame(ctx, deriveRealVsWorkingSet(group, req.formula), req.formula);
    return limits ? withLimitFields(frame, ctx, limits.get(group.key)) : frame;
  });
}

interface Ranking {
  expr: string;
  top: Array<Record<string, string>>;
  order: (groups: GroupSeries[]) => GroupSeries[];
  notices: QueryResultMetaNotice[];
}

/** Ranks groups by real used at the end of the range (an instant query), keeping the top N. */
async function rankGroups(client: PrometheusClient, req: MemoryRequest, keyOf: (l: Record<string, string>) => string): Promise<Ranking> {
  const expr = topRealUsedExpr(req.topN, req.matchers, req.labels, req.groupBy);
  const [top, count] = await Promise.all([
    client.queryInstant(expr, req.range.end, `${req.requestId}-rank`),
    client.queryInstant(
      groupCountExpr(req.matchers, req.labels, req.groupBy, req.range.end - req.range.start + req.range.step),
      req.range.end,
      `${req.requestId}-count`
    ),
  ]);
  const rank = new Map(top.map((t, i) => [keyOf(t.labels), i]));
  const total = count[0]?.value ?? top.length;
  const notices: QueryResultMetaNotice[] =
    total > top.length
      ? [
          {
            severity: 'info',
            text:
              top.length < req.topN
                ? `Showing the ${top.length} ${req.groupBy}s alive at the end of the range; ${total - top.length} more had samples earlier in the range (top N ranks at the end; set top N to 0 to see all).`
                : `Showing the ${top.length} of ${total} ${req.groupBy}s with the most real used at the end of the range (top N = ${req.topN}; raise it in the query editor).`,
          },
        ]
      : [];
  return {
    expr,
    top: top.map((t) => t.labels),
    order: (groups) => groups.filter((g) => rank.has(g.key)).sort((a, b) => rank.get(a.key)! - rank.get(b.key)!),
    notices,
  };
}

function notices(req: MemoryRequest, group: GroupSeries, estimated: boolean, invalidSamples: number): QueryResultMetaNotice[] {
  // Headroom and leak check always use real used, whatever formula the query picked.
  const formula =
    req.view === 'breakdown'
      ? 'breakdown: anon + active file + inactive file + other = usage'
      : FORMULA_EXPLANATION[req.view === 'realVsWorkingSet' ? req.formula : 'realUsed'];
  const list: QueryResultMetaNotice[] = [];
  if (estimated) {
    list.push({
      severity: 'warning',
      text:
        `${formula}. File-cache series missing (cAdvisor < 0.50): the split was estimated — ` +
        'inactive file = usage − working set, active file = cache − inactive file.',
    });
  } else {
    list.push({ severity: 'info', text: `${formula}, from cAdvisor's file-cache series.` });
  }
  if (invalidSamples > 0) {
    list.push({
      severity: 'warning',
      text: `${invalidSamples} samples were NaN, infinite or negative and are shown as gaps.`,
    });
  }
  return list;
}

function pick(labels: Record<string, string>, names: string[]): Record<string, string> {
  const result: Record<string, string> = {};
  for (const name of names) {
    if (labels[name] !== undefined && labels[name] !== '') {
      result[name] = labels[name];
    }
  }
  return result;
}
