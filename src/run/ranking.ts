import type { QueryResultMetaNotice } from '@grafana/data';

import { GroupSeries } from '../memory/series';
import { groupCountExpr, matchersForGroups, topRealUsedExpr } from '../prometheus/ranking';
import { QueryClient, RunRequest } from './request';

export interface Ranking {
  expr: string;
  /** Matchers that narrow every later query to the ranked groups (a superset; `order` keeps the exact ones). */
  narrowing: string[];
  /** The ranked groups among `groups`, most real used first. */
  order: (groups: GroupSeries[]) => GroupSeries[];
  notices: QueryResultMetaNotice[];
}

/** Ranks groups by real used at the end of the range (an instant query), keeping the top N. */
export async function rankGroups(
  client: QueryClient,
  req: RunRequest,
  keyOf: (labels: Record<string, string>) => string
): Promise<Ranking> {
  const expr = topRealUsedExpr(req.topN, req.matchers, req.labels, req.groupBy);
  const rangeSeconds = req.range.end - req.range.start + req.range.step;
  const [top, count] = await Promise.all([
    client.queryInstant(expr, req.range.end, `${req.requestId}-rank`),
    client.queryInstant(
      groupCountExpr(req.matchers, req.labels, req.groupBy, rangeSeconds),
      req.range.end,
      `${req.requestId}-count`
    ),
  ]);
  const rank = new Map(top.map((t, i) => [keyOf(t.labels), i]));
  const position = (g: GroupSeries) => rank.get(g.key) ?? Infinity;
  const total = count[0]?.value ?? top.length;
  return {
    expr,
    narrowing: matchersForGroups(
      top.map((t) => t.labels),
      req.labels,
      req.groupBy
    ),
    order: (groups) => groups.filter((g) => rank.has(g.key)).sort((a, b) => position(a) - position(b)),
    notices: total > top.length ? [{ severity: 'info', text: cutNotice(req, top.length, total) }] : [],
  };
}

function cutNotice(req: RunRequest, shown: number, total: number): string {
  return shown < req.topN
    ? `Showing the ${shown} ${req.groupBy}s alive at the end of the range; ${total - shown} more had samples earlier in the range (top N ranks at the end; set top N to 0 to see all).`
    : `Showing the ${shown} of ${total} ${req.groupBy}s with the most real used at the end of the range (top N = ${req.topN}; raise it in the query editor).`;
}
