import { DataFrame, FieldConfig } from '@grafana/data';

import { Breakdown, RealVsWorkingSet } from '../memory/derive';
import { FORMULA_EQUATION, FORMULA_FIELD_NAME, FORMULA_MEANING, Formula } from '../memory/formula';
import { Sample } from '../memory/series';
import { Meaning } from './colours';
import {
  GroupFrameContext,
  MEASURED_MAIN,
  MEASURED_THIN,
  MEMORY_SCALE,
  colourOf,
  groupField,
  groupFrame,
} from './fields';

/** View "Real used vs working set": time, working set, real used (or the variant), optionally usage. */
export function realVsWorkingSetFrame(ctx: GroupFrameContext, series: RealVsWorkingSet, formula: Formula): DataFrame {
  const fields = [
    memoryField(ctx, 'working set', 'workingSet', series.workingSet, {
      description:
        'usage − inactive file: what the kubelet, kubectl top and most dashboards show; includes active page cache',
      custom: MEASURED_THIN,
    }),
    memoryField(ctx, FORMULA_FIELD_NAME[formula], formula, series.real, {
      description: `${FORMULA_EQUATION[formula]}: ${FORMULA_MEANING[formula]}`,
      custom: MEASURED_MAIN,
    }),
  ];
  if (series.usage) {
    fields.push(
      memoryField(ctx, 'usage', 'usage', series.usage, {
        description: 'cgroup memory usage, page cache included',
        custom: MEASURED_THIN,
      })
    );
  }
  return groupFrame(ctx, fields);
}

/**
 * Stacking order: the memory the kernel cannot drop at the bottom, then the page cache in the
 * order it is reclaimed last to first, so the band edges read real used (anon + other), working
 * set (+ active file) and usage (+ inactive file).
 */
export const BREAKDOWN_ORDER = ['anon', 'other', 'active file', 'inactive file'] as const;

/** View "Breakdown": anon, other, active file and inactive file stack up to usage; swap beside them. */
export function breakdownFrame(ctx: GroupFrameContext, series: Breakdown): DataFrame {
  // One stacking group per container/pod/namespace, so different groups do not pile onto each other.
  const stacked: FieldConfig = {
    custom: { stacking: { mode: 'normal', group: ctx.legend }, fillOpacity: 60, lineWidth: 1 },
  };
  const fields = [
    memoryField(ctx, 'anon', 'anon', series.anon, {
      ...stacked,
      description: 'anonymous memory (rss): heap, stacks; anon + other = real used',
    }),
    memoryField(ctx, 'other', 'other', series.other, {
      ...stacked,
      description:
        'usage − anon − active file − inactive file (floored at 0): kernel memory, shmem/tmpfs, cache outside the file LRU',
    }),
    memoryField(ctx, 'active file', 'activeFile', series.activeFile, {
      ...stacked,
      description: 'page cache used recently; reclaimable. Top of this band = working set',
    }),
    memoryField(ctx, 'inactive file', 'inactiveFile', series.inactiveFile, {
      ...stacked,
      description: 'page cache not used recently; reclaimed first. Top of this band = usage',
    }),
  ];
  if (series.swap) {
    fields.push(memoryField(ctx, 'swap', 'swap', series.swap, { description: 'swapped out; not part of usage' }));
  }
  return groupFrame(ctx, fields);
}

/** A memory field: bytes on the one memory axis, in the colour of its meaning. */
export function memoryField(
  ctx: Pick<GroupFrameContext, 'labels' | 'legend'>,
  name: string,
  meaning: Meaning,
  values: Sample[],
  config: FieldConfig
) {
  return groupField(ctx, name, values, { ...MEMORY_SCALE, ...colourOf(meaning), ...config });
}
