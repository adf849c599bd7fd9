import { DataFrame, QueryResultMetaNotice } from '@grafana/data';

import { headroomFrame, HeadroomFrameContext, limitFields } from './frames/headroomFrames';
import { leakFrame, LeakRow } from './frames/leakFrames';
import { deriveRealVsWorkingSet } from './memory/derive';
import { headroom } from './memory/headroom';
import { leakVerdict } from './memory/leakVerdict';
import { GroupLimits, LimitSeriesSet, limitsByGroup } from './memory/limits';
import { FetchPlan } from './memory/plan';
import { GroupSeries, Sample } from './memory/series';
import { PrometheusClient } from './prometheus/client';
import { limitExprs } from './prometheus/limitQueries';
import { LabelNames } from './prometheus/promql';
import { RangeParams } from './prometheus/step';
import { GroupBy, MemoryView } from './types';

/**
 * The views built on limits and trends: "headroom" and "leakCheck", plus the limit/request lines
 * of "realVsWorkingSet". The core (memoryQuery.ts) fetches and aligns the memory series; this
 * module says what those views need and turns the aligned groups into frames.
 */

export type TrendView = 'headroom' | 'leakCheck';

export function isTrendView(view: MemoryView): view is TrendView {
  return view === 'headroom' || view === 'leakCheck';
}

/**
 * headroom:  real used and working set → working set + active file (real used = ws − active file).
 * leakCheck: real used and file cache   → also inactive file (file cache = active + inactive).
 * Fallback without file-cache series: usage and cache (inactive = usage − ws, active = cache − inactive).
 */
export function planTrendView(view: TrendView): FetchPlan {
  return view === 'headroom'
    ? { first: ['workingSet', 'activeFile'], fallback: ['usage', 'cache'] }
    : { first: ['workingSet', 'activeFile', 'inactiveFile'], fallback: ['usage', 'cache'] };
}

export interface LimitFetch {
  exprs: string[];
  series: Promise<LimitSeriesSet>;
}

/** Starts the three limit/request range queries; they run while the memory series are fetched. */
export function startLimitFetch(
  client: PrometheusClient,
  cadvisorMatchers: string[],
  ksmMatchers: string[],
  labels: LabelNames,
  groupBy: GroupBy,
  range: RangeParams,
  requestId: string
): LimitFetch {
  const e = limitExprs(cadvisorMatchers, ksmMatchers, labels, groupBy);
  const series = Promise.all([
    client.queryRange(e.cadvisorLimit, range, `${requestId}-limit`),
    client.queryRange(e.ksmLimit, range, `${requestId}-ksm-limit`),
    client.queryRange(e.ksmRequest, range, `${requestId}-ksm-request`),
  ]).then(([cadvisorLimit, ksmLimit, ksmRequest]) => ({ cadvisorLimit, ksmLimit, ksmRequest }));
  // Awaited later; until then a failure must not surface as an unhandled rejection.
  series.catch(() => undefined);
  return { exprs: [e.cadvisorLimit, e.ksmLimit, e.ksmRequest], series };
}

export async function resolveLimits(
  fetch: LimitFetch,
  groups: GroupSeries[],
  keyOf: (labels: Record<string, string>) => string
): Promise<Map<string, GroupLimits>> {
  return limitsByGroup(groups, await fetch.series, keyOf);
}

function fileCache(group: GroupSeries): Sample[] {
  const { activeFile, inactiveFile } = group.values;
  return group.timestamps.map((_, i) => {
    const a = activeFile?.[i] ?? null;
    const b = inactiveFile?.[i] ?? null;
    return a === null || b === null ? null : a + b;
  });
}

/** Frames of a trend view. `ctxOf` gives the core's per-group frame context (legend, notices). */
export function trendFrames(
  view: TrendView,
  refId: string,
  groups: GroupSeries[],
  limits: Map<string, GroupLimits>,
  ctxOf: (group: GroupSeries) => HeadroomFrameContext,
  groupLabelNames: string[],
  executedQueryString: string
): DataFrame[] {
  if (view === 'headroom') {
    return groups.map((group) => {
      const { real, workingSet } = deriveRealVsWorkingSet(group, 'realUsed');
      return headroomFrame(ctxOf(group), headroom({ limit: limits.get(group.key)?.limit, realUsed: real, workingSet }));
    });
  }
  const notices = new Map<string, QueryResultMetaNotice>();
  const rows: LeakRow[] = groups.map((group) => {
    const ctx = ctxOf(group);
    ctx.notices.forEach((n) => notices.set(n.text, n));
    return {
      labels: ctx.labels,
      result: leakVerdict({
        times: group.timestamps,
        realUsed: deriveRealVsWorkingSet(group, 'realUsed').real,
        fileCache: fileCache(group),
        limit: limits.get(group.key)?.limit,
      }),
    };
  });
  return [leakFrame(refId, groupLabelNames, rows, [...notices.values()], executedQueryString)];
}

/** Appends the dashed limit and request series to a realVsWorkingSet frame. */
export function withLimitFields(
  frame: DataFrame,
  ctx: HeadroomFrameContext,
  limits: GroupLimits | undefined
): DataFrame {
  return { ...frame, fields: [...frame.fields, ...limitFields(ctx, limits)] };
}
