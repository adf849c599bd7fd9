import { TestDataSourceResponse } from '@grafana/data';

import { MetricKey } from '../memory/series';
import { PrometheusClient } from './client';
import { CADVISOR_METRIC } from './metrics';
import { rootCgroupCountExpr } from './nodeQueries';
import { LabelNames, selector } from './promql';

/** Where the nodes view looks: the label names and the machine-level matchers (extra selector). */
export interface NodeCheck {
  labels: LabelNames;
  nodeLabel: string;
  machine: string[];
}

/**
 * "Save & test": does Prometheus answer, and which cAdvisor memory series does it have?
 * Answers in the words a user needs to decide what to fix.
 */
export async function checkConnection(
  client: Pick<PrometheusClient, 'queryInstant'>,
  matchers: string[],
  nodes?: NodeCheck
): Promise<TestDataSourceResponse> {
  const now = Math.floor(Date.now() / 1000);
  let counts: Array<[MetricKey, number]>;
  let nodeCount: number | undefined;
  try {
    // One Promise.all, so a failure of any query is the one answer (and never an unhandled rejection).
    [counts, nodeCount] = await Promise.all([
      Promise.all(
        (Object.keys(CADVISOR_METRIC) as MetricKey[]).map(async (metric) => {
          // Look back an hour, not just at the latest samples: a paused scrape should not read as "no data".
          const vector = await client.queryInstant(
            `count(last_over_time(${selector(CADVISOR_METRIC[metric], matchers)}[1h]))`,
            now
          );
          return [metric, vector[0]?.value ?? 0] as [MetricKey, number];
        })
      ),
      nodes
        ? client
            .queryInstant(
              rootCgroupCountExpr(CADVISOR_METRIC.workingSet, nodes.machine, nodes.labels, nodes.nodeLabel),
              now
            )
            .then((vector) => vector[0]?.value ?? 0)
        : Promise.resolve(undefined),
    ]);
  } catch (err) {
    return { status: 'error', message: err instanceof Error ? err.message : String(err) };
  }
  const count = Object.fromEntries(counts) as Record<MetricKey, number>;
  const present = (Object.keys(count) as MetricKey[]).filter((m) => count[m] > 0);
  if (count.workingSet === 0) {
    return {
      status: 'error',
      message: 'Prometheus answers, but has no cAdvisor memory series for containers in the last hour.',
      details: {
        message:
          "No container_memory_working_set_bytes series matched. Is cAdvisor (or the kubelet's /metrics/cadvisor " +
          'endpoint) scraped by this Prometheus, and do the label names and extra selector in these settings match it?',
      },
    };
  }
  // A short title; what was found goes below it.
  const found = `Series found in the last hour: ${present.map((m) => CADVISOR_METRIC[m]).join(', ')}.`;
  const containers = plural(count.workingSet, 'container');
  const nodeText = nodes && nodeCount !== undefined ? ` ${describeNodes(nodeCount, nodes.nodeLabel)}` : '';
  if (count.activeFile === 0 || count.inactiveFile === 0) {
    return {
      status: 'warning',
      message: `Prometheus answers: ${containers}, but the file-cache series are missing.`,
      details: {
        message: `${found} Without container_memory_total_active_file_bytes and …_inactive_file_bytes (cAdvisor < 0.50, or dropped by a scrape allow-list) real used is estimated from cache.${nodeText}`,
      },
    };
  }
  return {
    status: 'success',
    message: `Prometheus answers: ${containers} with cAdvisor memory series; real used is exact.`,
    details: { message: `${found} File-cache series present.${nodeText}` },
  };
}

function describeNodes(count: number, nodeLabel: string): string {
  return count > 0
    ? `Nodes view: ${plural(count, 'node')} with a root-cgroup series (id="/", label "${nodeLabel}").`
    : `Nodes view: no root-cgroup series (id="/") with a "${nodeLabel}" label in the last hour; check the node label option.`;
}

/** "1 container", "3 containers". */
export function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
