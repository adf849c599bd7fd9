import type { DataFrame, QueryResultMetaNotice } from '@grafana/data';

import { GroupFrameContext, emptyFrame } from '../../frames/fields';
import { renderLegend } from '../../frames/legend';
import { NodeRow, ThresholdText, nodeBreakdownFrame, nodeMemoryFrame, nodeTableFrame } from '../../frames/nodeFrames';
import { FORMULA_EXPLANATION } from '../../memory/formula';
import { pickLabels } from '../../memory/groupKey';
import { nodeRoom, nodesByLeastRoom } from '../../memory/nodeRanking';
import { NodeCapacity, nodeBreakdown, nodeMemory, nodeSignal } from '../../memory/nodes';
import { formatThreshold } from '../../memory/quantity';
import { Sample } from '../../memory/series';
import { CADVISOR_METRIC } from '../../prometheus/metrics';
import { nodeGroupLabels, rootCgroupSelector } from '../../prometheus/nodeQueries';
import { lastInstant } from '../../prometheus/step';
import { GroupNotice, framesWithOneNoticePerCause, groupNotice } from '../../frames/noticesPerCause';
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
  const ranked = nodesByLeastRoom(
    fetched.nodes,
    (node) =>
      nodeRoom(
        { workingSet: node.root.values.workingSet ?? [], capacity: node.capacity.capacity },
        nodes.thresholds.hard
      ),
    req.topN
  );
  // In the fetched (name) order, so a node keeps its colour and place when the ranking changes.
  const kept = new Set(ranked.shown);
  const shown = fetched.nodes.filter((node) => kept.has(node));
  const rankNotices =
    ranked.shown.length < ranked.total ? [topNodesNotice(req.topN, ranked.total, table, ranked.unranked)] : [];
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
          node.estimated,
          legend
        ),
        // The table has no allocatable column: its absence concerns the graphs only.
        ...capacityNotices(legend, node.capacity, table || node.allocatable !== undefined),
        ...invalidSamplesNotice(node.invalid, legend),
        ...rankNotices,
      ],
      executedQueryString,
    };
  };

  const oncePerCause = (frames: DataFrame[]) => framesWithOneNoticePerCause(frames, shown.length, 'nodes');
  if (table) {
    const notices: QueryResultMetaNotice[] = [];
    const rows: NodeRow[] = shown.map((node) => {
      const ctx = contextOf(node);
      notices.push(...ctx.notices);
      const last = node.root.timestamps.length - 1;
      const at = (column: Sample[] | undefined) => column?.[last] ?? null;
      const { workingSet, activeFile } = node.root.values;
      const signal = nodeSignal(at(workingSet), at(activeFile), at(node.capacity.capacity), nodes.thresholds.hard);
      return { labels: ctx.labels, signal };
    });
    return oncePerCause([nodeTableFrame(req.refId, groupLabelNames, rows, thresholds, notices, executedQueryString)]);
  }
  const frames = shown.map((node) => {
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
  return oncePerCause(frames);
}

function topNodesNotice(topN: number, total: number, atEnd: boolean, unranked: number): QueryResultMetaNotice {
  const when = atEnd ? 'at the end of the range' : 'at their lowest in the range';
  const without =
    unranked > 0 ? `; ${unranked} of them have no capacity, so no threshold, and come last, by most working set` : '';
  return {
    severity: 'info',
    text:
      `Showing the ${topN} of ${total} nodes with the least room before eviction (eviction threshold − working set) ${when} ` +
      `(top N = ${topN}; change Top under Options in the query editor, 0 for all)${without}.`,
  };
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

function capacityNotices(legend: string, capacity: NodeCapacity, allocatableShownOrMoot: boolean): GroupNotice[] {
  const notices: GroupNotice[] = [];
  if (capacity.sources.length === 0) {
    const text =
      'No capacity: neither machine_memory_bytes (cAdvisor) nor kube_node_status_capacity (kube-state-metrics) ' +
      'has a series for the node, so the eviction threshold and free memory are unknown';
    notices.push(groupNotice('warning', text, legend));
  } else if (!capacity.sources.includes('cAdvisor')) {
    notices.push(groupNotice('info', 'Capacity from kube-state-metrics (no machine_memory_bytes)', legend));
  }
  if (!allocatableShownOrMoot) {
    const text = 'No kube_node_status_allocatable series (kube-state-metrics): allocatable not shown';
    notices.push(groupNotice('info', text, legend));
  }
  return notices;
}
