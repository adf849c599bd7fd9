import { LabelNames } from '../prometheus/promql';
import { RealMemoryVariableQuery } from '../types';
import { LabelScope } from './lookups';

/** The label a variable query lists, and what narrows it. */
export function variableLookup(
  query: RealMemoryVariableQuery,
  labels: LabelNames,
  nodeLabel: string
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
    case 'nodes':
      // Nodes are listed from their root cgroups, as the nodes view reads them; container filters do not apply.
      return { label: nodeLabel, scope: { rootCgroups: true, selector: query.selector } };
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
