import { DataFrame } from '@grafana/data';

import { NO_LIMIT_NOTICE_PREFIX } from '../frames/headroomFrames';

/** The PromQL the last run sent for this query, one expression per line, each once. */
export function executedPromQL(frames: DataFrame[] | undefined, refId: string): string {
  const lines = (frames ?? [])
    .filter((f) => f.refId === refId)
    .flatMap((f) => (f.meta?.executedQueryString ?? '').split('\n'))
    .filter((line) => line.trim() !== '');
  return [...new Set(lines)].join('\n');
}

/** The groups of the last run that have no memory limit, and how many groups there were. */
export function noLimitGroups(frames: DataFrame[] | undefined, refId: string): { without: number; of: number } {
  const own = (frames ?? []).filter((f) => f.refId === refId);
  const without = own.filter((f) => f.meta?.notices?.some((n) => n.text.startsWith(NO_LIMIT_NOTICE_PREFIX))).length;
  return { without, of: own.length };
}
