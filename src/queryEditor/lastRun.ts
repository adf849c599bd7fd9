import { DataFrame } from '@grafana/data';

import { NO_LIMIT_NOTICE_PREFIX } from '../frames/headroomFrames';
import { noticeScope } from '../frames/noticesPerCause';
import { COPYABLE_META_KEY } from '../frames/fields';
import type { CopyableQuery } from '../prometheus/copyable';

/** The PromQL the last run sent for this query, one expression per line, each once. */
export function executedPromQL(frames: DataFrame[] | undefined, refId: string): string {
  const lines = (frames ?? [])
    .filter((f) => f.refId === refId)
    .flatMap((f) => (f.meta?.executedQueryString ?? '').split('\n'))
    .filter((line) => line.trim() !== '');
  return [...new Set(lines)].join('\n');
}

/** One expression per plotted series of the last run (frames/fields.ts withCopyable), for Copy PromQL. */
export function copyablePromQL(frames: DataFrame[] | undefined, refId: string): CopyableQuery[] {
  const own = (frames ?? []).find((f) => f.refId === refId && Array.isArray(f.meta?.custom?.[COPYABLE_META_KEY]));
  return own?.meta?.custom?.[COPYABLE_META_KEY] ?? [];
}

/** The groups of the last run that have no memory limit, and how many groups there were. */
export function noLimitGroups(frames: DataFrame[] | undefined, refId: string): { without: number; of: number } {
  const notices = (frames ?? []).filter((f) => f.refId === refId).flatMap((f) => f.meta?.notices ?? []);
  // One notice per reason (no series, unlimited), each with its count (frames/noticesPerCause.ts).
  const scopes = notices.filter((n) => n.text.startsWith(NO_LIMIT_NOTICE_PREFIX)).map((n) => noticeScope(n.text));
  return { without: scopes.reduce((sum, s) => sum + s.groups, 0), of: scopes[0]?.of ?? 0 };
}
