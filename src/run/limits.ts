import { GroupLimits, LimitSeriesSet, limitsByGroup } from '../memory/limits';
import { GroupSeries } from '../memory/series';
import { limitExprs } from '../prometheus/limitQueries';
import { QueryClient, RunRequest } from './request';

export interface LimitFetch {
  exprs: string[];
  /** The limits of the given groups, once the three queries answered. */
  resolve: (
    groups: GroupSeries[],
    keyOf: (labels: Record<string, string>) => string
  ) => Promise<Map<string, GroupLimits>>;
}

/**
 * Starts the three limit/request range queries (cAdvisor's limit, kube-state-metrics' limit and
 * request), narrowed like the memory series; they run while those are fetched.
 */
export function startLimitFetch(client: QueryClient, req: RunRequest, narrowing: string[]): LimitFetch {
  const e = limitExprs([...req.matchers, ...narrowing], [...req.ksmMatchers, ...narrowing], req.labels, req.groupBy);
  const series: Promise<LimitSeriesSet> = Promise.all([
    client.queryRange(e.cadvisorLimit, req.range, `${req.requestId}-limit`),
    client.queryRange(e.ksmLimit, req.range, `${req.requestId}-ksm-limit`),
    client.queryRange(e.ksmRequest, req.range, `${req.requestId}-ksm-request`),
  ]).then(([cadvisorLimit, ksmLimit, ksmRequest]) => ({ cadvisorLimit, ksmLimit, ksmRequest }));
  // Awaited later; until then a failure must not surface as an unhandled rejection.
  series.catch(() => undefined);
  return {
    exprs: [e.cadvisorLimit, e.ksmLimit, e.ksmRequest],
    resolve: async (groups, keyOf) => limitsByGroup(groups, await series, keyOf),
  };
}
