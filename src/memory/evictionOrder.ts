/**
 * The order in which the kubelet evicts a node's pods under memory pressure
 * (pkg/kubelet/eviction/helpers.go, rankMemoryPressure):
 *   1. pods whose usage exceeds their memory request, before pods within it;
 *   2. lower pod priority first (NOT available here: kube-state-metrics does not export a pod's
 *      priority, so pods of different priorities may be evicted in another order than shown);
 *   3. the largest usage − request first.
 * Usage is the pod's working set — page cache included — which is why real used is shown beside
 * it: a pod can be first in line for memory the kernel would reclaim. A pod without a request
 * counts as requesting 0, as in the kubelet. Pure: no Grafana imports.
 */

export interface PodUsage {
  /** The node the pod runs on (its key: cluster and node name). */
  node: string;
  labels: Record<string, string>;
  namespace: string;
  pod: string;
  /** The kubelet's usage figure: working set. */
  workingSet: number;
  realUsed: number | null;
  /** Sum of the containers' memory requests; null when none is set. */
  request: number | null;
}

export interface RankedPod extends PodUsage {
  /** 1 = evicted first on its node. */
  rank: number;
  /** Working set − request (request 0 when unset); negative = within its request. */
  aboveRequest: number;
  exceedsRequest: boolean;
}

/** The pods ranked within each node; nodes in name order, ties broken by namespace and pod name. */
export function evictionOrder(pods: PodUsage[]): RankedPod[] {
  const scored = pods.map((p) => {
    const aboveRequest = p.workingSet - (p.request ?? 0);
    return { ...p, aboveRequest, exceedsRequest: aboveRequest > 0, rank: 0 };
  });
  scored.sort(
    (a, b) =>
      compareText(a.node, b.node) ||
      Number(b.exceedsRequest) - Number(a.exceedsRequest) ||
      b.aboveRequest - a.aboveRequest ||
      compareText(a.namespace, b.namespace) ||
      compareText(a.pod, b.pod)
  );
  let node: string | undefined;
  let rank = 0;
  for (const p of scored) {
    rank = p.node === node ? rank + 1 : 1;
    node = p.node;
    p.rank = rank;
  }
  return scored;
}

const compareText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
