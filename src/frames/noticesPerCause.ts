import type { DataFrame, QueryResultMetaNotice } from '@grafana/data';

/**
 * One notice per cause, for the panel. Sixty containers without PSI series used to give sixty
 * identical lines and a page 2,100 px tall. A notice about one group says its cause the same way
 * for every group and names the group apart (`GroupNotice`); the panel then says each cause once,
 * with how many groups it concerns and at most three of their names:
 *
 *   "Memory pressure unknown: no PSI series (cgroup v1 or kubelet < 1.34) — 60 of 60 containers."
 *   "No memory limit (unlimited): headroom is not defined — 2 of 60 containers: api (…), web."
 *
 * Grafana shows the notices of every frame of a query together, so they all go on its first frame.
 */

/** A notice about one group: `text` is its cause, worded the same for every group; `detail` its own figure. */
export interface GroupNotice extends QueryResultMetaNotice {
  group: string;
  detail?: string;
}

export function groupNotice(
  severity: QueryResultMetaNotice['severity'],
  text: string,
  group: string,
  detail?: string
): GroupNotice {
  return detail === undefined ? { severity, text, group } : { severity, text, group, detail };
}

const NAMES_SHOWN = 3;
const SEVERITY_ORDER: Record<string, number> = { error: 0, warning: 1, info: 2 };

const isGroupNotice = (n: QueryResultMetaNotice): n is GroupNotice => typeof (n as GroupNotice).group === 'string';

/**
 * The notices of a query, each cause once. `total` groups were shown, called `noun` ("containers",
 * "pods", "nodes"). With one group shown, a notice reads as about that group alone (no count).
 */
export function onePerCause(notices: QueryResultMetaNotice[], total: number, noun: string): QueryResultMetaNotice[] {
  const causes = new Map<string, { notice: QueryResultMetaNotice; groups: Map<string, string | undefined> }>();
  for (const n of notices) {
    const key = `${n.severity}\u0000${n.text}`;
    const cause = causes.get(key) ?? { notice: { severity: n.severity, text: n.text }, groups: new Map() };
    causes.set(key, cause);
    if (isGroupNotice(n) && !cause.groups.has(n.group)) {
      cause.groups.set(n.group, n.detail);
    }
  }
  return [...causes.values()]
    .map(({ notice, groups }) => ({ ...notice, text: notice.text + scope([...groups], total, noun) }))
    .sort((a, b) => (SEVERITY_ORDER[a.severity] ?? 3) - (SEVERITY_ORDER[b.severity] ?? 3));
}

function scope(groups: Array<[string, string | undefined]>, total: number, noun: string): string {
  if (groups.length === 0) {
    return '';
  }
  if (total <= 1) {
    const detail = groups[0][1];
    return detail ? ` — ${detail}.` : '.';
  }
  if (groups.length >= total) {
    return ` — ${groups.length} of ${total} ${noun}.`;
  }
  const names = groups.slice(0, NAMES_SHOWN).map(([name, detail]) => (detail ? `${name} (${detail})` : name));
  const more = groups.length > NAMES_SHOWN ? ` and ${groups.length - NAMES_SHOWN} more` : '';
  return ` — ${groups.length} of ${total} ${noun}: ${names.join(', ')}${more}.`;
}

/** How many of how many groups a notice written by `onePerCause` concerns (1 of 1 when it names no count). */
export function noticeScope(text: string): { groups: number; of: number } {
  const counted = / — (\d+) of (\d+) /.exec(text);
  return counted ? { groups: Number(counted[1]), of: Number(counted[2]) } : { groups: 1, of: 1 };
}

/** The frames of one query with every notice taken off and said once per cause on the first. */
export function framesWithOneNoticePerCause(frames: DataFrame[], total: number, noun: string): DataFrame[] {
  const notices = onePerCause(
    frames.flatMap((f) => f.meta?.notices ?? []),
    total,
    noun
  );
  return frames.map((frame, i) => {
    if (!frame.meta?.notices && i > 0) {
      return frame;
    }
    return { ...frame, meta: { ...frame.meta, notices: i === 0 ? notices : [] } };
  });
}

/** "containers", "pods", "namespaces", "nodes": what a count of groups is a count of. */
export const groupNoun = (groupBy: string) => `${groupBy}s`;
