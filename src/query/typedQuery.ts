import { escapeRegex } from '../prometheus/escaping';
import { describeValue } from '../settings/describeValue';
import { FILTER_KEYS, RealMemoryQuery } from '../types';

/**
 * The types of a stored query's keys, checked before anything interpolates or parses them
 * (dashboards from other versions, provisioning YAML, templating tools): `namespace: 42`,
 * `showLimits: "false"`, `legendFormat: 42`. The values themselves are checked afterwards by
 * validate.ts, which names the allowed values.
 * - Booleans are true or false; "true" and "false" are read as such, without a word.
 * - Filters are text, or a list of texts, read as "any of these exactly" (`/(a|b)/`, escaped).
 * - legendFormat and minStep are text.
 * Anything else fails the query with a message naming the key and what arrived.
 */

export type TypedQuery = { ok: true; query: RealMemoryQuery } | { ok: false; error: string };

const BOOLEAN_KEYS = ['showUsage', 'showLimits', 'showPressure', 'showEvictionOrder', 'incremental', 'hide'] as const;
const FILTERS = [...FILTER_KEYS, 'node'] as const;
const TEXT_KEYS = {
  legendFormat: 'legendFormat must be text such as {{pod}}',
  minStep: 'minStep must be a duration such as 30s, 1m or 1h',
} as const;

function booleanOf(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') {
    return value;
  }
  const text = typeof value === 'string' ? value.trim().toLowerCase() : undefined;
  return text === 'true' ? true : text === 'false' ? false : undefined;
}

/** A list of exact values as the filter syntax writes it: any of them, each matched exactly. */
function filterOfList(values: unknown[]): string | undefined {
  if (!values.every((v) => typeof v === 'string')) {
    return undefined;
  }
  const texts = (values as string[]).filter((v) => v !== '');
  return texts.length === 0 ? '' : `/(${texts.map(escapeRegex).join('|')})/`;
}

export function typedQuery(stored: RealMemoryQuery): TypedQuery {
  const query: Record<string, unknown> = { ...stored };
  const errors: string[] = [];
  for (const key of BOOLEAN_KEYS) {
    const value = query[key];
    if (value === undefined || value === null) {
      delete query[key];
    } else if (booleanOf(value) === undefined) {
      errors.push(`${key} must be true or false, got ${describeValue(value)}.`);
    } else {
      query[key] = booleanOf(value);
    }
  }
  for (const key of FILTERS) {
    const value = query[key];
    if (value === undefined || value === null) {
      delete query[key];
    } else if (Array.isArray(value) && filterOfList(value) !== undefined) {
      query[key] = filterOfList(value);
    } else if (typeof value !== 'string') {
      errors.push(
        `${key} must be text (a value, /regex/ or $variable) or a list of values, got ${describeValue(value)}.`
      );
    }
  }
  for (const [key, must] of Object.entries(TEXT_KEYS)) {
    const value = query[key];
    if (value === undefined || value === null) {
      delete query[key];
    } else if (typeof value !== 'string') {
      errors.push(`${must}, got ${describeValue(value)}.`);
    }
  }
  return errors.length > 0
    ? { ok: false, error: errors.join(' ') }
    : { ok: true, query: query as unknown as RealMemoryQuery };
}
