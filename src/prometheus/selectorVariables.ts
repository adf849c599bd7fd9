import {
  escapeTextAroundVariables,
  quotePromString,
  regexVariableFormatter,
  VARIABLE_PATTERN,
  VariableReplacer,
} from './escaping';
import { LabelMatcher, MatchOp, parseExtraSelector } from './extraSelector';

/**
 * Turns a user-typed selector such as `job="kubelet", node=~"$node"` into PromQL matchers with
 * every dashboard value escaped. The text is parsed before interpolation, so a value can never
 * close its quotes or add matchers. In a regex matcher each value is regex-escaped and several
 * values become `(a|b)`; an equality matcher holding a variable becomes a regex matcher whose
 * literal text is escaped, so multi-value and All work there too.
 */
export function interpolateSelector(text: string | undefined, replace: VariableReplacer): string[] {
  const parsed = parseExtraSelector(text ?? '');
  if (!parsed.ok) {
    throw new Error(`Invalid selector: ${parsed.error}`);
  }
  return parsed.matchers.map((m) => formatMatcher(interpolateMatcher(m, replace)));
}

function interpolateMatcher(m: LabelMatcher, replace: VariableReplacer): LabelMatcher {
  const hasVariable = new RegExp(VARIABLE_PATTERN.source).test(m.value);
  if (!hasVariable) {
    return m;
  }
  if (m.op === '=~' || m.op === '!~') {
    return { ...m, value: replace(m.value, regexVariableFormatter) };
  }
  const op: MatchOp = m.op === '=' ? '=~' : '!~';
  return { ...m, op, value: replace(escapeTextAroundVariables(m.value), regexVariableFormatter) };
}

function formatMatcher(m: LabelMatcher): string {
  return `${m.label}${m.op}${quotePromString(m.value)}`;
}
