import { DataFrame, FieldType, MappingType, QueryResultMetaNotice, ValueMapping, createDataFrame } from '@grafana/data';

import {
  LeakResult,
  VERDICT_CACHE,
  VERDICT_CYCLING,
  VERDICT_KERNEL,
  VERDICT_LEAK,
  VERDICT_NO_DATA,
  VERDICT_STABLE,
  VERDICT_THRASHING_PREFIX,
  VERDICT_TOO_SHORT_PREFIX,
} from '../memory/leakVerdict';
import { iecPerHour } from './iecPerHour';

export interface LeakRow {
  labels: Record<string, string>;
  result: LeakResult;
}

export const FIELD_ANON_SLOPE = 'anon slope (per hour)';
export const FIELD_KERNEL_SLOPE = 'kernel slope (per hour)';
export const FIELD_CACHE_SLOPE = 'file cache slope (per hour)';
export const FIELD_REAL_SLOPE = 'real used slope (per hour)';
export const FIELD_FIT = 'fit quality (R²)';
export const FIELD_PRESSURE = 'memory pressure';
export const FIELD_TIME_TO_LIMIT = 'time to limit';
export const FIELD_VERDICT = 'verdict';
export const FIELD_FITTED_SPAN = 'fitted span';

const RED = 'red';
const AMBER = 'orange';
const GREEN = 'green';
const GREY = 'gray';

/**
 * Verdict colours: a leak red; kernel growth and thrashing amber (worth a look, not the heap);
 * page cache and stable green; too short and no data grey. Verdicts that carry a number are
 * matched by their prefix, as a regex between slashes (Grafana matches a bare pattern against the
 * whole text).
 */
export const VERDICT_MAPPINGS: ValueMapping[] = [
  {
    type: MappingType.ValueToText,
    options: {
      [VERDICT_LEAK]: { color: RED, index: 0 },
      [VERDICT_KERNEL]: { color: AMBER, index: 1 },
      [VERDICT_CACHE]: { color: GREEN, index: 2 },
      [VERDICT_CYCLING]: { color: GREEN, index: 3 },
      [VERDICT_STABLE]: { color: GREEN, index: 4 },
      [VERDICT_NO_DATA]: { color: GREY, index: 5 },
    },
  },
  {
    type: MappingType.RegexToText,
    options: { pattern: `/^${VERDICT_THRASHING_PREFIX}/`, result: { color: AMBER, index: 6 } },
  },
  {
    type: MappingType.RegexToText,
    options: { pattern: `/^${VERDICT_TOO_SHORT_PREFIX}/`, result: { color: GREY, index: 7 } },
  },
];

/** Verdicts from the one most worth a look to the least; a verdict with a number by its prefix. */
const VERDICT_RANK: Array<(verdict: string) => boolean> = [
  (v) => v === VERDICT_LEAK,
  (v) => v === VERDICT_KERNEL,
  (v) => v.startsWith(VERDICT_THRASHING_PREFIX),
  (v) => v === VERDICT_CACHE,
  (v) => v === VERDICT_CYCLING,
  (v) => v === VERDICT_STABLE,
  (v) => v.startsWith(VERDICT_TOO_SHORT_PREFIX),
  (v) => v === VERDICT_NO_DATA,
];
const verdictRank = (verdict: string) => {
  const i = VERDICT_RANK.findIndex((matches) => matches(verdict));
  return i < 0 ? VERDICT_RANK.length : i;
};

/**
 * Rows worst first: by verdict (a leak, then kernel growth, thrashing, …), then the fastest
 * growing real used. Sixty rows in alphabetical order hid the one leak in the middle.
 */
export function worstFirst(rows: LeakRow[]): LeakRow[] {
  return [...rows].sort(
    (a, b) =>
      verdictRank(a.result.verdict) - verdictRank(b.result.verdict) ||
      (b.result.realUsedSlope ?? -Infinity) - (a.result.realUsedSlope ?? -Infinity)
  );
}

/** Whole bytes per hour: a fraction of a byte is noise, and -0 would read "-0 B/h". */
const wholeBytes = (v: number | null) => (v === null ? null : Math.round(v) || 0);

/**
 * View "Leak check": ONE table frame, one row per group. Slopes are the slopes of each series'
 * floor per hour, in IEC units as the charts' bytes, one per column ("12.3 MiB/h", iecPerHour.ts;
 * bytesPerHourOf reads them back); memory pressure is the PSI share of time
 * (percentunit), empty where the kernel does not report it; time to limit and fitted span are in
 * seconds (unit `dtdurations`, "5 hours, 14 minutes"). The verdict is coloured by value
 * mappings, so Table and Stat panels show it as is.
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
      slopeField(
        FIELD_ANON_SLOPE,
        column((r) => r.anonSlope),
        'anon memory (container_memory_rss)'
      ),
      slopeField(
        FIELD_KERNEL_SLOPE,
        column((r) => r.kernelSlope),
        'kernel memory (real used − anon: slab, sockets, tmpfs)'
      ),
      slopeField(
        FIELD_CACHE_SLOPE,
        column((r) => r.fileCacheSlope),
        'file cache (active + inactive file)'
      ),
      slopeField(
        FIELD_REAL_SLOPE,
        column((r) => r.realUsedSlope),
        'real used (usage − file cache)'
      ),
      {
        name: FIELD_FIT,
        type: FieldType.number,
        // Only beside the verdict it qualifies: an R² of 0.1 beside "stable" reads as a doubt.
        values: column((r) => (r.verdict === VERDICT_LEAK ? r.fitQuality : null)),
        config: {
          decimals: 2,
          min: 0,
          max: 1,
          description:
            'R² of the line through the floor of anon memory (1 = steady trend, 0 = none), shown with the anon-growth verdict',
          noValue: '—',
        },
      },
      {
        name: FIELD_PRESSURE,
        type: FieldType.number,
        values: column((r) => r.memoryPressure),
        config: {
          unit: 'percentunit',
          decimals: 1,
          min: 0,
          max: 1,
          description:
            'share of time at least one task waited for memory (PSI "some"), averaged over the fitted span; empty without PSI series (cgroup v1 or kubelet < 1.34)',
          noValue: '—',
        },
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
          mappings: VERDICT_MAPPINGS,
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
      {
        name: FIELD_FITTED_SPAN,
        type: FieldType.number,
        values: column((r) => r.fittedSpan),
        config: { unit: 'dtdurations', decimals: 1, description: 'how much of the range the verdict rests on' },
      },
      { name: 'notes', type: FieldType.string, values: column((r) => r.notes.join('; ')), config: {} },
    ],
    meta: { preferredVisualisationType: 'table', notices, executedQueryString },
  });
}

function slopeField(name: string, bytesPerHour: Array<number | null>, what: string) {
  const { values, unit, decimals } = iecPerHour(bytesPerHour.map(wholeBytes));
  return {
    name,
    type: FieldType.number,
    values,
    config: {
      unit,
      decimals,
      description: `growth of ${what} per hour: Theil–Sen slope of its floor (lowest point of each 1/24 of the fitted span)`,
    },
  };
}
