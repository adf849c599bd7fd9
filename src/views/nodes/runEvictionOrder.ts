import type { DataFrame, QueryResultMetaNotice } from '@grafana/data';

import { evictionOrderFrame } from '../../frames/nodeFrames';
import { PodUsage, evictionOrder } from '../../memory/evictionOrder';
import { realUsed } from '../../memory/figures';
import { groupKeyOf, pickLabels } from '../../memory/groupKey';
import { valuesAt } from '../../memory/limits';
import { CADVISOR_METRIC } from '../../prometheus/metrics';
import { nodeGroupLabels, podOnNodeExpr, podOnNodeLabels, podRequestExpr } from '../../prometheus/nodeQueries';
import { lastInstant } from '../../prometheus/step';
import { fetchAligned } from '../../run/engine';
import { NodeRequest, QueryClient, RunRequest } from '../../run/request';

const NOTICE =
  'Eviction order at the end of the range, per node: pods above their memory request first, then by working set − request, ' +
  'as the kubelet ranks them. Pod priority is not exported by kube-state-metrics: among pods above their request, the kubelet ' +
  'evicts lower-priority pods first, which this order cannot show.';

/**
 * The nodes view's eviction order: the pods of the selected nodes at the end of the range, ranked
 * per node as the kubelet ranks them, each pod's working set (the kubelet's usage) and active file
 * on the engine, its request from kube-state-metrics beside them.
 */
export async function runEvictionOrder(client: QueryClient, req: RunRequest, nodes: NodeRequest): Promise<DataFrame[]> {
  const { labels, requestId } = req;
  const range = lastInstant(req.range);
  const podLabels = podOnNodeLabels(labels, nodes.nodeLabel);
  const requestKeyOf = groupKeyOf([labels.cluster, labels.namespace, labels.pod]);
  const executed: string[] = [];
  const requestExpr = podRequestExpr(nodes.matchers.ksmContainers, labels);
  executed.push(requestExpr);
  const requestSeries = client.queryRange(requestExpr, range, `${requestId}-ksm-request`);
  requestSeries.catch(() => undefined);

  const fetched = await fetchAligned(client, {
    plan: { first: ['workingSet', 'activeFile'], fallback: ['usage', 'cache'] },
    queryOf: (metric) => ({
      expr: podOnNodeExpr(CADVISOR_METRIC[metric], nodes.matchers.containers, labels, nodes.nodeLabel),
    }),
    keyOf: groupKeyOf(podLabels),
    range,
    requestId,
    executed,
  });
  const requests = new Map((await requestSeries).map((s) => [requestKeyOf(s.labels), s]));
  const nodeKeyOf = groupKeyOf(nodeGroupLabels(labels, nodes.nodeLabel));

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
      labels: pickLabels(group.labels, podLabels),
      namespace: group.labels[labels.namespace] ?? '',
      pod: group.labels[labels.pod] ?? '',
      workingSet,
      realUsed: realUsed(workingSet, group.values.activeFile?.[last] ?? null),
      request,
    });
  }
  const notices: QueryResultMetaNotice[] = [{ severity: 'info', text: NOTICE }];
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
