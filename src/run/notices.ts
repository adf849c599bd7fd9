import type { QueryResultMetaNotice } from '@grafana/data';

/** Notices every view gives the same way, container groups and nodes alike. */

/** Samples dropped as gaps; `subject` names the group where one frame speaks of several ("node-a: …"). */
export function invalidSamplesNotice(count: number, subject?: string): QueryResultMetaNotice[] {
  const text = `${count} samples were NaN, infinite or negative and are shown as gaps.`;
  return count > 0 ? [{ severity: 'warning', text: subject ? `${subject}: ${text}` : text }] : [];
}

/**
 * A group's formula notice: only when its file-cache split was estimated. A healthy group carries
 * no notice (the formula is in the field descriptions and the editor), so a notice always means
 * something to look at.
 */
export function formulaNotices(formulaText: string, estimated: boolean): QueryResultMetaNotice[] {
  if (!estimated) {
    return [];
  }
  return [
    {
      severity: 'warning',
      text:
        `${formulaText}. File-cache series missing (cAdvisor < 0.50): the split was estimated — ` +
        'inactive file = usage − working set, active file = cache − inactive file.',
    },
  ];
}
