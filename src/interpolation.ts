import { FilterMatcher, escapeRegex, filterToMatcher, VariableReplacer } from './prometheus/escaping';
import { RealMemoryQuery } from './types';

type FilterKey = 'namespace' | 'pod' | 'container' | 'node';
const FILTER_KEYS: FilterKey[] = ['namespace', 'pod', 'container', 'node'];

/**
 * The query with its dashboard variables resolved, written back in the editor's own filter
 * syntax (used when a panel is opened in Explore, so the values carry over). A filter that
 * resolves to several values becomes `/(a|b)/`, an exact value stays plain.
 */
export function interpolateQuery(query: RealMemoryQuery, replace: VariableReplacer): RealMemoryQuery {
  const result: RealMemoryQuery = { ...query };
  for (const key of FILTER_KEYS) {
    const matcher = filterToMatcher(query[key], replace);
    if (matcher) {
      result[key] = toFilterText(matcher);
    }
  }
  return result;
}

function toFilterText(matcher: FilterMatcher): string {
  if (matcher.op === '=~') {
    return `/${matcher.value}/`;
  }
  // An exact value that itself looks like /…/ would be read back as a regex: write it as one.
  const looksLikeRegex = matcher.value.length >= 2 && matcher.value.startsWith('/') && matcher.value.endsWith('/');
  return looksLikeRegex ? `/${escapeRegex(matcher.value)}/` : matcher.value;
}
