import {
  DataFrame,
  DataFrameType,
  FieldConfig,
  FieldType,
  QueryResultMetaNotice,
  createDataFrame,
} from '@grafana/data';

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
