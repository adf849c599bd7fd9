import { formatMatchers, parseExtraSelector } from './extraSelector';

function ok(text: string) {
  const r = parseExtraSelector(text);
  if (!r.ok) {
    throw new Error(`expected ${text} to parse, got: ${r.error}`);
  }
  return r.matchers;
}

function err(text: string) {
  const r = parseExtraSelector(text);
  if (r.ok) {
    throw new Error(`expected ${text} to be refused, got ${JSON.stringify(r.matchers)}`);
  }
  return r.error;
}

describe('parseExtraSelector', () => {
  it('accepts empty text and whitespace as no matchers', () => {
    expect(ok('')).toEqual([]);
    expect(ok('   ')).toEqual([]);
    expect(ok('{}')).toEqual([]);
  });

  it('parses all four operators, braces and a trailing comma', () => {
    expect(ok(' {cluster="prod", job!="x", pod=~"web-.*",ns!~\'kube-.+\',} ')).toEqual([
      { label: 'cluster', op: '=', value: 'prod' },
      { label: 'job', op: '!=', value: 'x' },
      { label: 'pod', op: '=~', value: 'web-.*' },
      { label: 'ns', op: '!~', value: 'kube-.+' },
    ]);
  });

  it('unescapes quoted values and keeps backtick values raw', () => {
    expect(ok('a="q\\"b\\\\c\\n", b=`x\\d+`, c="\\u00e9\\x41\\101"')).toEqual([
      { label: 'a', op: '=', value: 'q"b\\c\n' },
      { label: 'b', op: '=', value: 'x\\d+' },
      { label: 'c', op: '=', value: 'éAA' },
    ]);
  });

  it('round-trips through formatMatchers', () => {
    const matchers = ok('a="q\\"b\\\\c", b=~`x\\d+|}`, c!="日本"');
    expect(ok(formatMatchers(matchers))).toEqual(matchers);
  });

  it.each([
    ['cluster=prod', /value of "cluster" must be quoted.*column 9/],
    ['cluster="prod" job="x"', /expected "," between matchers \(column 16\)/],
    ['1cluster="x"', /expected a label name.*found "1" \(column 1\)/],
    ['k8s-cluster="x"', /"-" is not allowed in a label name.*column 4/],
    ['cluster=="x"', /"==" after "cluster"/],
    ['cluster~"x"', /expected one of = != =~ !~ after "cluster", found "~" \(column 8\)/],
    ['cluster="prod', /value of "cluster" has no closing " \(column 9\)/],
    ['pod=~"web-\\d+"', /unknown escape "\\d".*write "\\\\d".*column 11/],
    ['{cluster="x"', /missing closing "}"/],
    ['cluster="x"}', /unexpected "}" without an opening "{" \(column 12\)/],
    ['a="x",,b="y"', /expected a label name.*found "," \(column 7\)/],
    ['a="\\u12"', /bad \\u escape/],
    ['a="x\ny"', /line break/],
    ['cluster', /expected one of = != =~ !~ after "cluster", found end of text/],
  ])('refuses %j with a message naming the problem and column', (text, message) => {
    expect(err(text)).toMatch(message);
  });
});
