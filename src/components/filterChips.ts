import { EXCLUDE_PREFIX, VARIABLE_PATTERN, escapeRegex, escapeTextAroundVariables } from '../prometheus/escaping';
import { isRegexText } from '../prometheus/regexCheck';

/**
 * A filter as the picker shows it: include or exclude, and the chosen items. An item is an exact
 * value, a `/regex/`, or text with `$variables`. Stored in the query model as one filter text
 * (escaping.ts reads it): one item as typed, several as one anchored regex `/a|b/` with exact values
 * escaped, and a leading `!` to exclude. Pure, so the round trip is tested without a browser.
 */
export interface FilterChips {
  exclude: boolean;
  items: string[];
}

const hasVariable = (text: string) => new RegExp(VARIABLE_PATTERN.source).test(text);
const WHOLE_VARIABLE = new RegExp(`^(?:${VARIABLE_PATTERN.source})$`);

/**
 * A label value picked from the list, as an item that matches exactly it: as it is, unless it
 * would read as something else (`!x` an exclusion, `/x/` a regex, `$x` a variable), then as an
 * escaped regex.
 */
export function exactItem(value: string): string {
  const ambiguous =
    value.trim() !== value || value.startsWith(EXCLUDE_PREFIX) || isRegexText(value) || hasVariable(value);
  return ambiguous ? `/${escapeRegex(value)}/` : value;
}

/** The filter text for the picker's state. */
export function chipsToFilter({ exclude, items }: FilterChips): string {
  const kept = items.map((i) => i.trim()).filter((i) => i !== '');
  if (kept.length === 0) {
    return '';
  }
  const body = kept.length === 1 ? kept[0] : `/${kept.map(asAlternative).join('|')}/`;
  return (exclude ? EXCLUDE_PREFIX : '') + body;
}

/** One item as a branch of the combined regex, matching exactly what the item alone matches. */
function asAlternative(item: string): string {
  if (isRegexText(item)) {
    // Alternation binds loosest and Prometheus anchors the whole regex: a branch needs no group.
    return item.slice(1, -1);
  }
  return hasVariable(item) ? escapeTextAroundVariables(item) : escapeRegex(item);
}

/** The picker's state for a filter text; `chipsToFilter` of it selects the same series. */
export function filterToChips(filter: string | undefined): FilterChips {
  const typed = (filter ?? '').trim();
  const exclude = typed.startsWith(EXCLUDE_PREFIX);
  const text = exclude ? typed.slice(EXCLUDE_PREFIX.length).trim() : typed;
  if (text === '') {
    return { exclude: false, items: [] };
  }
  if (!isRegexText(text)) {
    return { exclude, items: [text] };
  }
  const branches = splitAlternatives(text.slice(1, -1));
  if (branches.length < 2) {
    return { exclude, items: [text] };
  }
  return { exclude, items: branches.map(branchToItem) };
}

/** A branch back to an item: an exact value or a variable where it is one, else a `/regex/`. */
function branchToItem(branch: string): string {
  if (WHOLE_VARIABLE.test(branch)) {
    return branch;
  }
  const literal = unescapeLiteral(branch);
  return literal !== null && literal !== '' && !isRegexText(literal) && !literal.startsWith(EXCLUDE_PREFIX)
    ? literal
    : `/${branch}/`;
}

/** Splits a regex at its top-level `|`, respecting escapes, groups and character classes. */
function splitAlternatives(regex: string): string[] {
  const branches: string[] = [];
  let depth = 0;
  let inClass = false;
  let start = 0;
  for (let i = 0; i < regex.length; i++) {
    const c = regex[i];
    if (c === '\\') {
      i++;
    } else if (inClass) {
      inClass = c !== ']';
    } else if (c === '[') {
      inClass = true;
    } else if (c === '(') {
      depth++;
    } else if (c === ')') {
      depth--;
    } else if (c === '|' && depth === 0) {
      branches.push(regex.slice(start, i));
      start = i + 1;
    }
  }
  branches.push(regex.slice(start));
  return branches;
}

const META = '\\^$*+?.()|[]{}';

/** The text a branch matches literally (variables kept), or null when it uses regex syntax. */
function unescapeLiteral(branch: string): string | null {
  let out = '';
  const variables = new RegExp(VARIABLE_PATTERN.source, 'y');
  for (let i = 0; i < branch.length; i++) {
    const c = branch[i];
    if (c === '\\') {
      const next = branch[i + 1];
      if (next === undefined || !META.includes(next)) {
        return null;
      }
      out += next;
      i++;
      continue;
    }
    if (c === '$') {
      variables.lastIndex = i;
      const ref = variables.exec(branch);
      if (!ref) {
        return null;
      }
      out += ref[0];
      i += ref[0].length - 1;
      continue;
    }
    if (META.includes(c)) {
      return null;
    }
    out += c;
  }
  return out;
}
