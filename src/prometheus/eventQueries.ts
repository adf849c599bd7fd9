import { LabelNames, groupLabels, selector } from './promql';
import { RangeParams } from './step';

/**
 * PromQL of the OOM-kill and restart annotations (all sources optional; whatever exists is used):
 *  - cAdvisor `container_oom_events_total`                       → OOM kills
 *  - kube-state-metrics `kube_pod_container_status_restarts_total` → restarts
 *  - kube-state-metrics `kube_pod_container_status_last_terminated_reason{reason="OOMKilled"}`
 *
 * Counters are read as `increase(…[W]) > 0` with W = step + 1m: at least one step, so no event
 * falls between two windows, plus a minute so the window holds the samples before and after the
 * change at scrape intervals up to 1m.
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
    oom: `sum by (${identity}) (increase(${selector(OOM_EVENTS, cadvisorMatchers)}[${w}s])) > 0`,
    restarts: `max by (${identity}) (increase(${selector(KSM_RESTARTS, ksmMatchers)}[${w}s])) > 0`,
    oomKilled: `max by (${identity}) (${selector(KSM_LAST_TERMINATED, [...ksmMatchers, 'reason="OOMKilled"'])})`,
    windowSeconds: w,
  };
}
