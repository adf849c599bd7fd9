import type { DataFrame, QueryResultMetaNotice } from '@grafana/data';

import { GroupFrameContext, emptyFrame } from '../frames/fields';
import { renderLegend } from '../frames/legend';
import {
  NodeRow,
  ThresholdText,
  evictionOrderFrame,
  nodeBreakdownFrame,
  nodeMemoryFrame,
  nodeTableFrame,
} from '../frames/nodeFrames';
import { alignByGroup } from '../memory/align';
import { hasFileCacheSeries, withEstimatedFileCache } from '../memory/derive';
import { PodUsage, evictionOrder } from '../memory/evictionOrder';
import { FORMULA_EXPLANATION } from '../memory/formula';
import { realUsed } from '../memory/figures';
import { valuesAt } from '../memory/limits';
import { NodeCapacity, chooseCapacity, nodeBreakdown, nodeMemory, nodeSignal } from '../memory/nodes';
import { FetchPlan, planEvictionOrder, planNodeBreakdown, planNodeMemory } from '../memory/plan';
import { formatThreshold } from '../memory/quantity';
import { GroupSeries, MetricKey, RawSeries, Sample } from '../memory/series';
import { CADVISOR_METRIC } from '../prometheus/metrics';
import {
  KSM_NODE_ALLOCATABLE,
  KSM_NODE_CAPACITY,
  POD_CGROUPS,
  ksmNodeGroupLabels,
  ksmNodeMemoryExpr,
  machineMemoryExpr,
  nodeGroupLabels,
  podOnNodeExpr,
  podOnNodeLabels,
  podRequestExpr,
  rootAndPodsExpr,
  rootCgroupExpr,
  rootCgroupSelector,
} from '../prometheus/nodeQueries';
import { RangeParams } from '../prometheus/step';
import { formulaNotices } from './containerView';
import { NodeRequest, QueryClient, RunRequest } from './request';

/**
 * View "nodes": the kubelet's eviction signal per node, from cAdvisor's root cgroup. One frame
 * per node (nodeView "memory", "breakdown"), one table row per node ("table"), or, with
 * showEvictionOrder, the pods of the selected nodes in the kubelet's eviction order.
 */
export async function runNodes(client: QueryClient, req: RunRequest): Promise<DataFrame[]> {
  const nodes = req.nodes;
  if (!nodes) {
    throw new Error('The nodes view was run without the data source node options.');
  }
  if (nodes.showEvictionOrder) {
    return runEvictionOrder(client, req, nodes);
  }
  const thresholds: ThresholdText = {
    hard: formatThreshold(nodes.thresholds.hard),
    soft: nodes.thresholds.soft && formatThreshold(nodes.thresholds.soft),
  };
  const table = nodes.nodeView === 'table';
  const breakdown = nodes.nodeView === 'breakdown';
  // The table is the state at the end of the range: one evaluation instead of the whole range.
  const range = table ? lastInstant(req.range) : req.range;
  const fetched = await fetchNodes(
    client,
    req,
    nodes,
    breakdown ? planNodeBreakdown() : planNodeMemory(),
    range,
    breakdown
  );
  const executedQueryString = fetched.executed.join('\n');
  if (fetched.nodes.length === 0) {
    const shown = rootCgroupSelector(CADVISOR_METRIC.workingSet, nodes.matchers.machine);
    return [
      emptyFrame({ refId: req.refId, executedQueryString }, [
        {
          severity: 'warning',
          text:
            `No root-cgroup series match ${shown} in this time range. The nodes view reads cAdvisor's root cgroup ` +
            `(id="/") with the node name in the label "${nodes.nodeLabel}" (data source option nodeLabel).`,
        },
      ]),
    ];
  }

  const groupLabelNames = nodeGroupLabels(req.labels, nodes.nodeLabel);

  const contextOf = (node: FetchedNode): GroupFrameContext => {
    const labels = pick(node.root.labels, groupLabelNames);
    const legend = renderLegend(req.legendFormat, node.root.labels, groupLabelNames);
    return {
      refId: req.refId,
      timestamps: node.root.timestamps,
      labels,
      legend,
      notices: [
        ...formulaNotices(
          breakdown ? NODE_BREAKDOWN_EXPLANATION : `${FORMULA_EXPLANATION.realUsed}, of the root cgroup`,
          node.estimated
        ),
        ...capacityNotices(legend, node.capacity, node.allocatable !== undefined),
        ...(node.invalid > 0
          ? [
              {
                severity: 'warning' as const,
                text: `${legend}: ${node.invalid} samples were NaN, infinite or negative and are shown as gaps.`,
              },
            ]
          : []),
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
      return {
        labels: ctx.labels,
        signal: nodeSignal(
          at(node.root.values.workingSet),
          at(node.root.values.activeFile),
          at(node.capacity.capacity),
          nodes.thresholds.hard
        ),
      };
    });
    return [nodeTableFrame(req.refId, groupLabelNames, rows, thresholds, [...notices.values()], executedQueryString)];
  }
  return fetched.nodes.map((node) => {
    const ctx = contextOf(node);
    return breakdown
      ? nodeBreakdownFrame(
          ctx,
          nodeBreakdown(node.root, node.pods, node.capacity.capacity, node.allocatable, nodes.thresholds),
          thresholds
        )
      : nodeMemoryFrame(
          ctx,
          nodeMemory(node.root, node.capacity.capacity, node.allocatable, nodes.thresholds),
          thresholds
        );
  });
}

const NODE_BREAKDOWN_EXPLANATION =
  'node breakdown: anon + other + active file + inactive file + free = capacity; the top of active file is the working set';

interface FetchedNode {
  root: GroupSeries;
  /** The pods' cgroup (/kubepods or /kubepods.slice), when fetched and exported. */
  pods?: GroupSeries;
  estimated: boolean;
  capacity: NodeCapacity;
  allocatable?: Sample[];
  invalid: number;
}

/**
 * The root cgroup (and with `withPods` the pods' cgroup) of every selected node, one query per
 * metric, with capacity and allocatable fetched beside them; the fallback metrics in a second
 * round only when some node lacks the file-cache series.
 */
async function fetchNodes(
  client: QueryClient,
  req: RunRequest,
  nodes: NodeRequest,
  plan: FetchPlan,
  range: RangeParams,
  withPods: boolean
): Promise<{ nodes: FetchedNode[]; executed: string[] }> {
  const { labels, requestId } = req;
  const { machine, ksmNodes } = nodes.matchers;
  const nodeKeyOf = keyFunction(nodeGroupLabels(labels, nodes.nodeLabel));
  const ksmKeyOf = keyFunction(ksmNodeGroupLabels(labels));
  const ownerOf = (l: Record<string, string>) => (POD_CGROUPS.includes(l.id) ? 'pods' : 'root');
  const exprOf = (metric: MetricKey) =>
    withPods
      ? rootAndPodsExpr(CADVISOR_METRIC[metric], machine, labels, nodes.nodeLabel)
      : rootCgroupExpr(CADVISOR_METRIC[metric], machine, labels, nodes.nodeLabel);
  const executed: string[] = [];

  const capacityExprs = {
    machine: machineMemoryExpr(machine, labels, nodes.nodeLabel),
    ksmCapacity: ksmNodeMemoryExpr(KSM_NODE_CAPACITY, ksmNodes, labels),
    allocatable: ksmNodeMemoryExpr(KSM_NODE_ALLOCATABLE, ksmNodes, labels),
  };
  executed.push(...Object.values(capacityExprs));
  const capacitySeries = Promise.all(
    Object.entries(capacityExprs).map(([name, expr]) => client.queryRange(expr, range, `${requestId}-${name}`))
  );
  // Awaited after the memory series; until then a failure must not surface as an unhandled rejection.
  capacitySeries.catch(() => undefined);

  const fetched = await fetchAligned(
    client,
    plan,
    exprOf,
    (l) => `${nodeKeyOf(l)}\u0000${ownerOf(l)}`,
    range,
    `${requestId}`,
    executed
  );
  const [machineSeries, ksmCapacity, allocatable] = await capacitySeries;
  const index = (list: RawSeries[], keyOf: (l: Record<string, string>) => string) =>
    new Map(list.map((s) => [keyOf(s.labels), s]));
  const byMachine = index(machineSeries, nodeKeyOf);
  const byKsmCapacity = index(ksmCapacity, ksmKeyOf);
  const byAllocatable = index(allocatable, ksmKeyOf);
  const pods = new Map(fetched.groups.filter((g) => ownerOf(g.labels) === 'pods').map((g) => [nodeKeyOf(g.labels), g]));

  const result = fetched.groups
    .filter((g) => ownerOf(g.labels) === 'root')
    .map((root): FetchedNode => {
      const key = nodeKeyOf(root.labels);
      const podGroup = pods.get(key);
      const ts = root.timestamps;
      return {
        root,
        pods: podGroup,
        estimated: fetched.estimated.has(root.key) || (podGroup !== undefined && fetched.estimated.has(podGroup.key)),
        capacity: chooseCapacity(valuesAt(ts, byMachine.get(key)), valuesAt(ts, byKsmCapacity.get(key))),
        allocatable: valuesAt(ts, byAllocatable.get(key)),
        invalid: fetched.invalidByGroup.get(root.key) ?? 0,
      };
    });
  return { nodes: result, executed };
}

/** The eviction-order table: the pods of the selected nodes at the end of the range, ranked per node. */
async function runEvictionOrder(client: QueryClient, req: RunRequest, nodes: NodeRequest): Promise<DataFrame[]> {
  const { labels, requestId } = req;
  const range = lastInstant(req.range);
  const podLabels = podOnNodeLabels(labels, nodes.nodeLabel);
  const nodeKeyOf = keyFunction(nodeGroupLabels(labels, nodes.nodeLabel));
  const requestKeyOf = keyFunction([labels.cluster, labels.namespace, labels.pod]);
  const executed: string[] = [];
  const requestExpr = podRequestExpr(nodes.matchers.ksmContainers, labels);
  executed.push(requestExpr);
  const requestSeries = client.queryRange(requestExpr, range, `${requestId}-ksm-request`);
  requestSeries.catch(() => undefined);

  const exprOf = (metric: MetricKey) =>
    podOnNodeExpr(CADVISOR_METRIC[metric], nodes.matchers.containers, labels, nodes.nodeLabel);
  const fetched = await fetchAligned(
    client,
    planEvictionOrder(),
    exprOf,
    keyFunction(podLabels),
    range,
    requestId,
    executed
  );
  const requests = new Map((await requestSeries).map((s) => [requestKeyOf(s.labels), s]));

  const pods: PodUsage[] = [];
  for (const group of fetched.groups) {
    const last = group.timestamps.length - 1;
    const workingSet = group.values.workingSet?.[last] ?? null;
    if (workingSet === null) {
      continue; // not running at the end of the range
    }
    const request = valuesAt([group.timestamps[last]], requests.get(requestKeyOf(group.labels)))?.[0] ?? null;
    pods.push({
      node: nodeKeyOf(group.labels),
      labels: pick(group.labels, podLabels),
      namespace: group.labels[labels.namespace] ?? '',
      pod: group.labels[labels.pod] ?? '',
      workingSet,
      realUsed: realUsed(workingSet, group.values.activeFile?.[last] ?? null),
      request,
    });
  }
  const notices: QueryResultMetaNotice[] = [
    {
      severity: 'info',
      text:
        'Eviction order at the end of the range, per node: pods above their memory request first, then by working set − request, ' +
        'as the kubelet ranks them. Pod priority is not exported by kube-state-metrics: among pods above their request, the kubelet ' +
        'evicts lower-priority pods first, which this order cannot show.',
    },
  ];
  if (fetched.estimated.size > 0) {
    notices.push({
      severity: 'warning',
      text: `${fetched.estimated.size} pods have no file-cache series (cAdvisor < 0.50): their real used was estimated from cache.`,
    });
  }
  if (pods.length > 0 && requests.size === 0) {
    notices.push({
      severity: 'warning',
      text: 'No memory requests from kube-state-metrics (kube_pod_container_resource_requests): every pod counts as requesting 0.',
    });
  }
  if (pods.length === 0) {
    notices.push({
      severity: 'warning',
      text: `No pods with cAdvisor memory series on the selected nodes (label "${nodes.nodeLabel}") at the end of the range.`,
    });
  }
  return [evictionOrderFrame(req.refId, podLabels, evictionOrder(pods), notices, executed.join('\n'))];
}

/**
 * One range query per metric of the plan, aligned by `keyOf`; groups without the file-cache
 * series get the fallback metrics in a second round and an estimated split (memory/derive.ts).
 */
async function fetchAligned(
  client: QueryClient,
  plan: FetchPlan,
  exprOf: (metric: MetricKey) => string,
  keyOf: (labels: Record<string, string>) => string,
  range: RangeParams,
  requestId: string,
  executed: string[]
): Promise<{ groups: GroupSeries[]; estimated: Set<string>; invalidByGroup: Map<string, number> }> {
  const fetchMetrics = async (metrics: MetricKey[]) =>
    Object.fromEntries(
      await Promise.all(
        metrics.map(async (metric) => {
          const expr = exprOf(metric);
          executed.push(expr);
          return [metric, await client.queryRange(expr, range, `${requestId}-${metric}`)] as const;
        })
      )
    ) as Partial<Record<MetricKey, RawSeries[]>>;
  const plotted = (g: GroupSeries) => g.values[plan.first[0]] !== undefined;
  const first = await fetchMetrics(plan.first);
  let aligned = alignByGroup(first, keyOf);
  const estimated = new Set(
    aligned.groups.filter((g) => plotted(g) && !hasFileCacheSeries(g, plan.first)).map((g) => g.key)
  );
  if (estimated.size > 0) {
    aligned = alignByGroup({ ...first, ...(await fetchMetrics(plan.fallback)) }, keyOf);
  }
  const groups = aligned.groups.filter(plotted).map((g) => (estimated.has(g.key) ? withEstimatedFileCache(g) : g));
  return { groups, estimated, invalidByGroup: aligned.invalidByGroup };
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

/** The last evaluation of a range: the state "now" (or at the end of the dashboard's range). */
function lastInstant(range: RangeParams): RangeParams {
  return { start: range.end, end: range.end, step: range.step };
}

function keyFunction(names: string[]) {
  return (labels: Record<string, string>) => names.map((n) => labels[n] ?? '').join('\u0000');
}

function pick(labels: Record<string, string>, names: string[]): Record<string, string> {
  const result: Record<string, string> = {};
  for (const name of names) {
    if (labels[name] !== undefined && labels[name] !== '') {
      result[name] = labels[name];
    }
  }
  return result;
}
