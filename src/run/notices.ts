import type { DataFrame, QueryResultMetaNotice } from '@grafana/data';

import { ScrapeDisagreement } from '../memory/duplicateScrapes';
import { PointsLimit } from '../prometheus/pointsLimit';
import { GroupNotice, groupNotice } from '../frames/noticesPerCause';

/** Notices every view gives the same way, container groups and nodes alike. */

/** Samples of a group dropped as gaps. */
export function invalidSamplesNotice(count: number, group: string): GroupNotice[] {
  const text = 'NaN, infinite or negative samples are shown as gaps';
  return count > 0 ? [groupNotice('warning', text, group, `${count} samples`)] : [];
}

/**
 * A group's formula notice: only when its file-cache split was estimated. A healthy group carries
 * no notice (the formula is in the field descriptions and the editor), so a notice always means
 * something to look at.
 */
export function formulaNotices(formulaText: string, estimated: boolean, group: string): GroupNotice[] {
  if (!estimated) {
    return [];
  }
  const text =
    `${formulaText}. File-cache series missing (cAdvisor < 0.50), so the split was estimated ` +
    '(inactive file = usage − working set, active file = cache − inactive file)';
  return [groupNotice('warning', text, group)];
}

const MIB = 1024 * 1024;

/**
 * A container scraped twice whose scrapes disagree: which scrapes (by the labels that tell them
 * apart), by how much at worst, and what the panel shows instead of mixing them.
 */
export function disagreementNotice(d: ScrapeDisagreement | undefined, group: string): GroupNotice[] {
  if (!d) {
    return [];
  }
  const readings = d.readings
    .map((r) => {
      const labels = Object.entries(r.labels)
        .map(([k, v]) => `${k}="${v}"`)
        .join(', ');
      return `${(r.value / MIB).toFixed(1)} MiB (${labels || 'same labels'})`;
    })
    .join(' against ');
  const when = new Date(d.time).toISOString().slice(0, 16).replace('T', ' ');
  const text =
    `Scraped more than once, and the scrapes disagree. Every figure shown comes from one scrape at a ` +
    `time, the one with the most ${d.figure}, never mixed; drop the duplicate scrape job to see one`;
  return [groupNotice('warning', text, group, `${d.figure} ${readings} at ${when} UTC`)];
}

/** The step was raised to fit an engine's points limit (datasource.ts retries once with it). */
export function pointsLimitNotice(limit: PointsLimit, step: number): QueryResultMetaNotice {
  return {
    severity: 'info',
    text:
      `The engine allows at most ${limit.points} points per series (${limit.flag}): the step was raised to ` +
      `${step}s to fit. Raise that limit, or shorten the time range, for a finer graph.`,
  };
}

/** A frame with one more notice. */
export function withNotice(frame: DataFrame, notice: QueryResultMetaNotice): DataFrame {
  return { ...frame, meta: { ...frame.meta, notices: [...(frame.meta?.notices ?? []), notice] } };
}
