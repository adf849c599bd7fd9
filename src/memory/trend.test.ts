import fc from 'fast-check';

import { MAX_PAIRS, median, senInterval, theilSen } from './trend';

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

describe('median', () => {
  it('handles odd and even lengths without mutating the input', () => {
    const v = [5, 1, 3];
    expect(median(v)).toBe(3);
    expect(v).toEqual([5, 1, 3]);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });
});

describe('theilSen', () => {
  it('recovers slope and intercept of a line and reports a perfect fit', () => {
    const x = range(10);
    const r = theilSen(
      x,
      x.map((v) => 7 + 2 * v)
    );
    expect(r.fit).toEqual({ slope: 2, intercept: 7, quality: 1, points: 10 });
  });

  it('ignores a few wild outliers that would drag least squares', () => {
    const x = range(20);
    const y = x.map((v) => 100 + 3 * v);
    y[5] = 1e9;
    y[15] = -1e9;
    const fit = theilSen(x, y).fit!;
    expect(fit.slope).toBe(3);
    expect(fit.intercept).toBe(100);
  });

  it('skips nulls and needs at least three points', () => {
    expect(theilSen([0, 1, 2, 3], [0, null, 2, 3]).fit?.slope).toBe(1);
    const r = theilSen([0, 1, 2], [1, null, 2]);
    expect(r.fit).toBeNull();
    expect(r.reason).toMatch(/too few points for a trend \(2, need 3\)/);
    expect(theilSen([5, 5, 5], [1, 2, 3]).reason).toMatch(/one timestamp/);
  });

  it('gives a flat line slope 0 and full quality, and pure noise a low quality', () => {
    expect(theilSen(range(5), [4, 4, 4, 4, 4]).fit).toMatchObject({ slope: 0, quality: 1 });
    // Alternating noise around a constant: no trend explains it.
    const noisy = theilSen(
      range(50),
      range(50).map((i) => (i % 2 ? 110 : 90))
    ).fit!;
    expect(Math.abs(noisy.slope)).toBeLessThan(0.5);
    expect(noisy.quality).toBeLessThan(0.1);
  });

  it('bounds the work on long series with a repeatable sample of pairs', () => {
    const n = 2000; // ~2 million pairs, far above MAX_PAIRS
    expect((n * (n - 1)) / 2).toBeGreaterThan(MAX_PAIRS);
    const x = range(n);
    // A line plus deterministic ±50 noise.
    const y = x.map((v) => 1000 + 4 * v + ((v * 7919) % 101) - 50);
    const t0 = Date.now();
    const a = theilSen(x, y).fit!;
    expect(Date.now() - t0).toBeLessThan(500);
    expect(a.slope).toBeCloseTo(4, 1);
    expect(theilSen(x, y).fit).toEqual(a);
  });

  it('property: recovers the slope of any noiseless line, with gaps', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -1e6, max: 1e6, noNaN: true }),
        fc.double({ min: -1e9, max: 1e9, noNaN: true }),
        fc.array(fc.boolean(), { minLength: 3, maxLength: 200 }),
        (slope, intercept, keep) => {
          const x = keep.map((_, i) => i * 15);
          const y = keep.map((k, i) => (k || i < 3 ? intercept + slope * x[i] : null));
          const fit = theilSen(x, y).fit!;
          const tol = 1e-6 * (Math.abs(slope) + Math.abs(intercept) / 1000 + 1);
          expect(Math.abs(fit.slope - slope)).toBeLessThanOrEqual(tol);
        }
      )
    );
  });

  it('property: adding a constant moves only the intercept; shifting x keeps the slope', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 1e6 }), { minLength: 3, maxLength: 80 }),
        fc.integer({ min: -1e6, max: 1e6 }),
        fc.integer({ min: -1e6, max: 1e6 }),
        (ys, c, shift) => {
          const x = ys.map((_, i) => i);
          const base = theilSen(x, ys).fit!;
          const up = theilSen(
            x,
            ys.map((v) => v + c)
          ).fit!;
          const moved = theilSen(
            x.map((v) => v + shift),
            ys
          ).fit!;
          expect(up.slope).toBeCloseTo(base.slope, 6);
          expect(up.intercept).toBeCloseTo(base.intercept + c, 4);
          expect(up.quality).toBeCloseTo(base.quality, 6);
          expect(moved.slope).toBeCloseTo(base.slope, 6);
        }
      )
    );
  });
});

describe('senInterval', () => {
  it('brackets the slope of a noisy line and is tight on an exact one', () => {
    const x = range(24);
    const exact = senInterval(
      x,
      x.map((v) => 3 * v),
      3.09
    );
    expect(exact).toEqual({ lower: 3, upper: 3 });
    const noisy = x.map((v) => 3 * v + ((v * 7919) % 11) - 5);
    const ci = senInterval(x, noisy, 3.09);
    expect(ci.lower).toBeLessThan(3);
    expect(ci.upper).toBeGreaterThan(3);
    expect(ci.lower).toBeGreaterThan(0);
  });

  it('includes 0 for a flat series and is unbounded when too few points', () => {
    const x = range(12);
    const ci = senInterval(
      x,
      x.map((v) => (v % 2 ? 1 : -1)),
      3.09
    );
    expect(ci.lower).toBeLessThanOrEqual(0);
    expect(ci.upper).toBeGreaterThanOrEqual(0);
    // Five perfectly rising points cannot reach 99.9% confidence.
    expect(senInterval(range(5), range(5), 3.09).lower).toBe(-Infinity);
  });
});
