import { DataFrame, FieldConfig, QueryResultMetaNotice } from '@grafana/data';

import { HeadroomResult, noLimitReason } from '../memory/headroom';
import { Sample } from '../memory/series';
import { GroupLimits } from '../memory/limits';
import { HeadroomUnit } from '../types';
import { GroupNotice, groupNotice } from './noticesPerCause';
import {
  MEASURED_MAIN,
  MEASURED_THIN,
  GroupField,
  GroupFrameContext,
  MEMORY_SCALE,
  colourOf,
  emptyFrame,
  groupField as field,
  groupFrame,
} from './fields';

export const FIELD_ROOM_OOM = 'room before OOM kill';
export const FIELD_ROOM_KUBELET = 'room as kubelet sees it';
export const PERCENT_SUFFIX = ' (% of limit)';

const DESCRIPTION_OOM =
  'room before an OOM kill, after the kernel reclaims cache: limit − real used (real used = working set − active file)';
const DESCRIPTION_KUBELET =
  'room as the kubelet and most alerts see it: limit − working set (working set includes active page cache)';

/** Marks a notice that says a group has no limit, so the query editor can explain it (frames/notices are its only input). */
export const NO_LIMIT_NOTICE_PREFIX = 'No memory limit (';

/** The notice of a group without a limit: a warning, since the user asked for something that cannot be drawn. */
export function noLimitNotice(legend: string, reason: string, consequence: string): GroupNotice {
  return groupNotice('warning', `${NO_LIMIT_NOTICE_PREFIX}${reason}): ${consequence}`, legend);
}

/**
 * View "Headroom": per group, Time + room before an OOM kill and room as the kubelet sees it, in
 * bytes or in % of the limit (one quantity per line: bytes and % side by side drew four nearly
 * overlapping lines). Headroom can go below 0, so the axis has a soft minimum of 0, not a hard one.
 * Colours follow the figure each is measured from: real used and working set. Without a limit: a
 * frame with no fields and a warning, so the panel says why instead of drawing zeros.
 */
export function headroomFrame(ctx: GroupFrameContext, result: HeadroomResult, unit: HeadroomUnit = 'bytes'): DataFrame {
  if (!result.headroom) {
    return emptyFrame(ctx, [...ctx.notices, noLimitNotice(ctx.legend, result.reason, 'headroom is not defined')]);
  }
  const h = result.headroom;
  const scale: FieldConfig = unit === 'percent' ? { unit: 'percent' } : { unit: MEMORY_SCALE.unit };
  const custom = { axisSoftMin: 0 };
  const suffix = unit === 'percent' ? PERCENT_SUFFIX : '';
  return groupFrame(ctx, [
    field(ctx, FIELD_ROOM_OOM + suffix, unit === 'percent' ? h.beforeOomPercent : h.beforeOom, {
      ...scale,
      ...colourOf('realUsed'),
      custom: { ...custom, ...MEASURED_MAIN },
      description: DESCRIPTION_OOM,
    }),
    field(ctx, FIELD_ROOM_KUBELET + suffix, unit === 'percent' ? h.kubeletPercent : h.kubelet, {
      ...scale,
      ...colourOf('workingSet'),
      custom: { ...custom, ...MEASURED_THIN },
      description: DESCRIPTION_KUBELET,
    }),
  ]);
}

/**
 * Limit and request as thin dashed series, to append to a group's frame in the real-used-vs-
 * working-set view, on the memory axis (same unit and min as the memory fields: one scale). A
 * limit of 0 (unlimited) is not drawn as a line at zero; a field whose values are all missing is
 * left out (and `limitNotice` says why).
 */
export function limitFields(ctx: Pick<GroupFrameContext, 'labels' | 'legend'>, limits: GroupLimits | undefined) {
  const dashed = { lineStyle: { fill: 'dash', dash: [4, 4] }, lineWidth: 1 };
  const out: GroupField[] = [];
  const add = (name: 'limit' | 'request', values: Sample[] | undefined, description: string) => {
    const cleaned = values?.map((v) => (v !== null && v > 0 ? v : null));
    if (cleaned && cleaned.some((v) => v !== null)) {
      out.push(field(ctx, name, cleaned, { ...MEMORY_SCALE, ...colourOf(name), description, custom: dashed }));
    }
  };
  add('limit', limits?.limit, `memory limit (${limits?.sources.join(', ') || 'none'}): the OOM killer acts here`);
  add('request', limits?.request, 'memory request (kube-state-metrics): what the scheduler reserved');
  return out;
}

/** "Show limits" on a group without a limit: a notice instead of silence. */
export function limitNotice(legend: string, limits: GroupLimits | undefined): QueryResultMetaNotice[] {
  const reason = noLimitReason(limits?.limit);
  return reason === undefined ? [] : [noLimitNotice(legend, reason, 'no limit line to draw')];
}
