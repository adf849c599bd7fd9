/**
 * Byte rates per hour in IEC units, "12.3 MiB/h", as the charts show bytes (Grafana's 'bytes' unit
 * is IEC). Grafana has no per-hour byte unit, nor one that picks an IEC prefix and adds a suffix: so
 * a column is scaled to one prefix, chosen by its largest value, and shown with a suffix unit. One
 * prefix per column, so its rows compare at a glance and sorting it stays right.
 */

const IEC_PREFIXES = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'] as const;
const SUFFIX_UNIT = /^suffix:(B|[KMGTP]iB)\/h$/;

export interface PerHourColumn {
  /** The rates in the column's unit; a missing one stays null. */
  values: Array<number | null>;
  /** A Grafana unit id, e.g. `suffix:MiB/h`. */
  unit: string;
  /** Whole bytes; one decimal of a larger unit. */
  decimals: number;
}

/** A column of rates in bytes per hour, in the largest IEC unit its largest rate fills at least once. */
export function iecPerHour(bytesPerHour: Array<number | null>): PerHourColumn {
  const largest = bytesPerHour.reduce<number>((max, v) => (v === null ? max : Math.max(max, Math.abs(v))), 0);
  const power = largest < 1024 ? 0 : Math.min(Math.floor(Math.log2(largest) / 10), IEC_PREFIXES.length - 1);
  const factor = 1024 ** power;
  return {
    values: bytesPerHour.map((v) => (v === null ? null : v / factor)),
    unit: `suffix:${IEC_PREFIXES[power]}/h`,
    decimals: power === 0 ? 0 : 1,
  };
}

/** A value of such a column back in bytes per hour, for code that compares rates across columns. */
export function bytesPerHourOf(value: number, unit: string | undefined): number {
  const prefix = SUFFIX_UNIT.exec(unit ?? '')?.[1];
  if (prefix === undefined) {
    throw new Error(`not a per-hour byte unit: ${unit}`);
  }
  return value * 1024 ** IEC_PREFIXES.indexOf(prefix as (typeof IEC_PREFIXES)[number]);
}
