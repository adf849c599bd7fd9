import { CADVISOR_METRIC } from './metrics';
import { LabelNames, groupLabels, selector } from './promql';

/**
 * The containers with a working set but no active-file series in the window (cAdvisor < 0.50),
 * one series each: their split of real used is estimated from cache. An instant query.
 */
export function containersWithoutFileCacheExpr(matchers: string[], labels: LabelNames, windowSeconds: number): string {
  const identity = groupLabels(labels, 'container').join(', ');
  const window = `${Math.max(1, Math.ceil(windowSeconds))}s`;
  const seen = (metric: string) => `count by (${identity}) (last_over_time(${selector(metric, matchers)}[${window}]))`;
  return `${seen(CADVISOR_METRIC.workingSet)} unless on (${identity}) ${seen(CADVISOR_METRIC.activeFile)}`;
}

/** How many containers lack file-cache series in the window: an instant query. */
export function withoutFileCacheExpr(matchers: string[], labels: LabelNames, windowSeconds: number): string {
  return `count(${containersWithoutFileCacheExpr(matchers, labels, windowSeconds)})`;
}
