import { GroupBy } from '../types';
import { formatMatchers, parseExtraSelector } from './extraSelector';
import { LabelNames, SelectorParts, buildMatchers, groupLabels, selector } from './promql';

/**
 * Matchers for kube-state-metrics series. They carry namespace/pod/container like cAdvisor's but
 * no `image` label, and come from another job, so the cAdvisor-only parts are left out: the
 * `image!=""` exclusion, ad-hoc filters (they may name cAdvisor labels such as `id` or `image`)
 * and extra-selector matchers other than the cluster label (`job="kubelet"` would drop
 * kube-state-metrics). Rows are joined to cAdvisor groups by group key afterwards, so a wider
 * kube-state-metrics selection costs a little bandwidth but never a wrong match.
 */
export function ksmMatchers(parts: SelectorParts): string[] {
  const cluster = parts.extraSelector ? parseExtraSelector(parts.extraSelector) : undefined;
  const clusterOnly = cluster?.ok
    ? formatMatchers(cluster.matchers.filter((m) => m.label === parts.labels.cluster))
    : '';
  return buildMatchers({ ...parts, adHocFilters: [], extraSelector: clusterOnly }).filter((m) => m !== 'image!=""');
}

export const CADVISOR_LIMIT = 'container_spec_memory_limit_bytes';
export const KSM_LIMIT = 'kube_pod_container_resource_limits';
export const KSM_REQUEST = 'kube_pod_container_resource_requests';
export const KSM_CONTAINER_INFO = 'kube_pod_container_info';

export interface LimitExprs {
  cadvisorLimit: string;
  ksmLimit: string;
  ksmRequest: string;
}

/**
 * One expression per limit source, summed to the group level like the memory series.
 * Above the container level a sum of limits is only a limit when every container has one:
 *  - cAdvisor reads 0 for an unlimited container, so a group with any 0 reports 0 (unlimited);
 *  - kube-state-metrics has no series for an unlimited container, so the sum is kept only where
 *    the number of limited containers equals the number of containers (kube_pod_container_info).
 * Requests are summed as they are: a container without a request reserves nothing.
 */
export function limitExprs(
  cadvisorMatchers: string[],
  ksm: string[],
  labels: LabelNames,
  groupBy: GroupBy
): LimitExprs {
  const identity = groupLabels(labels, 'container').join(', ');
  const group = groupLabels(labels, groupBy).join(', ');
  const perContainer = (metric: string, matchers: string[]) => `max by (${identity}) (${selector(metric, matchers)})`;
  const memory = [...ksm, 'resource="memory"'];
  const cadvisor = perContainer(CADVISOR_LIMIT, cadvisorMatchers);
  const ksmLimit = perContainer(KSM_LIMIT, memory);
  const sum = (x: string) => `sum by (${group}) (${x})`;
  if (groupBy === 'container') {
    return {
      cadvisorLimit: sum(cadvisor),
      ksmLimit: sum(ksmLimit),
      ksmRequest: sum(perContainer(KSM_REQUEST, memory)),
    };
  }
  const anyUnlimited = `(min by (${group}) (${cadvisor}) == 0)`;
  const count = (x: string) => `count by (${group}) (${x})`;
  return {
    cadvisorLimit: `(${sum(cadvisor)} unless on (${group}) ${anyUnlimited}) or on (${group}) ${anyUnlimited}`,
    ksmLimit: `${sum(ksmLimit)} and on (${group}) (${count(ksmLimit)} == ${count(perContainer(KSM_CONTAINER_INFO, ksm))})`,
    ksmRequest: sum(perContainer(KSM_REQUEST, memory)),
  };
}
