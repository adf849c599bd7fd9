import fc from 'fast-check';

import { chooseLimit, limitsByGroup, valuesAt } from './limits';
import { rawSeries } from './series';

describe('chooseLimit', () => {
  it('prefers cAdvisor when > 0, else kube-state-metrics, else keeps 0 as unlimited', () => {
    expect(chooseLimit([100, 0, 0, null, null], [50, 60, null, 70, null])).toEqual({
      limit: [100, 60, 0, 70, null],
      sources: ['cAdvisor', 'kube-state-metrics'],
    });
  });

  it('works with only one source and says which', () => {
    expect(chooseLimit(undefined, [5, null])).toEqual({ limit: [5, null], sources: ['kube-state-metrics'] });
    expect(chooseLimit([0, 0], undefined)).toEqual({ limit: [0, 0], sources: ['cAdvisor'] });
    expect(chooseLimit(undefined, undefined)).toEqual({ limit: undefined, sources: [] });
  });
});

describe('valuesAt', () => {
  it('reads values at the given timestamps, null where missing or invalid', () => {
    const s = rawSeries({}, [[1000, 5] as [number, number], [3000, NaN] as [number, number]]);
    expect(valuesAt([1000, 2000, 3000], s)).toEqual([5, null, null]);
    expect(valuesAt([1000], undefined)).toBeUndefined();
  });

  it('equals a lookup by timestamp for any ascending series and timestamps', () => {
    const ascending = fc.uniqueArray(fc.integer({ min: 0, max: 60 }), { maxLength: 30 }).map((ts) => ts.sort((a, b) => a - b));
    const value = fc.oneof(fc.integer({ min: -5, max: 1e9 }), fc.constantFrom(NaN, Infinity, -Infinity));
    fc.assert(
      fc.property(ascending, ascending, fc.array(value, { minLength: 30, maxLength: 30 }), (timestamps, times, vs) => {
        const series = rawSeries({}, times.map((t, i) => [t, vs[i]] as [number, number]));
        const byTime = new Map(times.map((t, i) => [t, vs[i]]));
        const expected = timestamps.map((t) => {
          const v = byTime.get(t);
          return v === undefined || !Number.isFinite(v) || v < 0 ? null : v;
        });
        expect(valuesAt(timestamps, series)).toEqual(expected);
      })
    );
  });
});

describe('limitsByGroup', () => {
  it('matches limit and request series to groups by key, with the cAdvisor-dropped fallback', () => {
    const key = (l: Record<string, string>) => `${l.namespace}/${l.pod}/${l.container}`;
    const ts = [0, 15000];
    const a = { namespace: 'shop', pod: 'api-1', container: 'api' };
    const b = { namespace: 'shop', pod: 'db-0', container: 'db' };
    const c = { namespace: 'shop', pod: 'free-0', container: 'free' };
    const result = limitsByGroup(
      [
        { key: key(a), timestamps: ts },
        { key: key(b), timestamps: ts },
        { key: key(c), timestamps: ts },
      ],
      {
        cadvisorLimit: [
          rawSeries(c, [[0, 0], [15000, 0]]),
        ],
        ksmLimit: [
          rawSeries(a, [[0, 512], [15000, 512]]),
          rawSeries(b, [[15000, 1024]]),
        ],
        ksmRequest: [
          rawSeries(a, [[0, 256], [15000, 256]]),
        ],
      },
      key
    );
    expect(result.get(key(a))).toEqual({ limit: [512, 512], request: [256, 256], sources: ['kube-state-metrics'] });
    expect(result.get(key(b))).toEqual({ limit: [null, 1024], request: undefined, sources: ['kube-state-metrics'] });
    expect(result.get(key(c))).toEqual({ limit: [0, 0], request: undefined, sources: ['cAdvisor'] });
  });
});
