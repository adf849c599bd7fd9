/**
 * Memory limits and requests per group, on the group's time axis.
 *
 * Limit source, per timestamp:
 *   1. cAdvisor `container_spec_memory_limit_bytes` when it is > 0;
 *   2. else kube-state-metrics `kube_pod_container_resource_limits{resource="memory"}`
 *      (kube-prometheus-stack drops `container_spec_*` by default, so this is common);
 *   3. else cAdvisor's 0, which means "unlimited";
 *   4. else null: no limit series at all.
 * Requests come only from kube-state-metrics `kube_pod_container_resource_requests{resource="memory"}`.
 * Pure: no Grafana imports.
 */

import { RawSeries, Sample } from './series';

export type LimitSource = 'cAdvisor' | 'kube-state-metrics';

export interface GroupLimits {
  /** Undefined when neither source has a series for the group. 0 = unlimited. */
  limit?: Sample[];
  request?: Sample[];
  /** Sources that supplied at least one value of `limit`. */
  sources: LimitSource[];
}

export interface LimitSeriesSet {
  cadvisorLimit: RawSeries[];
  ksmLimit: RawSeries[];
  ksmRequest: RawSeries[];
}

/** Values of `series` at exactly `timestamps` (all range queries share start and step). */
export function valuesAt(timestamps: number[], series: RawSeries | undefined): Sample[] | undefined {
  if (!series) {
    return undefined;
  }
  // Both ascend: one walk through the two, no lookup table (this runs for every group and source).
  const { times, values } = series;
  const out = new Array<Sample>(timestamps.length);
  let j = 0;
  for (let i = 0; i < timestamps.length; i++) {
    const t = timestamps[i];
    while (j < times.length && times[j] < t) {
      j++;
    }
    const v = j < times.length && times[j] === t ? values[j] : NaN;
    out[i] = Number.isFinite(v) && v >= 0 ? v : null;
  }
  return out;
}

/** Per-timestamp choice of limit, see the header. */
export function chooseLimit(
  cadvisor: Sample[] | undefined,
  ksm: Sample[] | undefined
): { limit: Sample[] | undefined; sources: LimitSource[] } {
  if (!cadvisor && !ksm) {
    return { limit: undefined, sources: [] };
  }
  const n = Math.max(cadvisor?.length ?? 0, ksm?.length ?? 0);
  const used = new Set<LimitSource>();
  const limit: Sample[] = [];
  for (let i = 0; i < n; i++) {
    const c = cadvisor?.[i] ?? null;
    const k = ksm?.[i] ?? null;
    if (c !== null && c > 0) {
      used.add('cAdvisor');
      limit.push(c);
    } else if (k !== null) {
      used.add('kube-state-metrics');
      limit.push(k);
    } else {
      if (c !== null) {
        used.add('cAdvisor');
      }
      limit.push(c);
    }
  }
  return { limit, sources: Array.from(used) };
}

/**
 * Limits and requests for every group, matched on the group key that the core's alignment uses
 * (the same `groupKeyOf` over each series' labels).
 */
export function limitsByGroup(
  groups: Array<{ key: string; timestamps: number[] }>,
  series: LimitSeriesSet,
  groupKeyOf: (labels: Record<string, string>) => string
): Map<string, GroupLimits> {
  const index = (list: RawSeries[]) => new Map(list.map((s) => [groupKeyOf(s.labels), s]));
  const cadvisor = index(series.cadvisorLimit);
  const ksmLimit = index(series.ksmLimit);
  const ksmRequest = index(series.ksmRequest);
  const result = new Map<string, GroupLimits>();
  for (const { key, timestamps } of groups) {
    const chosen = chooseLimit(valuesAt(timestamps, cadvisor.get(key)), valuesAt(timestamps, ksmLimit.get(key)));
    result.set(key, {
      limit: chosen.limit,
      request: valuesAt(timestamps, ksmRequest.get(key)),
      sources: chosen.sources,
    });
  }
  return result;
}
