import { RangeCache, incrementalQueryInstant, incrementalQueryRange } from '../refreshCache/incremental';
import { SharedRangeQueries } from '../refreshCache/sharedQueries';
import { PanelMemory, QueryClient } from './request';

/**
 * The client one target runs with: range queries shared with the other panels of the refresh
 * (sharedQueries.ts) and, for a panel on a relative range ending now, fetched incrementally
 * (incremental.ts), its instant queries (ranking, probes) asked once per instant.
 */
export function runClient(
  base: Pick<QueryClient, 'queryInstant'>,
  shared: SharedRangeQueries,
  signal: AbortSignal,
  /** The panel target asking (dashboard, panel, refId): it shares answers with others, not with itself. */
  asker: string,
  incremental?: { cache: RangeCache; scope: string }
): QueryClient {
  const sharedRange: QueryClient['queryRange'] = (expr, range, requestId) =>
    shared.queryRange(expr, range, requestId, signal, asker);
  const instant: QueryClient['queryInstant'] = (expr, time, requestId) => base.queryInstant(expr, time, requestId);
  return incremental
    ? {
        queryInstant: incrementalQueryInstant(instant, incremental.cache, incremental.scope),
        queryRange: incrementalQueryRange(sharedRange, incremental.cache, incremental.scope),
        memory: incremental.cache.memory<PanelMemory>(incremental.scope),
      }
    : { queryInstant: instant, queryRange: sharedRange };
}
