import { LabelNames, groupLabels, selector } from './promql';
import { RangeParams } from './step';

/**
 * PromQL of the OOM-kill and restart annotations (all sources optional; whatever exists is used):
 *  - cAdvisor `container_oom_events_total`                       → OOM kills
 *  - kube-state-metrics `kube_pod_container_status_restarts_total` → restarts
 *  - kube-state-metrics `kube_pod_container_status_last_terminated_reason{reason="OOMKilled"}`
 *
 * Counters are read as `x - x offset W > 0` with W = step + 1m: at least one step, so no event
 * falls between two windows, plus a minute so the window holds the samples before and after the
 * change at scrape intervals up to 1m. Not `increase()`: Prometheus extrapolates it to the window's
 * edges, so one OOM kill read as "2 OOM kills" (VictoriaMetrics counted 1). The difference is exact
 * on both; a kill hidden by a counter reset in the same window is missed.
 */
export const EXTRA_WINDOW_SECONDS = 60;

export const OOM_EVENTS = 'container_oom_events_total';
export const KSM_RESTARTS = 'kube_pod_container_status_restarts_total';
export const KSM_LAST_TERMINATED = 'kube_pod_container_status_last_terminated_reason';

export interface EventExprs {
  oom: string;
  restarts: string;
  oomKilled: string;
  windowSeconds: number;
}

/** How much a counter rose over the last `seconds`, exactly (no extrapolation). */
const rise = (counter: string, seconds: number) => `${counter} - ${counter} offset ${seconds}s`;

export function eventExprs(
  cadvisorMatchers: string[],
  ksmMatchers: string[],
  labels: LabelNames,
  range: RangeParams
): EventExprs {
  const identity = groupLabels(labels, 'container').join(', ');
  const w = range.step + EXTRA_WINDOW_SECONDS;
  return {
    // sum over container ids: the killed cgroup and its successor are different series.
    oom: `sum by (${identity}) (${rise(selector(OOM_EVENTS, cadvisorMatchers), w)}) > 0`,
    restarts: `max by (${identity}) (${rise(selector(KSM_RESTARTS, ksmMatchers), w)}) > 0`,
    oomKilled: `max by (${identity}) (${selector(KSM_LAST_TERMINATED, [...ksmMatchers, 'reason="OOMKilled"'])})`,
    windowSeconds: w,
  };
}
