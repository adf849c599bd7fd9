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
 * How often a panel refreshed incrementally ranks again: every 1/24 of its range, on a rung of
 * this ladder (at least 5 minutes), so the ranking is never older than 1/24 of what the panel
 * shows — 5 minutes on "last 2 hours", 15 on "last 6 hours", an hour on "last 24 hours". Ranking
 * reads every container of the selection at one instant and counts those of the whole range (on
 * 2,000 containers over 6 hours, 0.3–0.4 s: most of a top-N query's time); the lines themselves
 * are fetched up to the end on every refresh.
 */
const RANK_EVERY_LADDER = [300, 600, 900, 1800, 3600, 2 * 3600, 3 * 3600, 6 * 3600, 12 * 3600, 24 * 3600];

/** The rung for `range`: its width varies by a step between refreshes, which never crosses a rung. */
export function rankEverySeconds(range: RangeParams): number {
  const share = (range.end - range.start) / 24;
  return RANK_EVERY_LADDER.filter((rung) => rung <= share).pop() ?? RANK_EVERY_LADDER[0];
}

/** "5-minute", "1-hour": the rung as the notice says it. */
export const rankEveryText = (seconds: number) =>
  seconds < 3600 ? `${seconds / 60}-minute` : `${seconds / 3600}-hour`;

/** Marks fall on the step grid: the smallest multiple of the step of at least the rung. */
const markEvery = (range: RangeParams) => Math.ceil(rankEverySeconds(range) / range.step) * range.step;

/**
 * The instant top N ranks at: the end of the range, or on a panel refreshed incrementally the
 * range's last mark (every `rankEverySeconds`, a multiple of the step), so that every refresh until
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
 * The edge moves further the longer the marks are apart: N/10 per 5 minutes between them, at most
 * N/2 (bench, top 50 of 2,000 containers: the new top 50 was within the previous top 53 five
 * minutes before, within the top 56–66 fifteen minutes before).
 */
export const rankSlack = (n: number, everySeconds: number) =>
  Math.max(2, Math.ceil((n * Math.min(everySeconds / 300, 5)) / 10));

/** Ranks groups by real used at the end of the range or its last mark (an instant query), keeping the top N. */
export async function rankGroups(
  client: QueryClient,
  req: RunRequest,
  keyOf: (labels: Record<string, string>) => string
): Promise<Ranking> {
  const atMarks = req.rankAtMarks === true;
  const slack = atMarks ? rankSlack(req.topN, rankEverySeconds(req.range)) : 0;
  const expr = topRealUsedExpr(req.topN + slack, req.matchers, req.labels, req.groupBy);
  const at = rankingInstant(req.range, atMarks);
  const rangeSeconds = countWindow(req.range, atMarks);
  const [ranked, count] = await Promise.all([
    client.queryInstant(expr, at, `${req.requestId}-rank`),
    client.queryInstant(
      groupCountExpr(req.matchers, req.labels, req.groupBy, rangeSeconds),
      at,
      `${req.requestId}-count`
    ),
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
  const every = rankEveryText(rankEverySeconds(req.range));
  const when = atEnd ? 'at the end of the range' : `at the range's last ${every} mark`;
  const rule = atEnd ? 'at the end' : `at ${every} marks on a refreshing panel`;
  return shown < req.topN
    ? `Showing the ${shown} ${req.groupBy}s alive ${when}; ${total - shown} more had samples earlier in the range (top N ranks ${rule}; set top N to 0 to see all).`
    : `Showing the ${shown} of ${total} ${req.groupBy}s with the most real used ${when} (top N = ${req.topN}; raise it in the query editor).`;
}
