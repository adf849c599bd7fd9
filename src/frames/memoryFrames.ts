import { DataFrame, DataFrameType, FieldConfig, FieldType, QueryResultMetaNotice, createDataFrame } from '@grafana/data';

import { Breakdown, RealVsWorkingSet } from '../memory/derive';
import { FORMULA_FIELD_NAME, Formula } from '../memory/formula';
import { Sample } from '../memory/series';

/** What every frame of one group shares. */
export interface GroupFrameContext {
  refId: string;
  timestamps: number[];
  labels: Record<string, string>;
  legend: string;
  notices: QueryResultMetaNotice[];
  executedQueryString: string;
}

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
      description:
        formula === 'realUsed'
          ? 'usage − active file − inactive file: memory the kernel cannot drop by reclaiming page cache'
          : 'usage − active file: keeps inactive page cache, drops active',
    }),
  ];
  if (series.usage) {
    fields.push(valueField(ctx, 'usage', series.usage, { description: 'cgroup memory usage, page cache included' }));
  }
  return frame(ctx, fields);
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
  return frame(ctx, fields);
}

function valueField(ctx: GroupFrameContext, name: string, values: Sample[], config: FieldConfig) {
  return {
    name,
    type: FieldType.number,
    values,
    labels: ctx.labels,
    config: { ...BYTES, displayNameFromDS: `${name} (${ctx.legend})`, ...config },
  };
}

function frame(ctx: GroupFrameContext, valueFields: Array<ReturnType<typeof valueField>>): DataFrame {
  return createDataFrame({
    refId: ctx.refId,
    name: ctx.legend,
    fields: [{ name: 'Time', type: FieldType.time, values: ctx.timestamps, config: {} }, ...valueFields],
    meta: { notices: ctx.notices, executedQueryString: ctx.executedQueryString, type: DataFrameType.TimeSeriesWide },
  });
}

/** A frame with no rows that carries a notice, so the panel says why it is empty. */
export function emptyFrame(refId: string, notice: QueryResultMetaNotice, executedQueryString: string): DataFrame {
  return createDataFrame({ refId, fields: [], meta: { notices: [notice], executedQueryString } });
}
