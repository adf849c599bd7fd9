import { EXCLUDE_PREFIX, VARIABLE_PATTERN, escapeRegex } from './escaping';

/**
 * Whether Prometheus will accept a regex filter, asked in the editor before the query runs.
 * Prometheus compiles regex matchers with Go's RE2 syntax; the browser has only JavaScript's. So
 * JavaScript's RegExp finds the syntax errors both refuse (an unclosed group or class, a repeat of
 * nothing), said in RE2's words; the constructs JavaScript accepts and RE2 refuses (lookaround,
 * backreferences, escapes RE2 does not know, nested repeats, counts over 1000) are refused here;
 * and RE2's own syntax that JavaScript refuses (`(?i)`, `(?P<name>…)`, `\Q…\E`, `\pL`,
 * `[[:alpha:]]`, `\x{263a}`) is rewritten to JavaScript of the same shape before it compiles.
 * regexError.ts reads back what Prometheus itself said, for anything this misses.
 */

/** A filter text or a picker item that is a regex: `/…/`. */
export const isRegexText = (text: string) => text.length >= 2 && text.startsWith('/') && text.endsWith('/');

/** `Pod /web-(/ is not a valid regular expression: missing closing ).`, or undefined when Prometheus will take it. */
export function regexFilterProblem(label: string, typed: string): string | undefined {
  const trimmed = typed.trim();
  const text = trimmed.startsWith(EXCLUDE_PREFIX) ? trimmed.slice(EXCLUDE_PREFIX.length).trim() : trimmed;
  if (!isRegexText(text)) {
    // An exact value, or text around variables: escaped before it reaches Prometheus.
    return undefined;
  }
  // A variable's values are escaped into the regex (escaping.ts): a literal as far as the syntax goes.
  const pattern = text.slice(1, -1).replace(new RegExp(VARIABLE_PATTERN.source, 'g'), VARIABLE_STAND_IN);
  const problem = re2Problem(pattern);
  return problem ? `${label} ${trimmed} is not a valid regular expression: ${problem}.` : undefined;
}

/** A letter that is also a valid escape (`\v`), should a variable follow a backslash. */
const VARIABLE_STAND_IN = 'v';

/** Why RE2 refuses `pattern`, in RE2's words where it has them, or undefined when it accepts it. */
export function re2Problem(pattern: string): string | undefined {
  const scanned = scan(pattern);
  if ('problem' in scanned) {
    return scanned.problem;
  }
  try {
    new RegExp(scanned.javascript);
  } catch (err) {
    return inRe2Words(err instanceof Error ? err.message : String(err));
  }
  return undefined;
}

/** The letters RE2 escapes, outside a character class and inside one (\p, \x, \Q and digits apart). */
const LETTER_ESCAPES = new Set('aAbBdDfnrsStvwWz');
const CLASS_LETTER_ESCAPES = new Set('adDfnrsStvwW');
const POSIX_CLASSES = new Set(
  'alnum alpha ascii blank cntrl digit graph lower print punct space upper word xdigit'.split(' ')
);
const MAX_REPEAT = 1000;

const HEX_ESCAPE = /^\\x(?:([0-9A-Fa-f]{2})|\{([0-9A-Fa-f]+)\})/;
const UNICODE_CLASS = /^\\[pP](?:\{\^?\w+\}|\w)/;
const POSIX_CLASS = /^\[:\^?([a-z]*):\]/;
const BACKREFERENCE_NAME = /^\\k<\w*>/;
const LOOKAROUND = /^\(\?(<?[=!])/;
/** `(?i)`, `(?s-m:`: RE2's flags (case-insensitive, multi-line, dot matches newline, ungreedy). */
const FLAGS_GROUP = /^\(\?[imsU]*(?:-[imsU]+)?(\)|:)/;
const NAMED_GROUP = /^\(\?P?<([^>]*)>/;
const REPEAT = /^\{(\d+)(?:,(\d*))?\}/;

/** The repeat operator at the start of `text` (`*`, `+`, `?`, `{n}`, `{n,}`, `{n,m}`), if any. */
function repeatAt(text: string): string | undefined {
  return /^[*+?]/.test(text) ? text[0] : REPEAT.exec(text)?.[0];
}

/**
 * Walks the pattern once as RE2 reads it: refuses what only RE2 refuses, and writes a JavaScript
 * pattern of the same shape for the rest (RE2-only forms replaced by a JavaScript equivalent).
 */
function scan(pattern: string): { javascript: string } | { problem: string } {
  let out = '';
  let inClass = false;
  let i = 0;
  while (i < pattern.length) {
    const rest = pattern.slice(i);
    const c = pattern[i];
    if (c === '\\') {
      const escape = escapeAt(rest, inClass);
      if ('problem' in escape) {
        return escape;
      }
      out += escape.javascript;
      i += escape.length;
      continue;
    }
    if (inClass) {
      const posix = POSIX_CLASS.exec(rest);
      if (posix && !POSIX_CLASSES.has(posix[1])) {
        return { problem: `invalid character class range: ${posix[0]}` };
      }
      out += posix ? 'a' : c;
      i += posix ? posix[0].length : 1;
      inClass = posix !== null || c !== ']';
      continue;
    }
    if (c === '[') {
      inClass = true;
      // RE2 reads a ] right after [ or [^ as a member; JavaScript would end the class there.
      const open = rest.startsWith('[^') ? '[^' : '[';
      const bracket = pattern[i + open.length] === ']';
      out += open + (bracket ? '\\]' : '');
      i += open.length + (bracket ? 1 : 0);
      continue;
    }
    if (rest.startsWith('(?')) {
      const group = groupAt(rest);
      if ('problem' in group) {
        return group;
      }
      out += group.javascript;
      i += group.length;
      continue;
    }
    if (c === '^' || c === '$') {
      // RE2 lets an anchor repeat (`^*`); JavaScript does not, but does an empty group.
      out += '(?:)';
      i++;
      continue;
    }
    const repeat = repeatAt(rest);
    if (repeat !== undefined) {
      const problem = repeatProblem(repeat, rest.slice(repeat.length));
      if (problem) {
        return { problem };
      }
    }
    out += c;
    i++;
  }
  return inClass ? { problem: 'missing closing ]' } : { javascript: out };
}

type Piece = { javascript: string; length: number } | { problem: string };

/** An escape at the start of `text` (which starts with a backslash). */
function escapeAt(text: string, inClass: boolean): Piece {
  const next = text[1];
  if (next === undefined) {
    return { problem: 'trailing backslash at end of expression' };
  }
  if (next === 'Q' && !inClass) {
    // Prometheus adds `)$` after the regex: without \E, \Q would take those literally too.
    const end = text.indexOf('\\E', 2);
    return end < 0
      ? { problem: 'missing closing ): \\Q without \\E' }
      : { javascript: escapeRegex(text.slice(2, end)), length: end + 2 };
  }
  if (next === 'p' || next === 'P') {
    const unicode = UNICODE_CLASS.exec(text);
    return unicode
      ? { javascript: inClass ? 'a' : '.', length: unicode[0].length }
      : { problem: `invalid character class range: \\${next}` };
  }
  if (next === 'x') {
    const hex = HEX_ESCAPE.exec(text);
    if (!hex) {
      return { problem: 'invalid escape sequence: \\x without two hex digits or {…}' };
    }
    // RE2's \x{263a} as JavaScript's \u263a (beyond 16 bits, the last of them), so ranges keep their order.
    const code = Math.min(parseInt(hex[1] ?? hex[2], 16), 0xffff);
    return { javascript: `\\u${code.toString(16).padStart(4, '0')}`, length: hex[0].length };
  }
  if (next === 'k') {
    return { problem: `backreference ${BACKREFERENCE_NAME.exec(text)?.[0] ?? '\\k'} is not supported` };
  }
  // \1 to \7 before an octal digit is an octal escape; alone, and \8 or \9, a backreference.
  if (/[1-9]/.test(next) && !/^[1-7][0-7]/.test(text.slice(1, 3))) {
    return { problem: `backreference \\${next} is not supported` };
  }
  const letters = inClass ? CLASS_LETTER_ESCAPES : LETTER_ESCAPES;
  // Any ASCII punctuation may be escaped; no other character (RE2 has no \u, \e, \Z, \h, \cX, …).
  if ((/[A-Za-z]/.test(next) && !letters.has(next)) || next.charCodeAt(0) > 127) {
    return { problem: `invalid escape sequence: \\${next}` };
  }
  if ((next === 'b' || next === 'B') && !inClass) {
    // A word boundary, which RE2 lets repeat (`\b*`) and JavaScript does not; an empty group it does.
    return { javascript: '(?:)', length: 2 };
  }
  // JavaScript reads \A and \z as letters: the same shape as RE2's anchors.
  return { javascript: text.slice(0, 2), length: 2 };
}

/** A group opening with `(?` at the start of `text`. */
function groupAt(text: string): Piece {
  const lookaround = LOOKAROUND.exec(text);
  if (lookaround) {
    const kind = lookaround[1].startsWith('<') ? 'lookbehind' : 'lookahead';
    return { problem: `${kind} (?${lookaround[1]} is not supported` };
  }
  const flags = FLAGS_GROUP.exec(text);
  if (flags) {
    // JavaScript has no inline flags: the group without them, or nothing (which, as in RE2, nothing can repeat).
    return { javascript: flags[1] === ':' ? '(?:' : '', length: flags[0].length };
  }
  if (/^\(\?P?<(?![=!])/.test(text)) {
    // A plain group: JavaScript's rules for names (and their duplicates) are not RE2's.
    const named = NAMED_GROUP.exec(text);
    return named && /^\w+$/.test(named[1])
      ? { javascript: '(', length: named[0].length }
      : { problem: `invalid named capture: ${named?.[0] ?? text.slice(0, text.indexOf('<') + 1)}` };
  }
  // Anything else after (? is no group RE2 knows; JavaScript says so.
  return { javascript: '(?', length: 2 };
}

/** RE2 refuses a count over 1000, and a repeat of a repeat (`a**`; `a*?`, the lazy form, is fine). */
function repeatProblem(repeat: string, after: string): string | undefined {
  const counts = REPEAT.exec(repeat)?.slice(1) ?? [];
  if (counts.some((n) => n !== undefined && n !== '' && Number(n) > MAX_REPEAT)) {
    return `invalid repeat count: ${repeat} (at most ${MAX_REPEAT})`;
  }
  const lazy = after.startsWith('?') ? '?' : '';
  const nested = repeatAt(after.slice(lazy.length));
  return nested !== undefined ? `invalid nested repetition operator: ${repeat}${lazy}${nested}` : undefined;
}

/**
 * JavaScript engines' messages (V8, SpiderMonkey, JavaScriptCore) in RE2's words, as Prometheus
 * would say them; another message is kept as the engine gave it.
 */
const RE2_WORDS: Array<[RegExp, string]> = [
  [/unterminated group|unterminated parenthetical|missing \)/i, 'missing closing )'],
  [/unmatched '?\)'?|unmatched parenthes/i, 'unexpected )'],
  [/unterminated character class|missing terminating \]/i, 'missing closing ]'],
  [/nothing to repeat/i, 'missing argument to repetition operator'],
  [/numbers out of order/i, 'invalid repeat count'],
  [/range out of order|invalid range in character class/i, 'invalid character class range'],
  [/\\ at end of pattern/i, 'trailing backslash at end of expression'],
  [/invalid group|invalid regexp group|unrecognized character after \(\?/i, 'invalid or unsupported Perl syntax'],
];

function inRe2Words(message: string): string {
  const known = RE2_WORDS.find(([engine]) => engine.test(message));
  // V8: "Invalid regular expression: /(/: Unterminated group"; keep what follows the pattern.
  return known ? known[1] : message.replace(/^Invalid regular expression: \/.*\/[a-z]*: /s, '');
}
