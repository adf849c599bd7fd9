import fc from 'fast-check';

import { parseMatrix, parseSampleValue, parseVector } from './parse';

describe('parseMatrix', () => {
  it('turns seconds into milliseconds and strings into numbers, NaN and Inf included', () => {
    const body = {
      status: 'success',
      data: { resultType: 'matrix', result: [{ metric: { pod: 'a' }, values: [[1700000000.5, '12'], [1700000015, 'NaN'], [1700000030, '+Inf']] }] },
    };
    const [series] = parseMatrix(body);
    expect(series.labels).toEqual({ pod: 'a' });
    expect(Array.from(series.times)).toEqual([1700000000500, 1700000015000, 1700000030000]);
    expect(series.values[0]).toBe(12);
    expect(series.values[1]).toBeNaN();
    expect(series.values[2]).toBe(Infinity);
  });

  it('reads every value as parseSampleValue does: whole bytes, decimals, exponents, leading zeros, NaN, ±Inf', () => {
    // How Prometheus writes floats (Go's strconv 'f', -1) and a few texts it never sends.
    const text = fc.oneof(
      fc.bigInt({ min: BigInt(0), max: BigInt(2) ** BigInt(64) }).map(String),
      fc.double({ noNaN: true }).map(String),
      fc.double({ min: 0, max: 1 }).map((x) => x.toFixed(12)),
      fc.constantFrom('NaN', '+Inf', '-Inf', '', '007', '-5', '1e+21', '9007199254740993', '123456789012345')
    );
    fc.assert(
      // Each text twice in a row too: a repeated value is read once.
      fc.property(fc.array(text, { minLength: 1 }).map((ts) => ts.flatMap((t, i) => (i % 2 ? [t, t] : [t]))), (texts) => {
        const body = {
          status: 'success',
          data: { resultType: 'matrix', result: [{ metric: {}, values: texts.map((t, i) => [i, t]) }] },
        };
        const [series] = parseMatrix(body);
        expect(Array.from(series.values)).toEqual(texts.map(parseSampleValue));
      })
    );
  });

  it('reports Prometheus errors with their type', () => {
    expect(() => parseMatrix({ status: 'error', errorType: 'bad_data', error: 'parse error at char 3' })).toThrow(
      'Prometheus error (bad_data): parse error at char 3'
    );
  });

  it('says so when the answer is not Prometheus at all', () => {
    expect(() => parseMatrix('<html>login</html>')).toThrow('is the URL a Prometheus server?');
  });

  it('refuses a vector where a matrix is expected', () => {
    expect(() => parseMatrix({ status: 'success', data: { resultType: 'vector', result: [] } })).toThrow('vector result');
  });
});

describe('parseVector', () => {
  it('reads instant values', () => {
    expect(parseVector({ status: 'success', data: { resultType: 'vector', result: [{ metric: {}, value: [1, '3'] }] } })).toEqual([
      { labels: {}, value: 3 },
    ]);
  });
});
