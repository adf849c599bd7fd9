import { regexFilterError } from './regexError';

const PROMETHEUS = 'Prometheus error (bad_data): 1:36: parse error: error parsing regexp: missing closing ): `^(?:()$`';

describe('a regex Prometheus refused, named by its filter', () => {
  it('finds the filter whose regex it was, and says it as typed', () => {
    const filters = [
      { key: 'namespace', typed: 'shop', matcher: { op: '=' as const, value: 'shop' } },
      { key: 'pod', typed: ' !/(/ ', matcher: { op: '!~' as const, value: '(' } },
    ];
    expect(regexFilterError(PROMETHEUS, filters)).toBe(
      'pod !/(/ is not a valid RE2 regular expression (the syntax Prometheus reads): missing closing ).'
    );
  });

  it('finds it by the piece RE2 quotes, when that is all it quotes', () => {
    const piece = 'Prometheus error (bad_data): 1:36: parse error: error parsing regexp: missing closing ]: `[a})$`';
    const filters = [{ key: 'cluster', typed: 'x${0:[a}', matcher: { op: '=~' as const, value: 'x${0:[a}' } }];
    expect(regexFilterError(piece, filters)).toMatch(
      /^cluster x\$\{0:\[a\} is not a valid RE2 regular expression .*: missing closing \]\.$/
    );
  });

  it('leaves other errors, and regexes of no filter (an ad-hoc filter, the extra selector), alone', () => {
    expect(regexFilterError('Prometheus error (bad_data): 1:3: parse error: unexpected', [])).toBeUndefined();
    expect(
      regexFilterError(PROMETHEUS, [{ key: 'pod', typed: '/a[/', matcher: { op: '=~', value: 'a[' } }])
    ).toBeUndefined();
  });
});
