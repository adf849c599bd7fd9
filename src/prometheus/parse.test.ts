import { parseMatrix, parseVector } from './parse';

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
