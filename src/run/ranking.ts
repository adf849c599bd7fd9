import type { QueryResultMetaNotice } from '@grafana/data';

import { GroupSeries } from '../memory/series';
import { groupCountExpr, matchersForGroups, topRealUsedExpr } from '../prometheus/ranking';
import { RangeParams } from '../prometheus/step';
import { QueryClient, RunRequest } from './request';

export interface Ranking {
  expr: string;
  /** Matchers that narrow every later query to the ranked groups (a superset; `order` keeps the exact ones). */
  narrowing: string[];
  /** The ranked groups among `groups`, most real used first. */
  order: (groups: GroupSeries[]) => GroupSeries[];
  notices: QueryResultMetaNotice[];
}

/**
 * How often a panel refreshed incrementally ranks again. Ranking reads every container of the
 * selection (on 2,000 containers, most of a top-N query's time); within five minutes the heaviest
 * containers rarely change, and the lines themselves are fetched up to the end on every refresh.
 */
export const RANK_EVERY_SECONDS = 300;

/** Marks fall on the step grid: the smallest multiple of the step of at least RANK_EVERY_SECONDS. */
const markEvery = (range: RangeParams) => Math.ceil(RANK_EVERY_SECONDS / range.step) * range.step;

/**
 * The instant top N ranks at: the end of the range, or on a panel refreshed incrementally the
 * range's last mark of RANK_EVERY_SECONDS (a multiple of the step), so that every refresh until
 * the next mark — and a full query at the same moment — asks the same question.
 */
export function rankingInstant(range: RangeParams, atMarks: boolean): number {
  if (!atMarks) {
    return range.end;
  }
  const every = markEvery(range);
  return Math.max(range.start, Math.floor(range.end / every) * every);
}

/**
 * The window in which the count of groups looks for samples: the range. At marks it is rounded up
 * to whole marks, so that it reads the same on every refresh until the next mark (the aligned start
 * moves by a step now and then) and is asked once; it may then count a container that stopped up
 * to one mark before the range's start.
 */
function countWindow(range: RangeParams, atMarks: boolean): number {
  const seconds = range.end - range.start + range.step;
  if (!atMarks) {
    return seconds;
  }
  const every = markEvery(range);
  return Math.ceil(seconds / every) * every;
}

/**
 * Groups a refreshing panel fetches beyond its top N. At the next mark the top N usually changes
 * only at its edge: while the new top N is among the groups already fetched, the range queries
 * stay the same and fetch only new points (a new set would fetch every group's whole range again).
 */
export const rankSlack = (n: number) => Math.max(2, Math.ceil(n / 10));

/** Ranks groups by real used at the end of the range or its last mark (an instant query), keeping the top N. */
export async function rankGroups(
  client: QueryClient,
  req: RunRequest,
  keyOf: (labels: Record<string, string>) => string
): Promise<Ranking> {
  const atMarks = req.rankAtMarks === true;
  const expr = topRealUsedExpr(req.topN + (atMarks ? rankSlack(req.topN) : 0), req.matchers, req.labels, req.groupBy);
  const at = rankingInstant(req.range, atMarks);
  const rangeSeconds = countWindow(req.range, atMarks);
  const [ranked, count] = await Promise.all([
    client.queryInstant(expr, at, `${req.requestId}-rank`),
    client.queryInstant(groupCountExpr(req.matchers, req.labels, req.groupBy, rangeSeconds), at, `${req.requestId}-count`),
  ]);
  // topk answers most first; the slack beyond N is fetched, not shown.
  const top = ranked.slice(0, req.topN);
  const rank = new Map(top.map((t, i) => [keyOf(t.labels), i]));
  const position = (g: GroupSeries) => rank.get(g.key) ?? Infinity;
  const total = count[0]?.value ?? top.length;
  const fetched = groupsToFetch(client, ranked, [...rank.keys()], keyOf);
  return {
    expr,
    narrowing: matchersForGroups(fetched, req.labels, req.groupBy),
    order: (groups) => groups.filter((g) => rank.has(g.key)).sort((a, b) => position(a) - position(b)),
    notices: total > top.length ? [{ severity: 'info', text: cutNotice(req, top.length, total, at) }] : [],
  };
}

/** The groups fetched before, while they still hold the top N; else the ranked ones (with the slack). */
function groupsToFetch(
  client: QueryClient,
  ranked: Array<{ labels: Record<string, string> }>,
  shown: string[],
  keyOf: (labels: Record<string, string>) => string
): Array<Record<string, string>> {
  const before = client.memory?.fetchedGroups;
  const held = new Set(before?.map(keyOf));
  const groups = before && shown.every((k) => held.has(k)) ? before : ranked.map((t) => t.labels);
  if (client.memory) {
    client.memory.fetchedGroups = groups;
  }
  return groups;
}

function cutNotice(req: RunRequest, shown: number, total: number, at: number): string {
  const atEnd = at === req.range.end;
  const when = atEnd ? 'at the end of the range' : `at the range's last ${RANK_EVERY_SECONDS / 60}-minute mark`;
  const rule = atEnd ? 'at the end' : `every ${RANK_EVERY_SECONDS / 60} minutes on a refreshing panel`;
  return shown < req.topN
    ? `Showing the ${shown} ${req.groupBy}s alive ${when}; ${total - shown} more had samples earlier in the range (top N ranks ${rule}; set top N to 0 to see all).`
    : `Showing the ${shown} of ${total} ${req.groupBy}s with the most real used ${when} (top N = ${req.topN}; raise it in the query editor).`;
}
