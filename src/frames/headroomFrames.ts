import { DataFrame, FieldConfig } from '@grafana/data';

import { HeadroomResult } from '../memory/headroom';
import { Sample } from '../memory/series';
import { GroupLimits } from '../memory/limits';
import { GroupField, GroupFrameContext, emptyFrame, groupField as field, groupFrame } from './fields';

export const FIELD_ROOM_OOM = 'room before OOM kill';
export const FIELD_ROOM_KUBELET = 'room as kubelet sees it';
export const PERCENT_SUFFIX = ' (% of limit)';

const DESCRIPTION_OOM = 'room before an OOM kill, after the kernel reclaims cache (limit − real used)';
const DESCRIPTION_KUBELET = 'room as the kubelet and most alerts see it (limit − working set)';

/**
 * View "Headroom": per group, Time + room before an OOM kill and room as the kubelet sees it,
 * in bytes and in % of the limit. Without a limit: a frame with no fields and a notice, so the
 * panel says why instead of drawing zeros.
 */
export function headroomFrame(ctx: GroupFrameContext, result: HeadroomResult): DataFrame {
  if (!result.headroom) {
    return emptyFrame(ctx, [...ctx.notices, { severity: 'info', text: `${ctx.legend}: ${result.reason}` }]);
  }
  const h = result.headroom;
  const bytes: FieldConfig = { unit: 'bytes' };
  const percent: FieldConfig = { unit: 'percent', custom: { lineStyle: { fill: 'dash', dash: [10, 6] } } };
  return groupFrame(ctx, [
    field(ctx, FIELD_ROOM_OOM, h.beforeOom, { ...bytes, description: DESCRIPTION_OOM }),
    field(ctx, FIELD_ROOM_KUBELET, h.kubelet, { ...bytes, description: DESCRIPTION_KUBELET }),
    field(ctx, FIELD_ROOM_OOM + PERCENT_SUFFIX, h.beforeOomPercent, { ...percent, description: DESCRIPTION_OOM }),
    field(ctx, FIELD_ROOM_KUBELET + PERCENT_SUFFIX, h.kubeletPercent, {
      ...percent,
      description: DESCRIPTION_KUBELET,
    }),
  ]);
}

/**
 * Limit and request as dashed threshold series, to append to a group's frame in the
 * real-used-vs-working-set view. A limit of 0 (unlimited) is not drawn as a line at zero;
 * a field whose values are all missing is left out.
 */
export function limitFields(ctx: Pick<GroupFrameContext, 'labels' | 'legend'>, limits: GroupLimits | undefined) {
  const dashed = { lineStyle: { fill: 'dash', dash: [4, 4] }, lineWidth: 1 };
  const out: GroupField[] = [];
  const add = (name: string, values: Sample[] | undefined, description: string) => {
    const cleaned = values?.map((v) => (v !== null && v > 0 ? v : null));
    if (cleaned && cleaned.some((v) => v !== null)) {
      out.push(field(ctx, name, cleaned, { unit: 'bytes', description, custom: dashed }));
    }
  };
  add('limit', limits?.limit, `memory limit (${limits?.sources.join(', ') || 'none'}): the OOM killer acts here`);
  add('request', limits?.request, 'memory request (kube-state-metrics): what the scheduler reserved');
  return out;
}
