import { FilterMatcher, escapeRegex, quotePromString } from './escaping';
import { formatMatchers, parseExtraSelector } from './extraSelector';
import { ksmMatchers } from './limitQueries';
import { AdHocFilter, LabelNames, adHocMatcher, buildMatchers, selector } from './promql';

/**
 * PromQL of the "nodes" view. A node's figures come from cAdvisor's ROOT cgroup (`id="/"`), the
 * cgroup the kubelet itself reads for memory.available — never from a sum of container series:
 * pod-level cgroups would count twice and system slices (kubelet, runtime, journald) would be
 * missed. cAdvisor exports the pods' cgroup too (`/kubepods` with the cgroupfs driver,
 * `/kubepods.slice` with systemd), which splits pods from the rest of the node.
 */

export const ROOT_CGROUP = '/';
export const POD_CGROUPS = ['/kubepods', '/kubepods.slice'];
/** cAdvisor's machine info: the node's memory capacity. */
export const MACHINE_MEMORY = 'machine_memory_bytes';
export const KSM_NODE_CAPACITY = 'kube_node_status_capacity';
export const KSM_NODE_ALLOCATABLE = 'kube_node_status_allocatable';
export const KSM_POD_REQUEST = 'kube_pod_container_resource_requests';
/** kube-state-metrics names the node `node` on its own series, whatever the cAdvisor scrape's relabeling did. */
export const KSM_NODE_LABEL = 'node';

/** Label names of a cAdvisor node figure (`cluster`, the node label) and of a kube-state-metrics one. */
export const nodeGroupLabels = (labels: LabelNames, nodeLabel: string) => [labels.cluster, nodeLabel];
export const ksmNodeGroupLabels = (labels: LabelNames) => [labels.cluster, KSM_NODE_LABEL];

export interface NodeSelectorParts {
  labels: LabelNames;
  nodeLabel: string;
  /** The query's `node` filter, escaped. */
  node: FilterMatcher | null;
  /** The query's `cluster` filter, escaped; it applies to every kind of node series. */
  cluster?: FilterMatcher | null;
  /** Validated extra matchers from the data source settings. */
  extraSelector?: string;
  adHocFilters?: AdHocFilter[];
}

export interface NodeMatchers {
  /** cAdvisor's machine-level series: root and slice cgroups, machine_memory_bytes. */
  machine: string[];
  /** kube-state-metrics node series (capacity, allocatable). */
  ksmNodes: string[];
  /** cAdvisor's container series on the selected nodes (eviction order). */
  containers: string[];
  /** kube-state-metrics container series on the selected nodes (requests). */
  ksmContainers: string[];
}

/**
 * The matchers of each kind of node series. Ad-hoc filters on a container's identity (namespace,
 * pod, container, image, id, name) are left out: a node cgroup has none of those labels, so such a
 * filter would empty every node panel, and a node's eviction order ranks all of its pods.
 */
export function nodeMatchers(parts: NodeSelectorParts): NodeMatchers {
  const { labels, nodeLabel, node } = parts;
  const containerIdentity = new Set([labels.namespace, labels.pod, labels.container, 'image', 'id', 'name']);
  const adHoc = (parts.adHocFilters ?? []).filter((f) => !containerIdentity.has(f.key));
  // A series without a node name would merge every node into one group: always require the label.
  const nodeOnly = (label: string) => [
    `${label}!=""`,
    ...(node ? [`${label}${node.op}${quotePromString(node.value)}`] : []),
  ];
  const cluster = parts.cluster ? [`${labels.cluster}${parts.cluster.op}${quotePromString(parts.cluster.value)}`] : [];
  const nodeOn = (label: string) => [...nodeOnly(label), ...cluster];
  const extra = parts.extraSelector?.trim() ? [parts.extraSelector.trim()] : [];
  const clusterOnly = clusterMatchers(parts.extraSelector, labels.cluster);
  const noFilters = { labels, namespace: null, pod: null, container: null };
  return {
    machine: [...nodeOn(nodeLabel), ...adHoc.map(adHocMatcher), ...extra],
    ksmNodes: [...nodeOn(KSM_NODE_LABEL), ...clusterOnly],
    containers: [
      ...nodeOn(nodeLabel),
      ...buildMatchers({ ...noFilters, extraSelector: parts.extraSelector, adHocFilters: adHoc }),
    ],
    ksmContainers: [...nodeOn(KSM_NODE_LABEL), ...ksmMatchers({ ...noFilters, extraSelector: parts.extraSelector })],
  };
}

/** kube-state-metrics comes from another job: of the extra selector only the cluster matchers apply to it. */
function clusterMatchers(extraSelector: string | undefined, clusterLabel: string): string[] {
  const parsed = extraSelector ? parseExtraSelector(extraSelector) : undefined;
  const kept = parsed?.ok ? formatMatchers(parsed.matchers.filter((m) => m.label === clusterLabel)) : '';
  return kept ? [kept] : [];
}

/** The selector of one figure of the nodes' root cgroups. */
export function rootCgroupSelector(metric: string, machine: string[]): string {
  return selector(metric, [`id=${quotePromString(ROOT_CGROUP)}`, ...machine]);
}

const cgroupIds = (ids: string[]) => `id=~${quotePromString(ids.map(escapeRegex).join('|'))}`;

/**
 * One figure of the nodes' root cgroups: `max by (cluster, node)` collapses duplicate scrapes
 * (the kubelet's cAdvisor and a cAdvisor DaemonSet), as for containers; there is nothing to sum.
 */
export function rootCgroupExpr(metric: string, machine: string[], labels: LabelNames, nodeLabel: string): string {
  const by = nodeGroupLabels(labels, nodeLabel).join(', ');
  return `max by (${by}) (${rootCgroupSelector(metric, machine)})`;
}

/** The same figure for the root cgroup and the pods' cgroup in one query, told apart by `id`. */
export function rootAndPodsExpr(metric: string, machine: string[], labels: LabelNames, nodeLabel: string): string {
  const by = [...nodeGroupLabels(labels, nodeLabel), 'id'].join(', ');
  return `max by (${by}) (${selector(metric, [cgroupIds([ROOT_CGROUP, ...POD_CGROUPS]), ...machine])})`;
}

export function machineMemoryExpr(machine: string[], labels: LabelNames, nodeLabel: string): string {
  return `max by (${nodeGroupLabels(labels, nodeLabel).join(', ')}) (${selector(MACHINE_MEMORY, machine)})`;
}

/** kube-state-metrics' capacity or allocatable memory of the selected nodes. */
export function ksmNodeMemoryExpr(metric: string, ksmNodes: string[], labels: LabelNames): string {
  const by = ksmNodeGroupLabels(labels).join(', ');
  return `max by (${by}) (${selector(metric, ['resource="memory"', ...ksmNodes])})`;
}

/** Label names of a pod on a node: its eviction-order row. */
export const podOnNodeLabels = (labels: LabelNames, nodeLabel: string) => [
  labels.cluster,
  nodeLabel,
  labels.namespace,
  labels.pod,
];

/** A pod's figure as the sum of its containers (duplicate scrapes collapsed first), per node. */
export function podOnNodeExpr(metric: string, containers: string[], labels: LabelNames, nodeLabel: string): string {
  const pod = podOnNodeLabels(labels, nodeLabel).join(', ');
  return `sum by (${pod}) (max by (${pod}, ${labels.container}) (${selector(metric, containers)}))`;
}

/** A pod's memory request: the sum of its containers' requests (kube-state-metrics). */
export function podRequestExpr(ksmContainers: string[], labels: LabelNames): string {
  const pod = [labels.cluster, labels.namespace, labels.pod].join(', ');
  const perContainer = `max by (${pod}, ${labels.container}) (${selector(KSM_POD_REQUEST, ['resource="memory"', ...ksmContainers])})`;
  return `sum by (${pod}) (${perContainer})`;
}

/** How many nodes have a root-cgroup working set with a node name in the last hour ("Save & test"). */
export function rootCgroupCountExpr(
  workingSetMetric: string,
  machine: string[],
  labels: LabelNames,
  nodeLabel: string
): string {
  const by = nodeGroupLabels(labels, nodeLabel).join(', ');
  const named = rootCgroupSelector(workingSetMetric, [`${nodeLabel}!=""`, ...machine]);
  return `count(count by (${by}) (last_over_time(${named}[1h])))`;
}
