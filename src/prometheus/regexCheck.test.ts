import { re2Problem, regexFilterProblem } from './regexCheck';

// What Prometheus answered for each pattern: promtool (Go's regexp/syntax) compiling `{pod=~"<pattern>"}`.

describe('re2Problem: the syntax errors JavaScript finds, in RE2 words', () => {
  it.each([
    ['web-(', 'missing closing )'],
    ['(a|b', 'missing closing )'],
    ['web-)', 'unexpected )'],
    ['[abc', 'missing closing ]'],
    ['*a', 'missing argument to repetition operator'],
    ['a|*', 'missing argument to repetition operator'],
    ['{2}', 'missing argument to repetition operator'],
    ['a{2,1}', 'invalid repeat count'],
    ['[z-a]', 'invalid character class range'],
    ['(?x)web', 'invalid or unsupported Perl syntax'],
    ['(?i-)x', 'invalid or unsupported Perl syntax'],
    ['(?>x)', 'invalid or unsupported Perl syntax'],
  ])('%s: %s', (pattern, problem) => {
    expect(re2Problem(pattern)).toBe(problem);
  });
});

describe('re2Problem: what JavaScript accepts and RE2 refuses', () => {
  it.each([
    ['(?=a)b', 'lookahead (?= is not supported'],
    ['(?!a)b', 'lookahead (?! is not supported'],
    ['(?<=a)b', 'lookbehind (?<= is not supported'],
    ['(?<!a)b', 'lookbehind (?<! is not supported'],
    ['(a)\\1', 'backreference \\1 is not supported'],
    ['(a)\\9', 'backreference \\9 is not supported'],
    ['(?P<n>a)\\k<n>', 'backreference \\k<n> is not supported'],
    ['\\u0041', 'invalid escape sequence: \\u'],
    ['\\Z', 'invalid escape sequence: \\Z'],
    ['\\cA', 'invalid escape sequence: \\c'],
    ['\\é', 'invalid escape sequence: \\é'],
    ['[\\b]', 'invalid escape sequence: \\b'],
    ['\\xZZ', 'invalid escape sequence: \\x without two hex digits or {…}'],
    ['\\p', 'invalid character class range: \\p'],
    ['[[:foo:]]', 'invalid character class range: [:foo:]'],
    ['[]', 'missing closing ]'],
    ['a{1001}', 'invalid repeat count: {1001} (at most 1000)'],
    ['a{2,1001}', 'invalid repeat count: {2,1001} (at most 1000)'],
    ['a**', 'invalid nested repetition operator: **'],
    ['a+*', 'invalid nested repetition operator: +*'],
    ['a{2}??', 'invalid nested repetition operator: {2}??'],
    ['x{2}{3}', 'invalid nested repetition operator: {2}{3}'],
    ['(?P<a-b>x)', 'invalid named capture: (?P<a-b>'],
    // Prometheus writes `)$` after the regex, which a \Q without \E would take as literal text.
    ['\\Qa(b', 'missing closing ): \\Q without \\E'],
  ])('%s: %s', (pattern, problem) => {
    expect(re2Problem(pattern)).toBe(problem);
  });

  it('are refused though JavaScript compiles them', () => {
    for (const pattern of ['(?=a)b', '(?<!a)b', '(a)\\1', '(?<n>a)\\k<n>', '\\u0041', '[\\b]', 'a{1001}', '[]']) {
      expect(() => new RegExp(pattern)).not.toThrow();
      expect(re2Problem(pattern)).toBeDefined();
    }
  });
});

describe('re2Problem: what RE2 accepts', () => {
  it.each([
    'web-.*',
    'web-[0-9]+-[a-z]{5}',
    '',
    'a*?',
    'a{2}?',
    'a{1000}',
    'a{,5}',
    'a{',
    ']',
    '(|)',
    '\\12',
    '\\0',
    '\\.\\/\\-\\_\\%\\~',
    // RE2's own syntax, which JavaScript refuses or reads otherwise.
    '(?i)web',
    '(?i:web)',
    '(?-i)web',
    '(?s-m:.*)',
    '(?U)a+',
    '(?)x',
    '(?P<n>a)',
    '(?P<1a>x)',
    '(?P<a>x)(?P<a>y)',
    '(?<n>a)', // Go 1.22 and later, Prometheus 2.51 and later
    '\\Qa(b\\E',
    '\\pL',
    '\\p{Greek}',
    '[\\p{L}]',
    '[[:alpha:]]',
    '[^[:^alpha:]]',
    '[]a]',
    '[^]a]',
    '\\x41\\x{263a}',
    '[\\x{41}-\\x{5A}]',
    '\\A\\z\\b\\B',
    '^*',
    '$+',
    '\\b*',
  ])('%s', (pattern) => {
    expect(re2Problem(pattern)).toBeUndefined();
  });
});

describe('regexFilterProblem: a filter or a picker item as typed', () => {
  it('names the field and the regex as typed, exclusion included', () => {
    expect(regexFilterProblem('Pod', '/web-(/')).toBe(
      'Pod /web-(/ is not a valid regular expression: missing closing ).'
    );
    expect(regexFilterProblem('Pod', ' !/web-(/ ')).toBe(
      'Pod !/web-(/ is not a valid regular expression: missing closing ).'
    );
    expect(regexFilterProblem('Namespace', '/(?!kube-).*/')).toBe(
      'Namespace /(?!kube-).*/ is not a valid regular expression: lookahead (?! is not supported.'
    );
  });

  it('leaves exact values, variables and valid regexes alone', () => {
    // Exact values and text around variables are escaped before they reach Prometheus.
    expect(regexFilterProblem('Pod', 'web-(')).toBeUndefined();
    expect(regexFilterProblem('Pod', 'api-$env(')).toBeUndefined();
    expect(regexFilterProblem('Pod', '/web-.*/')).toBeUndefined();
    expect(regexFilterProblem('Pod', '!/(?i)canary-.*/')).toBeUndefined();
    expect(regexFilterProblem('Pod', '/')).toBeUndefined();
  });

  it('reads a variable inside a regex as the literal its escaped values are, whatever its syntax', () => {
    expect(regexFilterProblem('Pod', '/$pod-.*/')).toBeUndefined();
    expect(regexFilterProblem('Pod', '/${pod:regex}|[[ns]]/')).toBeUndefined();
    expect(regexFilterProblem('Pod', '/\\$pod/')).toBeUndefined();
    expect(regexFilterProblem('Pod', '/($pod/')).toBe(
      'Pod /($pod/ is not a valid regular expression: missing closing ).'
    );
  });
});
