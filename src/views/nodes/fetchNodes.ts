import { KeyOf, groupKeyOf } from '../../memory/groupKey';
import { valuesAt } from '../../memory/limits';
import { NodeCapacity, chooseCapacity } from '../../memory/nodes';
import { FetchPlan } from '../../memory/plan';
import { GroupSeries, RawSeries, Sample } from '../../memory/series';
import { CADVISOR_METRIC } from '../../prometheus/metrics';
import {
  KSM_NODE_ALLOCATABLE,
  KSM_NODE_CAPACITY,
  POD_CGROUPS,
  ksmNodeGroupLabels,
  ksmNodeMemoryExpr,
  machineMemoryExpr,
  nodeGroupLabels,
  rootAndPodsExpr,
  rootCgroupExpr,
} from '../../prometheus/nodeQueries';
import { RangeParams } from '../../prometheus/step';
import { fetchAligned } from '../../run/engine';
import { NodeRequest, QueryClient, RunRequest } from '../../run/request';

/** Time series and table: the root cgroup's working set and active file (real used = ws − active file). */
const MEMORY_PLAN: FetchPlan = { first: ['workingSet', 'activeFile'], fallback: ['usage', 'cache'] };
/** Breakdown: as the containers' breakdown, without swap (the kubelet's signal ignores it). */
const BREAKDOWN_PLAN: FetchPlan = {
  first: ['usage', 'rss', 'activeFile', 'inactiveFile'],
  fallback: ['workingSet', 'cache'],
};

export interface FetchedNode {
  root: GroupSeries;
  /** The pods' cgroup (/kubepods or /kubepods.slice), when fetched and exported. */
  pods?: GroupSeries;
  estimated: boolean;
  capacity: NodeCapacity;
  allocatable?: Sample[];
  invalid: number;
}

/**
 * The root cgroup of every selected node (with `breakdown`, also the pods' cgroup, in the same
 * query, told apart by `id`) on the engine, with capacity and allocatable fetched beside it.
 */
export async function fetchNodes(
  client: QueryClient,
  req: RunRequest,
  nodes: NodeRequest,
  range: RangeParams,
  breakdown: boolean
): Promise<{ nodes: FetchedNode[]; executed: string[] }> {
  const { labels, requestId } = req;
  const { machine, ksmNodes } = nodes.matchers;
  const nodeKeyOf = groupKeyOf(nodeGroupLabels(labels, nodes.nodeLabel));
  const ownerOf = (l: Record<string, string>) => (POD_CGROUPS.includes(l.id) ? 'pods' : 'root');
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

  const fetched = await fetchAligned(client, {
    plan: breakdown ? BREAKDOWN_PLAN : MEMORY_PLAN,
    queryOf: (metric) => ({
      expr: breakdown
        ? rootAndPodsExpr(CADVISOR_METRIC[metric], machine, labels, nodes.nodeLabel)
        : rootCgroupExpr(CADVISOR_METRIC[metric], machine, labels, nodes.nodeLabel),
    }),
    keyOf: (l) => `${nodeKeyOf(l)}\u0000${ownerOf(l)}`,
    range,
    requestId,
    executed,
  });
  const [machineSeries, ksmCapacity, allocatable] = await capacitySeries;
  const ksmKeyOf = groupKeyOf(ksmNodeGroupLabels(labels));
  const index = (list: RawSeries[], keyOf: KeyOf) => new Map(list.map((s) => [keyOf(s.labels), s]));
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
