import { Runner } from '../../run/request';
import { ViewDefinition } from '../view';
import { runEvictionOrder } from './runEvictionOrder';
import { NodeViewChoice } from './NodeQueryFields';
import { runNodes } from './runNodes';

/**
 * View "nodes": the kubelet's eviction signal per node, from cAdvisor's root cgroup (runNodes.ts),
 * or with showEvictionOrder the pods of the selected nodes in the kubelet's eviction order
 * (runEvictionOrder.ts). Summing containers would count pod cgroups twice and miss system slices.
 */
const run: Runner = (client, req) => {
  const nodes = req.nodes;
  if (!nodes) {
    throw new Error('The nodes view was run without the data source node options.');
  }
  return nodes.showEvictionOrder ? runEvictionOrder(client, req, nodes) : runNodes(client, req, nodes);
};

export const nodes: ViewDefinition = {
  label: 'Nodes',
  description: "the kubelet's eviction signal per node, and how much of it is page cache",
  kind: 'nodes',
  run,
  legend: true,
  editor: {
    Choice: NodeViewChoice,
    // The nodes closest to eviction (runNodes.ts); the eviction order lists the pods of the selected nodes.
    topN: (query) => !(query.showEvictionOrder || query.nodeView === 'evictionOrder'),
    help: () =>
      "From each node's root cgroup, as the kubelet reads it. Memory and Breakdown suit a Time series panel; Table and the eviction order a Table panel.",
  },
  displayText: {
    options: (query) => (query.showEvictionOrder || query.nodeView === 'evictionOrder' ? ['eviction order'] : []),
  },
};
