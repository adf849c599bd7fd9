import { DataQuery } from '@grafana/schema';

import { LabelScope } from './labelScope';
import { LabelNames } from './prometheus/promql';

/** What a query variable lists. */
export type VariableQueryType = 'namespaces' | 'pods' | 'containers' | 'labelValues';

/**
 * The query model of this data source's query variables (stored in dashboards; keep it
 * backward compatible). Filters use the panel query's syntax: exact, `/regex/`, `$variable`.
 */
export interface RealMemoryVariableQuery extends DataQuery {
  /** Default 'namespaces'. */
  type?: VariableQueryType;
  /** The label whose values are listed, for type 'labelValues'. */
  label?: string;
  namespace?: string;
  pod?: string;
  container?: string;
  /** Extra matchers, e.g. `job="kubelet", node=~"$node"`. */
  selector?: string;
}

/** The label a variable query lists, and what narrows it. */
export function variableLookup(
  query: RealMemoryVariableQuery,
  labels: LabelNames
): { label: string; scope: LabelScope } {
  const scope: LabelScope = {
    namespace: query.namespace,
    pod: query.pod,
    container: query.container,
    selector: query.selector,
  };
  switch (query.type ?? 'namespaces') {
    case 'pods':
      return { label: labels.pod, scope };
    case 'containers':
      return { label: labels.container, scope };
    case 'labelValues': {
      const label = query.label?.trim();
      if (!label) {
        throw new Error('Choose the label whose values the variable lists.');
      }
      return { label, scope };
    }
    default:
      return { label: labels.namespace, scope };
  }
}
