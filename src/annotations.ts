import { AnnotationQuery, AnnotationSupport, DataFrame, FieldType, createDataFrame } from '@grafana/data';

import { RawSeries } from './memory/series';
import { LabelNames, groupLabels, selector } from './prometheus/promql';
import { RangeParams } from './prometheus/step';
import { RealMemoryQuery } from './types';

/**
 * OOM kills and restarts as Grafana annotations.
 *
 * Sources (all optional; whatever exists is used):
 *  - cAdvisor    `container_oom_events_total`                → "OOM kill"
 *  - kube-state-metrics `kube_pod_container_status_restarts_total` → "Restart" (or
 *    "Restart after OOM kill" when `…_last_terminated_reason{reason="OOMKilled"}` is set then)
 *  - kube-state-metrics `kube_pod_container_status_last_terminated_reason{reason="OOMKilled"}`
 *    turning on inside the range without a matching restart → "OOMKilled"
 *
 * Counters are read as `increase(…[W]) > 0` with W = step + 1m: at least one step, so no event
 * falls between two windows, plus a minute so the window holds the samples before and after the
 * change at scrape intervals up to 1m. Consecutive positive steps are one event, placed at the
 * first of them: the event happened at most one step plus one scrape interval before.
 */

/** Marks a query as the annotation query: the data source runs the event queries for it. */
export interface EventsQuery extends RealMemoryQuery {
  realMemoryEvents: true;
}

export function isEventsQuery(q: RealMemoryQuery): q is EventsQuery {
  return (q as Partial<EventsQuery>).realMemoryEvents === true;
}

export type FetchRange = (expr: string, range: RangeParams, name: string) => Promise<RawSeries[]>;

export interface EventsRequest {
  /** cAdvisor matchers (container series). */
  cadvisorMatchers: string[];
  /** kube-state-metrics matchers (see limitQueries.ksmMatchers). */
  ksmMatchers: string[];
  labels: LabelNames;
  range: RangeParams;
}

export const EXTRA_WINDOW_SECONDS = 60;

export const OOM_EVENTS = 'container_oom_events_total';
export const KSM_RESTARTS = 'kube_pod_container_status_restarts_total';
export const KSM_LAST_TERMINATED = 'kube_pod_container_status_last_terminated_reason';

export function eventExprs(req: EventsRequest): {
  oom: string;
  restarts: string;
  oomKilled: string;
  windowSeconds: number;
} {
  const identity = groupLabels(req.labels, 'container').join(', ');
  const w = req.range.step + EXTRA_WINDOW_SECONDS;
  return {
    // sum over container ids: the killed cgroup and its successor are different series.
    oom: `sum by (${identity}) (increase(${selector(OOM_EVENTS, req.cadvisorMatchers)}[${w}s])) > 0`,
    restarts: `max by (${identity}) (increase(${selector(KSM_RESTARTS, req.ksmMatchers)}[${w}s])) > 0`,
    oomKilled: `max by (${identity}) (${selector(KSM_LAST_TERMINATED, [...req.ksmMatchers, 'reason="OOMKilled"'])})`,
    windowSeconds: w,
  };
}

export interface MemoryEvent {
  /** Epoch ms. */
  time: number;
  title: string;
  text: string;
  tags: string[];
}

/** Runs of consecutive grid points (one step apart) in a series: [first index, last index]. */
function runs(points: Array<[number, number]>, stepMs: number): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  points.forEach(([t], i) => {
    if (i > 0 && t - points[i - 1][0] <= stepMs) {
      out[out.length - 1][1] = i;
    } else {
      out.push([i, i]);
    }
  });
  return out;
}

function who(labels: Record<string, string>, names: LabelNames): string {
  return [labels[names.cluster], labels[names.namespace], labels[names.pod], labels[names.container]]
    .filter(Boolean)
    .join('/');
}

function maxIn(points: Array<[number, number]>, [a, b]: [number, number]): number {
  let m = 0;
  for (let i = a; i <= b; i++) {
    m = Math.max(m, points[i][1]);
  }
  return m;
}

/** Fetches the three event series in parallel and turns them into events, sorted by time. */
export async function fetchEvents(
  fetchRange: FetchRange,
  req: EventsRequest
): Promise<{ events: MemoryEvent[]; executed: string[] }> {
  const exprs = eventExprs(req);
  const [oom, restarts, oomKilled] = await Promise.all([
    fetchRange(exprs.oom, req.range, 'oom'),
    fetchRange(exprs.restarts, req.range, 'restarts'),
    fetchRange(exprs.oomKilled, req.range, 'oomKilled'),
  ]);
  const stepMs = req.range.step * 1000;
  const windowMs = exprs.windowSeconds * 1000;
  const key = (labels: Record<string, string>) =>
    groupLabels(req.labels, 'container')
      .map((l) => labels[l] ?? '')
      .join('\u0000');
  const events: MemoryEvent[] = [];

  for (const s of oom) {
    for (const run of runs(s.points, stepMs)) {
      const n = Math.max(1, Math.round(maxIn(s.points, run)));
      events.push({
        time: s.points[run[0]][0],
        title: 'OOM kill',
        text: `${who(s.labels, req.labels)}: ${n > 1 ? `${n} OOM kills` : 'OOM kill'} (cAdvisor ${OOM_EVENTS})`,
        tags: ['oom', s.labels[req.labels.container] ?? ''].filter(Boolean),
      });
    }
  }

  // When kube-state-metrics says OOMKilled, by container: the time ranges it was set.
  const oomKilledRuns = new Map<string, Array<[number, number]>>();
  for (const s of oomKilled) {
    const spans = runs(s.points, stepMs).map(([a, b]) => [s.points[a][0], s.points[b][0]] as [number, number]);
    oomKilledRuns.set(key(s.labels), [...(oomKilledRuns.get(key(s.labels)) ?? []), ...spans]);
  }
  const explained = new Set<[number, number]>();

  for (const s of restarts) {
    const spans = oomKilledRuns.get(key(s.labels)) ?? [];
    for (const run of runs(s.points, stepMs)) {
      const t = s.points[run[0]][0];
      // The reason is set when the container restarts and stays until the next termination:
      // a restart inside (or a window either side of) a span was an OOM kill.
      const span = spans.find(([a, b]) => a <= t + windowMs && b >= t - windowMs);
      // A span that starts at this restart needs no event of its own.
      spans.filter(([a]) => Math.abs(a - t) <= windowMs).forEach((x) => explained.add(x));
      const n = Math.max(1, Math.round(maxIn(s.points, run)));
      events.push({
        time: t,
        title: span ? 'Restart after OOM kill' : 'Restart',
        text:
          `${who(s.labels, req.labels)}: ${n > 1 ? `${n} restarts` : 'restarted'}` +
          (span ? ', last terminated reason OOMKilled' : '') +
          ' (kube-state-metrics)',
        tags: ['restart', ...(span ? ['oom'] : []), s.labels[req.labels.container] ?? ''].filter(Boolean),
      });
    }
  }

  const rangeStartMs = req.range.start * 1000;
  for (const s of oomKilled) {
    for (const [a] of runs(s.points, stepMs)) {
      const t = s.points[a][0];
      const span = oomKilledRuns.get(key(s.labels))!.find(([from]) => from === t)!;
      // Set since before the range: the kill happened earlier; not an event of this range.
      if (explained.has(span) || t <= rangeStartMs) {
        continue;
      }
      events.push({
        time: t,
        title: 'OOMKilled',
        text: `${who(s.labels, req.labels)}: last terminated reason OOMKilled (kube-state-metrics)`,
        tags: ['oom', s.labels[req.labels.container] ?? ''].filter(Boolean),
      });
    }
  }
  events.sort((x, y) => x.time - y.time);
  return { events, executed: [exprs.oom, exprs.restarts, exprs.oomKilled] };
}

/** Events as a frame Grafana's standard annotation processing reads (time, title, text, tags). */
export function eventsFrame(refId: string, events: MemoryEvent[], executedQueryString: string): DataFrame {
  return createDataFrame({
    refId,
    name: 'memory events',
    fields: [
      { name: 'time', type: FieldType.time, values: events.map((e) => e.time) },
      { name: 'title', type: FieldType.string, values: events.map((e) => e.title) },
      { name: 'text', type: FieldType.string, values: events.map((e) => e.text) },
      { name: 'tags', type: FieldType.other, values: events.map((e) => e.tags) },
    ],
    meta: { executedQueryString },
  });
}

/**
 * `datasource.annotations`: the annotation editor reuses the query editor (namespace, pod and
 * container filters apply; the view is ignored), and the stored target is run as an events query.
 */
export function memoryAnnotationSupport(): AnnotationSupport<RealMemoryQuery> {
  return {
    prepareAnnotation(json: any): AnnotationQuery<RealMemoryQuery> {
      return { ...json, target: { refId: 'Anno', ...(json?.target ?? {}) } };
    },
    prepareQuery(anno: AnnotationQuery<RealMemoryQuery>): EventsQuery | undefined {
      return { ...(anno.target ?? { refId: 'Anno' }), realMemoryEvents: true };
    },
  };
}
