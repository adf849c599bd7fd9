import fc from 'fast-check';

import { escapeRegex, filterToMatcher, quotePromString, regexVariableFormatter, VariableReplacer } from './escaping';

/** A stand-in for Grafana's templateSrv.replace with a few variables. */
const variables: Record<string, string | string[]> = {
  ns: 'shop',
  pods: ['api-0', 'api.1'],
  evil: 'a"b\\c}d|e.*\nf',
  one: ['only'],
};
const replace: VariableReplacer = (text, formatter) =>
  text.replace(/\$\{(\w+)\}|\$(\w+)/g, (whole, braced, plain) => {
    const value = variables[braced ?? plain];
    return value === undefined ? whole : formatter(value);
  });

describe('escapeRegex', () => {
  it('escapes every RE2 metacharacter', () => {
    expect(escapeRegex('a.b*c+d?e^f$g(h)i[j]k{l}m|n\\o')).toBe('a\\.b\\*c\\+d\\?e\\^f\\$g\\(h\\)i\\[j\\]k\\{l\\}m\\|n\\\\o');
  });

  it('the escaped value, as a regex, matches exactly the original (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), fc.string({ unit: 'grapheme' }), (value, other) => {
        const re = new RegExp(`^(?:${escapeRegex(value)})$`, 'u');
        expect(re.test(value)).toBe(true);
        if (other !== value) {
          expect(re.test(other)).toBe(false);
        }
      })
    );
  });
});

describe('quotePromString', () => {
  it('escapes quotes, backslashes and newlines the way PromQL (Go) reads them', () => {
    expect(quotePromString('a"b\\c\nd\te')).toBe('"a\\"b\\\\c\\nd\\te"');
  });

  it('round-trips through a Go-style string reader (JSON is a subset) for any text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (value) => {
        // JSON string syntax accepts the escapes we emit; other control characters stay raw, which PromQL allows.
        const asJson = quotePromString(value).replace(/[\u0000-\u001f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
        expect(JSON.parse(asJson)).toBe(value);
      })
    );
  });
});

describe('filterToMatcher', () => {
  it('empty means any value', () => {
    expect(filterToMatcher('', replace)).toBeNull();
    expect(filterToMatcher('   ', replace)).toBeNull();
    expect(filterToMatcher(undefined, replace)).toBeNull();
  });

  it('a plain value is an exact match, kept verbatim (quoting happens later)', () => {
    expect(filterToMatcher('api.v1', replace)).toEqual({ op: '=', value: 'api.v1' });
  });

  it('/…/ is a regex, passed through', () => {
    expect(filterToMatcher('/api-.*/', replace)).toEqual({ op: '=~', value: 'api-.*' });
  });

  it('a multi-value variable becomes an alternation of escaped values', () => {
    expect(filterToMatcher('$pods', replace)).toEqual({ op: '=~', value: '(api-0|api\\.1)' });
  });

  it('literal text around a variable is matched exactly', () => {
    expect(filterToMatcher('x.$ns', replace)).toEqual({ op: '=~', value: 'x\\.shop' });
  });

  it('a leading ! excludes whatever the rest matches', () => {
    expect(filterToMatcher('!kube-system', replace)).toEqual({ op: '!=', value: 'kube-system' });
    expect(filterToMatcher(' ! /kube-.*/ ', replace)).toEqual({ op: '!~', value: 'kube-.*' });
    expect(filterToMatcher('!$pods', replace)).toEqual({ op: '!~', value: '(api-0|api\\.1)' });
    expect(filterToMatcher('!x.$ns', replace)).toEqual({ op: '!~', value: 'x\\.shop' });
    // A lone "!" (half typed) excludes nothing.
    expect(filterToMatcher('!', replace)).toBeNull();
    // To match a value that starts with "!", write it as a regex.
    expect(filterToMatcher('/!x/', replace)).toEqual({ op: '=~', value: '!x' });
  });

  it('an exclusion matches exactly the complement of the inclusion (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', minLength: 1 }), (typed) => {
        const inclusion = filterToMatcher(typed, replace);
        const exclusion = filterToMatcher('!' + typed, replace);
        if (typed.trim().startsWith('!') || inclusion === null) {
          return;
        }
        expect(exclusion).toEqual({ op: inclusion.op === '=' ? '!=' : '!~', value: inclusion.value });
      })
    );
  });

  it('a single-element multi-value has no parentheses', () => {
    expect(regexVariableFormatter(['only'])).toBe('only');
  });

  it('a hostile variable value only ever matches itself', () => {
    const m = filterToMatcher('${evil}', replace)!;
    expect(m.op).toBe('=~');
    expect(new RegExp(`^(?:${m.value})$`).test(variables.evil as string)).toBe(true);
    expect(new RegExp(`^(?:${m.value})$`).test('a"b\\c}d')).toBe(false);
  });
});
