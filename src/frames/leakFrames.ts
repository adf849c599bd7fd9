import { DataFrame, FieldType, MappingType, QueryResultMetaNotice, createDataFrame } from '@grafana/data';

import { LeakResult, VERDICT_CACHE, VERDICT_LEAK, VERDICT_NO_DATA, VERDICT_STABLE } from '../memory/leakVerdict';

export interface LeakRow {
  labels: Record<string, string>;
  result: LeakResult;
}

export const FIELD_REAL_SLOPE = 'real used slope (per hour)';
export const FIELD_CACHE_SLOPE = 'file cache slope (per hour)';
export const FIELD_FIT = 'fit quality (R²)';
export const FIELD_TIME_TO_LIMIT = 'time to limit';
export const FIELD_VERDICT = 'verdict';

/**
 * View "Leak check": ONE table frame, one row per group. Slopes carry unit `bytes` and say
 * "(per hour)" in their name, because Grafana has no bytes-per-hour unit; a cell reads
 * "50 MiB" under "real used slope (per hour)". Time to limit is in seconds (unit `dtdurations`,
 * shown as "5 hours, 14 minutes"). The verdict is colored by value mappings, so Table and Stat
 * panels show it as is.
 */
export function leakFrame(
  refId: string,
  labelNames: string[],
  rows: LeakRow[],
  notices: QueryResultMetaNotice[],
  executedQueryString: string
): DataFrame {
  const column = <T>(pick: (r: LeakResult) => T) => rows.map((row) => pick(row.result));
  // A label column empty in every row (e.g. cluster on a single-cluster Prometheus) is left out.
  const shown = labelNames.filter((name) => rows.length === 0 || rows.some((r) => (r.labels[name] ?? '') !== ''));
  return createDataFrame({
    refId,
    name: 'leak check',
    fields: [
      ...shown.map((name) => ({
        name,
        type: FieldType.string,
        values: rows.map((r) => r.labels[name] ?? ''),
        config: {},
      })),
      {
        name: FIELD_REAL_SLOPE,
        type: FieldType.number,
        values: column((r) => r.realUsedSlope),
        config: {
          unit: 'bytes',
          description: 'Theil–Sen slope of real used (usage − file cache) since the last restart',
        },
      },
      {
        name: FIELD_CACHE_SLOPE,
        type: FieldType.number,
        values: column((r) => r.fileCacheSlope),
        config: { unit: 'bytes', description: 'Theil–Sen slope of active + inactive file cache' },
      },
      {
        name: FIELD_FIT,
        type: FieldType.number,
        values: column((r) => r.fitQuality),
        config: { decimals: 2, min: 0, max: 1, description: 'R² of the real-used line: 1 = steady trend, 0 = noise' },
      },
      {
        name: FIELD_TIME_TO_LIMIT,
        type: FieldType.number,
        values: column((r) => r.timeToLimit),
        config: {
          unit: 'dtdurations',
          decimals: 1, // one more unit: "5 hours, 14 minutes"
          description: 'projected time until real used reaches the memory limit; empty when no limit or not growing',
          noValue: '—',
        },
      },
      {
        name: FIELD_VERDICT,
        type: FieldType.string,
        values: column((r) => r.verdict),
        config: {
          mappings: [
            {
              type: MappingType.ValueToText,
              options: {
                [VERDICT_LEAK]: { color: 'red', index: 0 },
                [VERDICT_CACHE]: { color: 'blue', index: 1 },
                [VERDICT_STABLE]: { color: 'green', index: 2 },
                [VERDICT_NO_DATA]: { color: 'text', index: 3 },
              },
            },
          ],
          custom: { cellOptions: { type: 'color-text' } },
        },
      },
      { name: 'restarts', type: FieldType.number, values: column((r) => r.restarts), config: { decimals: 0 } },
      {
        name: 'fitted from',
        type: FieldType.time,
        values: column((r) => r.fittedFrom),
        config: { description: 'first point of the fit (after the last restart in the range)' },
      },
      { name: 'notes', type: FieldType.string, values: column((r) => r.notes.join('; ')), config: {} },
    ],
    meta: { preferredVisualisationType: 'table', notices, executedQueryString },
  });
}
