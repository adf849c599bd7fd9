import { escapeRegex } from '../prometheus/escaping';
import { booleanOf, describeValue } from '../settings/storedValues';
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

export type TypedQuery =
  | { ok: true; query: RealMemoryQuery }
  /** `usable`: the query without its keys of the wrong type, for the editor to show while it says so. */
  | { ok: false; error: string; usable: RealMemoryQuery };

const BOOLEAN_KEYS = ['showUsage', 'showLimits', 'showPressure', 'showEvictionOrder', 'incremental', 'hide'] as const;
const FILTERS = [...FILTER_KEYS, 'node'] as const;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const TEXT_KEYS = {
  legendFormat: 'legendFormat must be text such as {{pod}}',
  minStep: 'minStep must be a duration such as 30s, 1m or 1h',
} as const;

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
  const reject = (key: string, must: string) => {
    errors.push(`${must}, got ${describeValue(query[key])}.`);
    delete query[key];
  };
  const unset = (key: string) => query[key] === undefined || query[key] === null;
  for (const key of [...BOOLEAN_KEYS, ...FILTERS, ...Object.keys(TEXT_KEYS)].filter(unset)) {
    delete query[key];
  }
  for (const key of BOOLEAN_KEYS.filter((k) => k in query)) {
    const value = booleanOf(query[key]);
    if (value === undefined) {
      reject(key, `${key} must be true or false`);
    } else {
      query[key] = value;
    }
  }
  for (const key of FILTERS.filter((k) => k in query)) {
    const value = query[key];
    const list = Array.isArray(value) ? filterOfList(value) : undefined;
    if (list !== undefined) {
      query[key] = list;
    } else if (typeof value !== 'string') {
      reject(key, `${key} must be text (a value, /regex/ or $variable) or a list of values`);
    } else if (LONE_SURROGATE.test(value)) {
      // Not text at all: Prometheus refuses it as "invalid UTF-8 rune", naming no filter.
      reject(key, `${key} must be valid Unicode text (it holds half of a surrogate pair)`);
    }
  }
  for (const [key, must] of Object.entries(TEXT_KEYS).filter(([k]) => k in query)) {
    if (typeof query[key] !== 'string') {
      reject(key, must);
    }
  }
  const typed = query as unknown as RealMemoryQuery;
  return errors.length > 0 ? { ok: false, error: errors.join(' '), usable: typed } : { ok: true, query: typed };
}
