import { TestDataSourceResponse } from '@grafana/data';

import { MetricKey } from '../memory/series';
import { PrometheusClient } from './client';
import { FileCacheCoverage, describeFileCacheCoverage, probeFileCacheCoverage } from './fileCacheCoverage';
import { PointsLimit, pointsLimitOf } from './pointsLimit';
import { CADVISOR_METRIC } from './metrics';
import { rootCgroupCountExpr } from './nodeQueries';
import { LabelNames, selector } from './promql';

/** The containers "Save & test" looks at: the data source's matchers and its label names. */
export interface ContainerSelection {
  matchers: string[];
  labels: LabelNames;
}

/** Where the nodes view looks: the node label and the machine-level matchers (extra selector). */
export interface NodeCheck {
  nodeLabel: string;
  machine: string[];
}

// Look back an hour (the `[1h]` below), not just at the latest samples: a paused scrape should not read as "no data".
const LOOKBACK_SECONDS = 3600;

/**
 * "Save & test": does Prometheus answer, and which cAdvisor memory series does it have?
 * Answers in the words a user needs to decide what to fix.
 */
export async function checkConnection(
  client: Pick<PrometheusClient, 'queryInstant' | 'queryRange'>,
  { matchers, labels }: ContainerSelection,
  nodes?: NodeCheck
): Promise<TestDataSourceResponse> {
  const now = Math.floor(Date.now() / 1000);
  let counts: Array<[MetricKey, number]>;
  let coverage: FileCacheCoverage;
  let nodeCount: number | undefined;
  const pointsLimit = probePointsLimit(client, now);
  try {
    // One Promise.all, so a failure of any query is the one answer (and never an unhandled rejection).
    [counts, coverage, nodeCount] = await Promise.all([
      Promise.all(
        (Object.keys(CADVISOR_METRIC) as MetricKey[]).map(async (metric) => {
          const vector = await client.queryInstant(
            `count(last_over_time(${selector(CADVISOR_METRIC[metric], matchers)}[1h]))`,
            now
          );
          return [metric, vector[0]?.value ?? 0] as [MetricKey, number];
        })
      ),
      probeFileCacheCoverage(client, matchers, labels, LOOKBACK_SECONDS, now),
      nodes
        ? client
            .queryInstant(rootCgroupCountExpr(CADVISOR_METRIC.workingSet, nodes.machine, labels, nodes.nodeLabel), now)
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
  // Containers, not series: one scraped twice (two jobs) is one container.
  const containers = plural(coverage.containers, 'container');
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
  const limitText = describePointsLimit(await pointsLimit);
  return {
    status: 'success',
    message: describeFileCacheCoverage(coverage),
    details: { message: `${found} File-cache series present.${nodeText}${limitText}` },
  };
}

/**
 * The engine's points limit, when it is below the 11,000 the step chooser assumes (VictoriaMetrics'
 * -search.maxPointsPerTimeseries): one cheap range query of 10,999 points of a constant. Panels fit
 * their step to such a limit (datasource.ts); "Save & test" says so, so long ranges being coarser is
 * no surprise. Any other failure of the probe is not this check's to report.
 */
async function probePointsLimit(
  client: Pick<PrometheusClient, 'queryRange'>,
  now: number
): Promise<PointsLimit | undefined> {
  try {
    await client.queryRange('vector(1)', { start: now - 10998, end: now, step: 1 });
    return undefined;
  } catch (err) {
    return pointsLimitOf(err instanceof Error ? err.message : String(err));
  }
}

function describePointsLimit(limit: PointsLimit | undefined): string {
  return limit
    ? ` The engine allows at most ${limit.points} points per series (${limit.flag}): panels raise their step to fit, so long ranges are drawn coarser.`
    : '';
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
