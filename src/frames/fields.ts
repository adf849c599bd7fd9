import {
  DataFrame,
  DataFrameType,
  FieldColorModeId,
  FieldConfig,
  FieldType,
  QueryResultMetaNotice,
  createDataFrame,
} from '@grafana/data';

import { Sample } from '../memory/series';
import { MEANING_COLOUR, Meaning } from './colours';

/**
 * Every memory field in bytes on ONE axis from 0. Grafana keys an axis by unit, min, max, soft
 * min/max and placement: a field that differs in any of them (a limit without `min: 0`) gets an
 * axis of its own, and its line is drawn level with other numbers on the left axis.
 */
export const MEMORY_SCALE: FieldConfig = { unit: 'bytes', min: 0 };

/** The line style of the figures the kubelet sees (working set and the room it leaves). */
export const DASHED = { lineStyle: { fill: 'dash', dash: [10, 6] } };

/**
 * Line weights by meaning, which carry it when many groups each get a colour (shades.ts): the
 * figure the view is about thick, the other measured figures thin and solid, references (limit,
 * request, thresholds) dashed.
 */
export const MEASURED_MAIN = { lineWidth: 2 };
export const MEASURED_THIN = { lineWidth: 1 };

/** The fixed colour of a meaning (colours.ts). */
export function colourOf(meaning: Meaning): Pick<FieldConfig, 'color'> {
  return { color: { mode: FieldColorModeId.Fixed, fixedColor: MEANING_COLOUR[meaning] } };
}

/** What every frame of one group shares. */
export interface GroupFrameContext {
  refId: string;
  timestamps: number[];
  labels: Record<string, string>;
  legend: string;
  notices: QueryResultMetaNotice[];
  executedQueryString: string;
}

export type GroupField = ReturnType<typeof groupField>;

/** A number field of one group, named "<name> (<legend>)" on the panel. */
export function groupField(
  ctx: Pick<GroupFrameContext, 'labels' | 'legend'>,
  name: string,
  values: Sample[],
  config: FieldConfig
) {
  return {
    name,
    type: FieldType.number,
    values,
    labels: ctx.labels,
    config: { displayNameFromDS: `${name} (${ctx.legend})`, ...config },
  };
}

/** A wide time-series frame of one group: Time, then the value fields. */
export function groupFrame(ctx: GroupFrameContext, valueFields: GroupField[]): DataFrame {
  return createDataFrame({
    refId: ctx.refId,
    name: ctx.legend,
    fields: [{ name: 'Time', type: FieldType.time, values: ctx.timestamps, config: {} }, ...valueFields],
    meta: { notices: ctx.notices, executedQueryString: ctx.executedQueryString, type: DataFrameType.TimeSeriesWide },
  });
}

/** A frame with no rows that carries notices, so the panel says why it is empty. */
export function emptyFrame(
  ctx: Pick<GroupFrameContext, 'refId' | 'executedQueryString'> & { legend?: string },
  notices: QueryResultMetaNotice[]
): DataFrame {
  return createDataFrame({
    refId: ctx.refId,
    name: ctx.legend,
    fields: [],
    meta: { notices, executedQueryString: ctx.executedQueryString },
  });
}

/** Where the first frame of a query carries its copyable PromQL (prometheus/copyable.ts), for the editor. */
export const COPYABLE_META_KEY = 'copyablePromQL';

/** The frames with the query's copyable PromQL on the first. */
export function withCopyable(frames: DataFrame[], queries: Array<{ title: string; expr: string }>): DataFrame[] {
  if (queries.length === 0 || frames.length === 0) {
    return frames;
  }
  const [first, ...rest] = frames;
  return [
    { ...first, meta: { ...first.meta, custom: { ...first.meta?.custom, [COPYABLE_META_KEY]: queries } } },
    ...rest,
  ];
}
