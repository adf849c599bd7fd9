import { FilterMatcher } from './escaping';

/**
 * Prometheus compiles a regex matcher as `^(?:<value>)$` and, when RE2 refuses it, answers with
 * that rewritten form or the piece it choked on (`error parsing regexp: missing closing ):
 * \`^(?:()$\``), which the user never typed and which names no filter. This finds the filter whose
 * regex it was and says it in the user's terms. RE2 is not JavaScript's regex syntax, so the check
 * is Prometheus' own, read back.
 */

const REGEX_ERROR = /error parsing regexp: (.*?): `([\s\S]*)`/;

export interface TypedFilter {
  key: string;
  /** As stored in the query, e.g. `/(/` or `!/web-(/`. */
  typed: string;
  matcher: FilterMatcher | null;
}

/** "pod /(/ is not a valid RE2 regular expression (…): missing closing )", or undefined when no filter fits. */
export function regexFilterError(message: string, filters: TypedFilter[]): string | undefined {
  const m = REGEX_ERROR.exec(message);
  if (!m) {
    return undefined;
  }
  const [, reason, piece] = m;
  const fragment = piece.replace(/^\^\(\?:/, '').replace(/\)\$$/, '');
  const culprit = filters.find(
    (f) => (f.matcher?.op === '=~' || f.matcher?.op === '!~') && f.matcher.value.includes(fragment)
  );
  return culprit
    ? `${culprit.key} ${culprit.typed.trim()} is not a valid RE2 regular expression (the syntax Prometheus reads): ${reason}.`
    : undefined;
}
