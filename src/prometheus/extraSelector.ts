/**
 * Parses and validates the data source's optional "extra selector", a comma-separated list of
 * PromQL label matchers such as `cluster="prod", job=~"kubelet|cadvisor"` (braces optional).
 * Pure: no Grafana imports. Errors name what is wrong and where (1-based column), so the
 * config editor can refuse a selector before it is saved instead of Prometheus refusing every query.
 */
import { quotePromString } from './escaping';

export type MatchOp = '=' | '!=' | '=~' | '!~';

export interface LabelMatcher {
  label: string;
  op: MatchOp;
  /** The unquoted value. */
  value: string;
}

export type ExtraSelectorResult = { ok: true; matchers: LabelMatcher[] } | { ok: false; error: string };

const LABEL_START = /[a-zA-Z_]/;
const LABEL_CHAR = /[a-zA-Z0-9_]/;
const SIMPLE_ESCAPES: Record<string, string> = {
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  '\\': '\\',
};

class SelectorError extends Error {}

export function parseExtraSelector(input: string): ExtraSelectorResult {
  try {
    return { ok: true, matchers: new Parser(typeof input === 'string' ? input : '').parse() };
  } catch (e) {
    if (e instanceof SelectorError) {
      return { ok: false, error: e.message };
    }
    throw e;
  }
}

/** Formats matchers as PromQL, values double-quoted and escaped, e.g. `cluster="prod", job!="x"`. */
export function formatMatchers(matchers: LabelMatcher[]): string {
  return matchers.map((m) => `${m.label}${m.op}${quotePromString(m.value)}`).join(', ');
}

class Parser {
  private pos = 0;
  constructor(private readonly text: string) {}

  parse(): LabelMatcher[] {
    const matchers: LabelMatcher[] = [];
    this.skipSpace();
    const braced = this.peek() === '{';
    if (braced) {
      this.pos++;
    }
    for (;;) {
      this.skipSpace();
      if (this.atEnd() || (braced && this.peek() === '}')) {
        break;
      }
      matchers.push(this.matcher());
      this.skipSpace();
      if (this.peek() === ',') {
        this.pos++;
        continue;
      }
      if (this.atEnd() || (braced && this.peek() === '}')) {
        break;
      }
      if (!braced && this.peek() === '}') {
        this.fail('unexpected "}" without an opening "{"');
      }
      this.fail(`expected "," between matchers`);
    }
    if (braced) {
      if (this.peek() !== '}') {
        this.fail('missing closing "}"');
      }
      this.pos++;
      this.skipSpace();
    }
    if (!this.atEnd()) {
      this.fail(`unexpected "${this.peek()}" after the selector`);
    }
    return matchers;
  }

  private matcher(): LabelMatcher {
    const label = this.labelName();
    this.skipSpace();
    const op = this.op(label);
    this.skipSpace();
    const value = this.quoted(label);
    return { label, op, value };
  }

  private labelName(): string {
    const start = this.pos;
    if (this.atEnd() || !LABEL_START.test(this.peek())) {
      const found = this.atEnd() ? 'end of text' : `"${this.peek()}"`;
      this.fail(`expected a label name (letters, digits and "_", not starting with a digit), found ${found}`);
    }
    while (!this.atEnd() && LABEL_CHAR.test(this.peek())) {
      this.pos++;
    }
    const name = this.text.slice(start, this.pos);
    if (!this.atEnd() && /[-.\/:]/.test(this.peek())) {
      this.fail(
        `"${this.peek()}" is not allowed in a label name ("${name}${this.peek()}…"); use letters, digits and "_"`
      );
    }
    return name;
  }

  private op(label: string): MatchOp {
    for (const op of ['=~', '!~', '!=', '='] as const) {
      if (this.text.startsWith(op, this.pos)) {
        // `==` is PromQL's comparison operator, a common slip.
        if (op === '=' && this.text[this.pos + 1] === '=') {
          this.fail(`"==" after "${label}": use "=" to match a label`);
        }
        this.pos += op.length;
        return op;
      }
    }
    const found = this.atEnd() ? 'end of text' : `"${this.peek()}"`;
    return this.fail(`expected one of = != =~ !~ after "${label}", found ${found}`);
  }

  private quoted(label: string): string {
    const quote = this.peek();
    if (quote !== '"' && quote !== "'" && quote !== '`') {
      const found = this.atEnd() ? 'end of text' : `"${this.peek()}"`;
      return this.fail(`the value of "${label}" must be quoted, e.g. ${label}="value"; found ${found}`);
    }
    const open = this.pos;
    this.pos++;
    let out = '';
    for (;;) {
      if (this.atEnd()) {
        this.pos = open;
        return this.fail(`the value of "${label}" has no closing ${quote}`);
      }
      const c = this.peek();
      if (c === quote) {
        this.pos++;
        return out;
      }
      if (quote !== '`' && c === '\n') {
        this.fail(`line break inside the quoted value of "${label}"; write \\n`);
      }
      if (quote !== '`' && c === '\\') {
        out += this.escape(quote, label);
        continue;
      }
      out += c;
      this.pos++;
    }
  }

  /** Go/PromQL escape sequences inside "…" and '…'. */
  private escape(quote: string, label: string): string {
    const at = this.pos;
    const c = this.text[at + 1];
    if (c === undefined) {
      this.fail(`the value of "${label}" ends with a lone "\\"`);
    }
    if (c in SIMPLE_ESCAPES || c === quote) {
      this.pos += 2;
      return SIMPLE_ESCAPES[c] ?? c;
    }
    const hex = (len: number, base: number, kind: string) => {
      const digits = this.text.slice(at + 2 - (base === 8 ? 1 : 0), at + 2 - (base === 8 ? 1 : 0) + len);
      const re = base === 8 ? /^[0-7]+$/ : /^[0-9a-fA-F]+$/;
      if (digits.length !== len || !re.test(digits)) {
        this.fail(`bad ${kind} escape in the value of "${label}"`, at);
      }
      const code = parseInt(digits, base);
      if (code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) {
        this.fail(`${kind} escape out of range in the value of "${label}"`, at);
      }
      this.pos = at + 2 - (base === 8 ? 1 : 0) + len;
      return String.fromCodePoint(code);
    };
    if (c === 'x') {
      return hex(2, 16, '\\x');
    }
    if (c === 'u') {
      return hex(4, 16, '\\u');
    }
    if (c === 'U') {
      return hex(8, 16, '\\U');
    }
    if (/[0-7]/.test(c)) {
      return hex(3, 8, 'octal');
    }
    return this.fail(
      `unknown escape "\\${c}" in the value of "${label}": for a regex backslash write "\\\\${c}", or quote the value with backticks`,
      at
    );
  }

  private skipSpace() {
    while (!this.atEnd() && /\s/.test(this.peek())) {
      this.pos++;
    }
  }

  private peek(): string {
    return this.text[this.pos];
  }

  private atEnd(): boolean {
    return this.pos >= this.text.length;
  }

  private fail(message: string, at = this.pos): never {
    throw new SelectorError(`${message} (column ${at + 1})`);
  }
}
