import { RawSeries } from './series';

/**
 * OOM kills and restarts, read from counter-increase series (`increase(…[W]) > 0`, one point per
 * step where the counter rose) and from the "last terminated reason OOMKilled" series.
 * Consecutive positive steps are one event, placed at the first of them: the event happened at
 * most one step plus one scrape interval before. Pure: no Grafana imports.
 */

export interface MemoryEvent {
  /** Epoch ms. */
  time: number;
  title: string;
  text: string;
  tags: string[];
}

/** The label names that identify a container (as the data source's settings name them). */
export interface IdentityLabels {
  cluster: string;
  namespace: string;
  pod: string;
  container: string;
}

export interface EventSeries {
  /** `increase(container_oom_events_total[W]) > 0`, summed per container. */
  oom: RawSeries[];
  /** `increase(kube_pod_container_status_restarts_total[W]) > 0`. */
  restarts: RawSeries[];
  /** `kube_pod_container_status_last_terminated_reason{reason="OOMKilled"}`. */
  oomKilled: RawSeries[];
}

export interface EventWindow {
  stepMs: number;
  /** The increase window W, in ms. */
  windowMs: number;
  rangeStartMs: number;
}

/** Runs of consecutive grid points (one step apart) in a series: [first index, last index]. */
function runs(times: Float64Array, stepMs: number): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  times.forEach((t, i) => {
    if (i > 0 && t - times[i - 1] <= stepMs) {
      out[out.length - 1][1] = i;
    } else {
      out.push([i, i]);
    }
  });
  return out;
}

function who(labels: Record<string, string>, names: IdentityLabels): string {
  return [labels[names.cluster], labels[names.namespace], labels[names.pod], labels[names.container]]
    .filter(Boolean)
    .join('/');
}

function maxIn(values: Float64Array, [a, b]: [number, number]): number {
  let m = 0;
  for (let i = a; i <= b; i++) {
    m = Math.max(m, values[i]);
  }
  return m;
}

/** The events in the series, sorted by time. */
export function detectEvents(series: EventSeries, names: IdentityLabels, w: EventWindow): MemoryEvent[] {
  const { stepMs, windowMs } = w;
  const key = (labels: Record<string, string>) =>
    [names.cluster, names.namespace, names.pod, names.container].map((l) => labels[l] ?? '').join('\u0000');
  const containerTag = (labels: Record<string, string>) => labels[names.container] ?? '';
  const events: MemoryEvent[] = [];

  for (const s of series.oom) {
    for (const run of runs(s.times, stepMs)) {
      const n = Math.max(1, Math.round(maxIn(s.values, run)));
      events.push({
        time: s.times[run[0]],
        title: 'OOM kill',
        text: `${who(s.labels, names)}: ${n > 1 ? `${n} OOM kills` : 'OOM kill'} (cAdvisor container_oom_events_total)`,
        tags: ['oom', containerTag(s.labels)].filter(Boolean),
      });
    }
  }

  // When kube-state-metrics says OOMKilled, by container: the time ranges it was set.
  const oomKilledSpans = new Map<string, Array<[number, number]>>();
  for (const s of series.oomKilled) {
    const spans = runs(s.times, stepMs).map(([a, b]) => [s.times[a], s.times[b]] as [number, number]);
    oomKilledSpans.set(key(s.labels), [...(oomKilledSpans.get(key(s.labels)) ?? []), ...spans]);
  }
  const explained = new Set<[number, number]>();

  for (const s of series.restarts) {
    const spans = oomKilledSpans.get(key(s.labels)) ?? [];
    for (const run of runs(s.times, stepMs)) {
      const t = s.times[run[0]];
      // The reason is set when the container restarts and stays until the next termination:
      // a restart inside (or a window either side of) a span was an OOM kill.
      const span = spans.find(([a, b]) => a <= t + windowMs && b >= t - windowMs);
      // A span that starts at this restart needs no event of its own.
      spans.filter(([a]) => Math.abs(a - t) <= windowMs).forEach((x) => explained.add(x));
      const n = Math.max(1, Math.round(maxIn(s.values, run)));
      events.push({
        time: t,
        title: span ? 'Restart after OOM kill' : 'Restart',
        text:
          `${who(s.labels, names)}: ${n > 1 ? `${n} restarts` : 'restarted'}` +
          (span ? ', last terminated reason OOMKilled' : '') +
          ' (kube-state-metrics)',
        tags: ['restart', ...(span ? ['oom'] : []), containerTag(s.labels)].filter(Boolean),
      });
    }
  }

  for (const s of series.oomKilled) {
    const spans = oomKilledSpans.get(key(s.labels)) ?? [];
    for (const [a] of runs(s.times, stepMs)) {
      const t = s.times[a];
      const span = spans.find(([from]) => from === t);
      // Set since before the range: the kill happened earlier; not an event of this range.
      if ((span && explained.has(span)) || t <= w.rangeStartMs) {
        continue;
      }
      events.push({
        time: t,
        title: 'OOMKilled',
        text: `${who(s.labels, names)}: last terminated reason OOMKilled (kube-state-metrics)`,
        tags: ['oom', containerTag(s.labels)].filter(Boolean),
      });
    }
  }
  return events.sort((x, y) => x.time - y.time);
}
