import { EXCLUDE_PREFIX, FilterMatcher, escapeRegex, filterToMatcher, VariableReplacer } from './prometheus/escaping';
import { FILTER_KEYS, RealMemoryQuery } from './types';

/** The query's filters plus the nodes view's node filter: all take the same syntax. */
const INTERPOLATED_KEYS = [...FILTER_KEYS, 'node'] as const;

/**
 * The query with its dashboard variables resolved, written back in the editor's own filter
 * syntax (used when a panel is opened in Explore, so the values carry over). A filter that
 * resolves to several values becomes `/(a|b)/`, an exact value stays plain, an exclusion keeps its `!`.
 */
export function interpolateQuery(query: RealMemoryQuery, replace: VariableReplacer): RealMemoryQuery {
  const result: RealMemoryQuery = { ...query };
  for (const key of INTERPOLATED_KEYS) {
    const matcher = filterToMatcher(query[key], replace);
    if (matcher) {
      result[key] = toFilterText(matcher);
    }
  }
  return result;
}

function toFilterText(matcher: FilterMatcher): string {
  const exclude = matcher.op === '!=' || matcher.op === '!~';
  const prefix = exclude ? EXCLUDE_PREFIX : '';
  if (matcher.op === '=~' || matcher.op === '!~') {
    return `${prefix}/${matcher.value}/`;
  }
  // An exact value that itself looks like /…/ or starts with "!" would be read back as a regex or
  // an exclusion: write it as an escaped regex.
  const value = matcher.value;
  const ambiguous = (value.length >= 2 && value.startsWith('/') && value.endsWith('/')) || value.startsWith(EXCLUDE_PREFIX);
  return prefix + (ambiguous ? `/${escapeRegex(value)}/` : value);
}
