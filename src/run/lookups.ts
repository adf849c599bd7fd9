import type { TimeRange } from '@grafana/data';

import { FilterKey, RealMemoryQuery } from '../types';

/**
 * What narrows a label-value lookup: the editor's earlier choices (or a variable query's
 * filters), in the query model's filter syntax, plus optional extra matchers such as
 * `job="kubelet"`. Lookups only see cAdvisor memory series of real containers.
 */
export type LabelScope = Partial<Pick<RealMemoryQuery, FilterKey>> & {
  selector?: string;
  /** Look among the nodes' root cgroups (id="/") instead of containers; the container filters are ignored. */
  rootCgroups?: boolean;
};

/** Prometheus' start/end (seconds) for a Grafana time range, so lookups see what the panel sees. */
export function rangeSeconds(range?: TimeRange): { start: number; end: number } | undefined {
  if (!range) {
    return undefined;
  }
  return { start: Math.floor(range.from.valueOf() / 1000), end: Math.ceil(range.to.valueOf() / 1000) };
}
