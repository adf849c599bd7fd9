import fc from 'fast-check';

import { filterToMatcher, VariableReplacer } from '../prometheus/escaping';
import { chipsToFilter, exactItem, filterToChips } from './filterChips';

const replace: VariableReplacer = (text) => text; // no variables defined: references stay as typed

describe('filter chips', () => {
  it('one item is stored as typed; several become one regex of escaped values', () => {
    expect(chipsToFilter({ exclude: false, items: [] })).toBe('');
    expect(chipsToFilter({ exclude: true, items: [] })).toBe('');
    expect(chipsToFilter({ exclude: false, items: ['shop'] })).toBe('shop');
    expect(chipsToFilter({ exclude: true, items: ['kube-system'] })).toBe('!kube-system');
    expect(chipsToFilter({ exclude: false, items: ['a.b', 'c'] })).toBe('/a\\.b|c/');
    expect(chipsToFilter({ exclude: true, items: ['kube-system', '/monitoring-.*/', '$ns'] })).toBe(
      '!/kube-system|monitoring-.*|$ns/'
    );
  });

  it('a picked value matches exactly itself, even one that reads like !x, /x/, $x or has spaces around (property)', () => {
    expect(exactItem('shop')).toBe('shop');
    expect(exactItem('!odd')).toBe('/!odd/');
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), fc.boolean(), (value, exclude) => {
        const matcher = filterToMatcher(chipsToFilter({ exclude, items: [exactItem(value)] }), replace);
        if (value.trim() === '') {
          return; // a blank value is no filter
        }
        const exact = matcher!.op === '=' || matcher!.op === '!=';
        expect(exact ? matcher!.value === value : new RegExp(`^(?:${matcher!.value})$`, 'u').test(value)).toBe(true);
        expect(matcher!.op.startsWith('!')).toBe(exclude);
      })
    );
  });

  it('reads a filter text back into the items it was made of', () => {
    expect(filterToChips('')).toEqual({ exclude: false, items: [] });
    expect(filterToChips('!')).toEqual({ exclude: false, items: [] });
    expect(filterToChips('shop')).toEqual({ exclude: false, items: ['shop'] });
    expect(filterToChips('/web-.*/')).toEqual({ exclude: false, items: ['/web-.*/'] });
    expect(filterToChips('!/a\\.b|c|x-.+|$ns|api-${env}/')).toEqual({
      exclude: true,
      items: ['a.b', 'c', '/x-.+/', '$ns', 'api-${env}'],
    });
    // A single regex with groups is one item, not split inside its groups or classes.
    expect(filterToChips('/(a|b)-[|]/')).toEqual({ exclude: false, items: ['/(a|b)-[|]/'] });
  });

  const value = fc.stringMatching(/^[a-z0-9][a-z0-9.\-_]{0,12}$/);
  const item = fc.oneof(
    value,
    value.map((v) => `/${v}.*/`),
    fc.constantFrom('$ns', '${pod}', 'api-$env')
  );

  it('round trip: the text of the items reads back to the same items (property)', () => {
    fc.assert(
      fc.property(fc.boolean(), fc.uniqueArray(item, { minLength: 1, maxLength: 5 }), (exclude, items) => {
        const text = chipsToFilter({ exclude, items });
        expect(chipsToFilter(filterToChips(text))).toBe(text);
        if (items.length > 1) {
          expect(filterToChips(text)).toEqual({ exclude, items });
        }
      })
    );
  });

  it('several exact values match exactly those values, included or excluded (property)', () => {
    fc.assert(
      fc.property(
        fc.boolean(),
        fc.uniqueArray(value, { minLength: 1, maxLength: 5 }),
        value,
        (exclude, values, other) => {
          const matcher = filterToMatcher(chipsToFilter({ exclude, items: values }), replace)!;
          const op = { include: { one: '=', many: '=~' }, exclude: { one: '!=', many: '!~' } };
          expect(matcher.op).toBe(op[exclude ? 'exclude' : 'include'][values.length === 1 ? 'one' : 'many']);
          const matches = (v: string) =>
            matcher.op.endsWith('~') ? new RegExp(`^(?:${matcher.value})$`, 'u').test(v) : matcher.value === v;
          for (const v of values) {
            expect(matches(v)).toBe(true);
          }
          expect(matches(other)).toBe(values.includes(other));
        }
      )
    );
  });
});
