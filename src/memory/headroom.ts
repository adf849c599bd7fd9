/**
 * Headroom against the memory limit, per timestamp:
 *   room before an OOM kill  = limit − real used     (the kernel reclaims file cache first)
 *   room as the kubelet sees = limit − working set   (what eviction, `kubectl top` and most alerts use)
 * in bytes and as a percentage of the limit. Negative values are kept: working set can sit
 * above a limit the kernel is enforcing by reclaiming cache.
 *
 * A limit of 0 means "unlimited" (cAdvisor's reading for no limit); a missing limit means no
 * limit series was found. Both give null headroom plus a reason, never 0 (which would read as
 * "about to be killed"). Pure: no Grafana imports.
 */

import { Sample } from './series';


export interface HeadroomInput {
  limit: Sample[] | undefined;
  realUsed: Sample[];
  workingSet: Sample[];
}

export interface Headroom {
  /** limit − real used, bytes. */
  beforeOom: Sample[];
  /** limit − working set, bytes. */
  kubelet: Sample[];
  beforeOomPercent: Sample[];
  kubeletPercent: Sample[];
}

export type HeadroomResult = { headroom: Headroom; reason?: undefined } | { headroom: null; reason: string };

export const REASON_NO_LIMIT_SERIES =
  'no limit series from cAdvisor or kube-state-metrics';
export const REASON_UNLIMITED = 'none set: unlimited';

/** Why a group has no limit to draw or measure against, or undefined when it has one somewhere in the range. */
export function noLimitReason(limit: Sample[] | undefined): string | undefined {
  if (!limit || limit.every((v) => v === null || v === undefined)) {
    return REASON_NO_LIMIT_SERIES;
  }
  if (!limit.some((v) => v !== null && v !== undefined && v > 0)) {
    return REASON_UNLIMITED;
  }
  return undefined;
}

const room = (limit: Sample, used: Sample): Sample =>
  limit === null || used === null || limit <= 0 ? null : limit - used;
const percent = (r: Sample, limit: Sample): Sample =>
  r === null || limit === null || limit <= 0 ? null : (100 * r) / limit;

export function headroom({ limit, realUsed, workingSet }: HeadroomInput): HeadroomResult {
  const reason = noLimitReason(limit);
  if (reason !== undefined || !limit) {
    return { headroom: null, reason: reason ?? REASON_NO_LIMIT_SERIES };
  }
  const lim = limit.map((v) => (v === undefined ? null : v));
  const beforeOom = lim.map((l, i) => room(l, realUsed[i] ?? null));
  const kubelet = lim.map((l, i) => room(l, workingSet[i] ?? null));
  return {
    headroom: {
      beforeOom,
      kubelet,
      beforeOomPercent: beforeOom.map((r, i) => percent(r, lim[i])),
      kubeletPercent: kubelet.map((r, i) => percent(r, lim[i])),
    },
  };
}
