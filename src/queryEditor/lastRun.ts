import { DataFrame } from '@grafana/data';

import { NO_LIMIT_NOTICE_PREFIX } from '../frames/headroomFrames';
import { noticeScope } from '../frames/noticesPerCause';

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
  const notices = (frames ?? []).filter((f) => f.refId === refId).flatMap((f) => f.meta?.notices ?? []);
  // One notice per reason (no series, unlimited), each with its count (frames/noticesPerCause.ts).
  const scopes = notices.filter((n) => n.text.startsWith(NO_LIMIT_NOTICE_PREFIX)).map((n) => noticeScope(n.text));
  return { without: scopes.reduce((sum, s) => sum + s.groups, 0), of: scopes[0]?.of ?? 0 };
}
