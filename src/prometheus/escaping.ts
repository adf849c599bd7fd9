/**
 * Escaping of user and dashboard values before they enter PromQL. Two layers, as in Grafana's
 * Prometheus data source (packages/grafana-prometheus/src/escaping.ts):
 *   1. a value meant literally inside a regex matcher gets its RE2 metacharacters escaped;
 *   2. any matcher value is then written as a PromQL double-quoted string literal.
 */

/** Escapes RE2 metacharacters so the value matches only itself. */
export function escapeRegex(value: string): string {
  return value.replace(/[\\^$*+?.()|[\]{}]/g, '\\$&');
}

/** Writes a PromQL double-quoted string literal (Go escapes: \\ \" \n \r \t). */
export function quotePromString(value: string): string {
  const escaped = value.replace(/[\\"\n\r\t]/g, (c) => STRING_ESCAPES[c]);
  return `"${escaped}"`;
}

const STRING_ESCAPES: Record<string, string> = { '\\': '\\\\', '"': '\\"', '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/**
 * Grafana's variable syntaxes: $var, ${var}, ${var:format}, ${var.field}, [[var]], [[var:format]].
 * Kept in step with Grafana's templateSrv so literal text around variables can be told apart.
 */
export const VARIABLE_PATTERN = /\$(\w+)|\[\[(\w+?)(?::(\w+))?\]\]|\${(\w+)(?:\.([^:^}]+))?(?::([^}]+))?}/g;

/** Turns one variable's value(s) into a regex fragment matching exactly those values. */
export function regexVariableFormatter(value: string | string[]): string {
  if (Array.isArray(value)) {
    return value.length === 1 ? escapeRegex(value[0]) : `(${value.map(escapeRegex).join('|')})`;
  }
  return escapeRegex(String(value));
}

/** Interpolates dashboard variables in `text`, each value passed through `formatter`. */
export type VariableReplacer = (text: string, formatter: (value: string | string[]) => string) => string;

export type FilterMatcher = { op: '=' | '!=' | '=~' | '!~'; value: string };

/** A leading "!" excludes what the rest of the filter matches: `!kube-system`, `!/kube-.*\/`, `!$ns`. */
export const EXCLUDE_PREFIX = '!';

/**
 * Reads a filter as typed in the editor and returns the matcher it stands for, or null for "any".
 *   ""            → any value
 *   "checkout"    → exactly "checkout"
 *   "/check.*\/"   → the regex check.*  (variables inside are escaped as literals)
 *   "$pod", "api-$env" → variables expanded (multi-value → (a|b)), literal text matched exactly
 *   "!…"          → any of the above, negated (`!=`, `!~`): everything but what it matches
 */
export function filterToMatcher(filter: string | undefined, replaceVariables: VariableReplacer): FilterMatcher | null {
  const typed = (filter ?? '').trim();
  const exclude = typed.startsWith(EXCLUDE_PREFIX);
  const text = exclude ? typed.slice(EXCLUDE_PREFIX.length).trim() : typed;
  if (text === '') {
    // A lone "!" excludes nothing; treating it as "any" keeps a half-typed filter harmless.
    return null;
  }
  const positive = includeMatcher(text, replaceVariables);
  if (!exclude) {
    return positive;
  }
  return { op: positive.op === '=' ? '!=' : '!~', value: positive.value };
}

function includeMatcher(text: string, replaceVariables: VariableReplacer): { op: '=' | '=~'; value: string } {
  const isRegex = text.length >= 2 && text.startsWith('/') && text.endsWith('/');
  if (isRegex) {
    return { op: '=~', value: replaceVariables(text.slice(1, -1), regexVariableFormatter) };
  }
  if (!new RegExp(VARIABLE_PATTERN.source).test(text)) {
    return { op: '=', value: text };
  }
  // Escape the literal text between variable references, then let Grafana expand the variables.
  const escapedTemplate = escapeTextAroundVariables(text);
  return { op: '=~', value: replaceVariables(escapedTemplate, regexVariableFormatter) };
}

/** Regex-escapes the literal text between variable references, leaving the references to Grafana. */
export function escapeTextAroundVariables(text: string): string {
  let escaped = '';
  let last = 0;
  for (const match of text.matchAll(new RegExp(VARIABLE_PATTERN.source, 'g'))) {
    escaped += escapeRegex(text.slice(last, match.index)) + match[0];
    last = match.index! + match[0].length;
  }
  return escaped + escapeRegex(text.slice(last));
}
