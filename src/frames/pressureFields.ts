import type { QueryResultMetaNotice } from '@grafana/data';

import { NOTE_NO_PSI } from '../memory/pressure';
import { groupNotice } from './noticesPerCause';
import { Sample } from '../memory/series';
import { GroupField, GroupFrameContext, colourOf, groupField } from './fields';

export const FIELD_PRESSURE_SERIES = 'memory pressure';

/**
 * "Show pressure": PSI "some" (share of time at least one task waited for memory) on its own right
 * axis, 0–100%. Without PSI series for the group there is no field and a notice says why:
 * pressure is unknown there, never 0.
 */
export function pressureFields(
  ctx: Pick<GroupFrameContext, 'labels' | 'legend'>,
  pressure: Sample[] | undefined
): { fields: GroupField[]; notices: QueryResultMetaNotice[] } {
  if (!pressure || pressure.every((v) => v === null)) {
    return { fields: [], notices: [groupNotice('info', `Memory pressure unknown: ${NOTE_NO_PSI}`, ctx.legend)] };
  }
  const field = groupField(ctx, FIELD_PRESSURE_SERIES, pressure, {
    unit: 'percentunit',
    min: 0,
    max: 1,
    description:
      'PSI "some": the share of time at least one task of the group waited for memory (the kernel reclaiming under the limit)',
    ...colourOf('pressure'),
    custom: { axisPlacement: 'right', lineWidth: 1, fillOpacity: 10 },
  });
  return { fields: [field], notices: [] };
}
