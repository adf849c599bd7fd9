import type { DataFrame, QueryResultMetaNotice } from '@grafana/data';

import { GroupFrameContext, emptyFrame } from '../../frames/fields';
import { renderLegend } from '../../frames/legend';
import { NodeRow, ThresholdText, nodeBreakdownFrame, nodeMemoryFrame, nodeTableFrame } from '../../frames/nodeFrames';
import { FORMULA_EXPLANATION } from '../../memory/formula';
import { pickLabels } from '../../memory/groupKey';
import { NodeCapacity, nodeBreakdown, nodeMemory, nodeSignal } from '../../memory/nodes';
import { formatThreshold } from '../../memory/quantity';
import { Sample } from '../../memory/series';
import { CADVISOR_METRIC } from '../../prometheus/metrics';
import { nodeGroupLabels, rootCgroupSelector } from '../../prometheus/nodeQueries';
import { lastInstant } from '../../prometheus/step';
import { formulaNotices, invalidSamplesNotice } from '../../run/notices';
import { NodeRequest, QueryClient, RunRequest } from '../../run/request';
import { FetchedNode, fetchNodes } from './fetchNodes';

const NODE_BREAKDOWN_EXPLANATION =
  'node breakdown: anon + other + active file + inactive file + free = capacity; the top of active file is the working set';

/**
 * The node frames: the kubelet's eviction signal per node, from cAdvisor's root cgroup. One frame
 * per node (nodeView "memory", "breakdown"), or one table row per node ("table").
 */
export async function runNodes(client: QueryClient, req: RunRequest, nodes: NodeRequest): Promise<DataFrame[]> {
  const table = nodes.nodeView === 'table';
  const breakdown = nodes.nodeView === 'breakdown';
  // The table is the state at the end of the range: one evaluation instead of the whole range.
  const fetched = await fetchNodes(client, req, nodes, table ? lastInstant(req.range) : req.range, breakdown);
  const executedQueryString = fetched.executed.join('\n');
  if (fetched.nodes.length === 0) {
    return [noNodesFrame(req.refId, nodes, executedQueryString)];
  }
  const groupLabelNames = nodeGroupLabels(req.labels, nodes.nodeLabel);
  const thresholds: ThresholdText = {
    hard: formatThreshold(nodes.thresholds.hard),
    soft: nodes.thresholds.soft && formatThreshold(nodes.thresholds.soft),
  };
  const contextOf = (node: FetchedNode): GroupFrameContext => {
    const legend = renderLegend(req.legendFormat, node.root.labels, groupLabelNames);
    return {
      refId: req.refId,
      timestamps: node.root.timestamps,
      labels: pickLabels(node.root.labels, groupLabelNames),
      legend,
      notices: [
        ...formulaNotices(
          breakdown ? NODE_BREAKDOWN_EXPLANATION : `${FORMULA_EXPLANATION.realUsed}, of the root cgroup`,
          node.estimated
        ),
        ...capacityNotices(legend, node.capacity, node.allocatable !== undefined),
        ...invalidSamplesNotice(node.invalid, legend),
      ],
      executedQueryString,
    };
  };

  if (table) {
    const notices = new Map<string, QueryResultMetaNotice>();
    const rows: NodeRow[] = fetched.nodes.map((node) => {
      const ctx = contextOf(node);
      ctx.notices.forEach((n) => notices.set(n.text, n));
      const last = node.root.timestamps.length - 1;
      const at = (column: Sample[] | undefined) => column?.[last] ?? null;
      const { workingSet, activeFile } = node.root.values;
      const signal = nodeSignal(at(workingSet), at(activeFile), at(node.capacity.capacity), nodes.thresholds.hard);
      return { labels: ctx.labels, signal };
    });
    return [nodeTableFrame(req.refId, groupLabelNames, rows, thresholds, [...notices.values()], executedQueryString)];
  }
  return fetched.nodes.map((node) => {
    const { root, pods, capacity, allocatable } = node;
    return breakdown
      ? nodeBreakdownFrame(
          contextOf(node),
          nodeBreakdown(root, pods, capacity.capacity, allocatable, nodes.thresholds),
          thresholds
        )
      : nodeMemoryFrame(
          contextOf(node),
          nodeMemory(root, capacity.capacity, allocatable, nodes.thresholds),
          thresholds
        );
  });
}

function noNodesFrame(refId: string, nodes: NodeRequest, executedQueryString: string): DataFrame {
  const shown = rootCgroupSelector(CADVISOR_METRIC.workingSet, nodes.matchers.machine);
  return emptyFrame({ refId, executedQueryString }, [
    {
      severity: 'warning',
      text:
        `No root-cgroup series match ${shown} in this time range. The nodes view reads cAdvisor's root cgroup ` +
        `(id="/") with the node name in the label "${nodes.nodeLabel}" (data source option nodeLabel).`,
    },
  ]);
}

function capacityNotices(legend: string, capacity: NodeCapacity, hasAllocatable: boolean): QueryResultMetaNotice[] {
  const notices: QueryResultMetaNotice[] = [];
  if (capacity.sources.length === 0) {
    notices.push({
      severity: 'warning',
      text:
        `${legend}: no capacity — neither machine_memory_bytes (cAdvisor) nor kube_node_status_capacity (kube-state-metrics) ` +
        'has a series for this node, so the eviction threshold and free memory are unknown.',
    });
  } else if (!capacity.sources.includes('cAdvisor')) {
    notices.push({
      severity: 'info',
      text: `${legend}: capacity from kube-state-metrics (no machine_memory_bytes for this node).`,
    });
  }
  if (!hasAllocatable) {
    notices.push({
      severity: 'info',
      text: `${legend}: no kube_node_status_allocatable series (kube-state-metrics): allocatable not shown.`,
    });
  }
  return notices;
}
