import { DataFrame, FieldConfig } from '@grafana/data';

import { Breakdown, RealVsWorkingSet } from '../memory/derive';
import { FORMULA_EQUATION, FORMULA_FIELD_NAME, FORMULA_MEANING, Formula } from '../memory/formula';
import { Sample } from '../memory/series';
import { GroupFrameContext, groupField, groupFrame } from './fields';

// Memory axes start at 0: a stacked breakdown or a flat real-used line read wrong on a cropped axis.
const BYTES: FieldConfig = { unit: 'bytes', min: 0 };

/** View "Real used vs working set": time, working set, real used (or the variant), optionally usage. */
export function realVsWorkingSetFrame(ctx: GroupFrameContext, series: RealVsWorkingSet, formula: Formula): DataFrame {
  const fields = [
    valueField(ctx, 'working set', series.workingSet, {
      description: 'usage − inactive file: what the kubelet, kubectl top and most dashboards show; includes active page cache',
      custom: { lineStyle: { fill: 'dash', dash: [10, 6] } },
    }),
    valueField(ctx, FORMULA_FIELD_NAME[formula], series.real, {
      description: `${FORMULA_EQUATION[formula]}: ${FORMULA_MEANING[formula]}`,
    }),
  ];
  if (series.usage) {
    fields.push(valueField(ctx, 'usage', series.usage, { description: 'cgroup memory usage, page cache included' }));
  }
  return groupFrame(ctx, fields);
}

/** View "Breakdown": anon, active file, inactive file and other stack up to usage; swap beside them. */
export function breakdownFrame(ctx: GroupFrameContext, series: Breakdown): DataFrame {
  // One stacking group per container/pod/namespace, so different groups do not pile onto each other.
  const stacked: FieldConfig = { custom: { stacking: { mode: 'normal', group: ctx.legend }, fillOpacity: 60, lineWidth: 1 } };
  const fields = [
    valueField(ctx, 'anon', series.anon, { ...stacked, description: 'anonymous memory (RSS): heap, stacks' }),
    valueField(ctx, 'active file', series.activeFile, { ...stacked, description: 'page cache used recently; reclaimable' }),
    valueField(ctx, 'inactive file', series.inactiveFile, { ...stacked, description: 'page cache not used recently; reclaimed first' }),
    valueField(ctx, 'other', series.other, { ...stacked, description: 'kernel memory, shmem/tmpfs, cache outside the file LRU' }),
  ];
  if (series.swap) {
    fields.push(valueField(ctx, 'swap', series.swap, { description: 'swapped out; not part of usage' }));
  }
  return groupFrame(ctx, fields);
}

function valueField(ctx: GroupFrameContext, name: string, values: Sample[], config: FieldConfig) {
  return groupField(ctx, name, values, { ...BYTES, ...config });
}
