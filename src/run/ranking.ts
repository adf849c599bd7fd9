import type { QueryResultMetaNotice } from '@grafana/data';

import { GroupSeries } from '../memory/series';
import { RankBy, groupCountExpr, matchersForGroups, rankingExpr, ranksLeast } from '../prometheus/ranking';
import { withoutFileCacheExpr } from '../prometheus/withoutFileCache';
import { RangeParams } from '../prometheus/step';
import { groupNoun } from '../frames/noticesPerCause';
import { QueryClient, RunRequest } from './request';

export interface Ranking {
  expr: string;
  /** Matchers that narrow every later query to the ranked groups (a superset; `order` keeps the exact ones). */
  narrowing: string[];
  /** The ranked groups among `groups`, in rank order (the one that answers the view's question most first). */
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

/**
 * The subquery resolution the ranking evaluates real used at: about 60 points over the window, on
 * the step grid. Ranking reads every container of the selection; on the bench's 2,000 containers
 * over 12 hours, 60 points take ~0.6 s (~1.6 s with the estimate for containers without file-cache
 * series, which `withoutFileCacheExpr` adds only where there are such), against 0.1 s for the
 * range's end alone.
 */
const RANKING_POINTS = 60;
const rankingResolution = (window: number, step: number) =>
  Math.max(1, Math.ceil(window / RANKING_POINTS / step)) * step;

/**
 * Ranks groups by the view's question over the range (or up to its last mark), an instant query,
 * keeping the top N: most real used at its peak, least room at its lowest, fastest growth.
 */
export async function rankGroups(
  client: QueryClient,
  req: RunRequest,
  keyOf: (labels: Record<string, string>) => string,
  by: RankBy
): Promise<Ranking> {
  const atMarks = req.rankAtMarks === true;
  const slack = atMarks ? rankSlack(req.topN, rankEverySeconds(req.range)) : 0;
  const at = rankingInstant(req.range, atMarks);
  const rangeSeconds = countWindow(req.range, atMarks);
  const n = req.topN + slack;
  const without = await client.queryInstant(
    withoutFileCacheExpr(req.matchers, req.labels, rangeSeconds),
    at,
    `${req.requestId}-rank-file-cache`
  );
  const estimate = (without[0]?.value ?? 0) > 0;
  const query = (rankBy: RankBy) =>
    rankingExpr({
      by: rankBy,
      n,
      estimate,
      matchers: req.matchers,
      ksmMatchers: req.ksmMatchers,
      labels: req.labels,
      groupBy: req.groupBy,
      windowSeconds: rangeSeconds,
      resolutionSeconds: rankingResolution(rangeSeconds, req.range.step),
    });
  const rankedBy = async (rankBy: RankBy, expr: string) => {
    const answer = await client.queryInstant(expr, at, `${req.requestId}-rank-${rankBy}`);
    // Most first (least first for room).
    return answer.sort((a, b) => (ranksLeast(rankBy) ? a.value - b.value : b.value - a.value));
  };
  const expr = query(by);
  const [ranked, count] = await Promise.all([
    rankedBy(by, expr),
    client.queryInstant(
      groupCountExpr(req.matchers, req.labels, req.groupBy, rangeSeconds),
      at,
      `${req.requestId}-count`
    ),
  ]);
  const total = count[0]?.value ?? ranked.length;
  // Room needs a limit. Groups without one come after those with one, by most real used, so that
  // the panel shows them (each with its "no memory limit" notice) instead of nothing.
  const fill =
    ranksLeast(by) && ranked.length < Math.min(n, total) ? await rankedBy('realUsed', query('realUsed')) : [];
  const seen = new Set(ranked.map((t) => keyOf(t.labels)));
  const sorted = [...ranked, ...fill.filter((t) => !seen.has(keyOf(t.labels)))].slice(0, n);
  // The slack beyond N is fetched, not shown.
  const top = sorted.slice(0, req.topN);
  const rank = new Map(top.map((t, i) => [keyOf(t.labels), i]));
  const position = (g: GroupSeries) => rank.get(g.key) ?? Infinity;
  const fetched = groupsToFetch(client, sorted, [...rank.keys()], keyOf);
  const unranked = Math.max(0, top.length - ranked.length);
  return {
    expr: fill.length > 0 ? `${expr}\n${query('realUsed')}` : expr,
    narrowing: matchersForGroups(fetched, req.labels, req.groupBy),
    order: (groups) => groups.filter((g) => rank.has(g.key)).sort((a, b) => position(a) - position(b)),
    notices:
      total > top.length || unranked > 0
        ? [{ severity: 'info', text: cutNotice(req, by, top.length, total, at, unranked) }]
        : [],
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

/** What the ranking kept, in the notice's words. */
const QUESTION: Record<RankBy, string> = {
  realUsed: 'with the most real used at their peak',
  growth: 'whose real used grew fastest (steepest slope over any quarter)',
  roomBytes: 'with the least room before an OOM kill (limit − real used) at their lowest',
  roomPercent: 'with the least room before an OOM kill (% of limit) at their lowest',
};

function cutNotice(req: RunRequest, by: RankBy, shown: number, total: number, at: number, unranked: number): string {
  const over =
    at === req.range.end
      ? 'in the range'
      : `in the range up to its last ${rankEveryText(rankEverySeconds(req.range))} mark (a refreshing panel ranks again at each)`;
  const what = `${groupNoun(req.groupBy)} ${QUESTION[by]} ${over}`;
  const without =
    unranked > 0
      ? `; ${unranked} of them have no memory limit, so no room to rank, and come last, by most real used`
      : '';
  const shownText = shown < total ? `the ${shown} of ${total}` : `all ${total}`;
  const raise = shown < total ? ` (top N = ${req.topN}; change Top under Options in the query editor, 0 for all)` : '';
  return `Showing ${shownText} ${what}${raise}${without}.`;
}
