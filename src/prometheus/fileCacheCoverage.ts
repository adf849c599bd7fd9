import { PrometheusClient } from './client';
import { LabelNames, groupLabels } from './promql';
import { groupCountExpr } from './ranking';
import { containersWithoutFileCacheExpr, withoutFileCacheExpr } from './withoutFileCache';

/** How many containers get an exact split of real used, and which do not (cAdvisor < 0.50 on their node). */
export interface FileCacheCoverage {
  /** Containers with a working set in the window, each counted once however often it is scraped. */
  containers: number;
  /** Those of them without file-cache series, whose split is estimated from cache. */
  withoutFileCache: number;
  /** Some of those as cluster/namespace/pod/container, sorted; at most `NAMED_AT_MOST`. */
  named: string[];
}

export const NAMED_AT_MOST = 3;

/**
 * Two counts and, only when some containers but not all lack file-cache series, the names of a
 * few of them (topk keeps the answer small when thousands do).
 */
export async function probeFileCacheCoverage(
  client: Pick<PrometheusClient, 'queryInstant'>,
  matchers: string[],
  labels: LabelNames,
  windowSeconds: number,
  at: number
): Promise<FileCacheCoverage> {
  const count = async (expr: string) => (await client.queryInstant(expr, at))[0]?.value ?? 0;
  const [containers, withoutFileCache] = await Promise.all([
    count(groupCountExpr(matchers, labels, 'container', windowSeconds)),
    count(withoutFileCacheExpr(matchers, labels, windowSeconds)),
  ]);
  const someButNotAll = withoutFileCache > 0 && withoutFileCache < containers;
  const named = someButNotAll
    ? (
        await client.queryInstant(
          `topk(${NAMED_AT_MOST}, ${containersWithoutFileCacheExpr(matchers, labels, windowSeconds)})`,
          at
        )
      )
        .map((series) => containerName(series.labels, labels))
        .sort()
    : [];
  return { containers, withoutFileCache, named };
}

/** "prod/big/legacy-7/main", leaving out a label the series lacks (no cluster label in one cluster). */
function containerName(series: Record<string, string>, labels: LabelNames): string {
  return groupLabels(labels, 'container')
    .map((name) => series[name])
    .filter(Boolean)
    .join('/');
}

/**
 * "Real used is exact for all 60 containers." or "Real used is exact for 59 of 60 containers;
 * 1 container has no file-cache series (older cAdvisor), so its split is estimated: big/legacy-7/main."
 */
export function describeFileCacheCoverage({ containers, withoutFileCache, named }: FileCacheCoverage): string {
  if (withoutFileCache === 0) {
    return containers === 1
      ? 'Real used is exact for 1 container.'
      : `Real used is exact for all ${containers} containers.`;
  }
  const exact = Math.max(0, containers - withoutFileCache);
  const lacking =
    withoutFileCache === 1
      ? '1 container has no file-cache series (older cAdvisor), so its split is estimated'
      : `${withoutFileCache} containers have no file-cache series (older cAdvisor), so their split is estimated`;
  const more = withoutFileCache > named.length ? ` and ${withoutFileCache - named.length} more` : '';
  const names = named.length > 0 ? `: ${named.join(', ')}${more}` : '';
  return `Real used is exact for ${exact} of ${containers} containers; ${lacking}${names}.`;
}
