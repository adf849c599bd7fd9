import fc from 'fast-check';

import { nearestRank } from './percentile';

/** VPA's rule (util/histogram.go) with weight 1 a peak and no buckets: walk up until the count reaches p·n. */
function cumulativeRule(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  let count = 0;
  for (const v of sorted) {
    count += 1;
    if (count >= p * sorted.length - 1e-9) {
      return v;
    }
  }
  return sorted[sorted.length - 1];
}

describe('nearestRank', () => {
  it('returns a peak that happened, never an interpolation', () => {
    const tenDays = [10, 20, 30, 40, 50, 60, 70, 80, 90, 100];
    expect(nearestRank(tenDays, 0.9)).toBe(90); // 9 of 10 at or below: not 91 (linear would give 91)
    expect(nearestRank(tenDays, 0.95)).toBe(100);
    expect(nearestRank([3, 1, 2], 0.5)).toBe(2);
  });

  it('is the highest peak with fewer than 10 peaks, at both VPA percentiles', () => {
    const week = [5, 9, 7, 6, 8, 5, 6];
    expect(nearestRank(week, 0.9)).toBe(9);
    expect(nearestRank(week, 0.95)).toBe(9);
  });

  it('does not round a whole rank up by float error (0.95 × 20 = 19)', () => {
    const twenty = Array.from({ length: 20 }, (_, i) => i + 1);
    expect(nearestRank(twenty, 0.95)).toBe(19);
    expect(nearestRank(twenty, 0.9)).toBe(18);
    const hundred = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(nearestRank(hundred, 0.07)).toBe(7); // 0.07 × 100 = 7.000000000000001
  });

  it('is null without values, and clamps p', () => {
    expect(nearestRank([], 0.9)).toBeNull();
    expect(nearestRank([4, 2], 0)).toBe(2);
    expect(nearestRank([4, 2], 2)).toBe(4);
  });

  it('property: matches the cumulative-count rule VPA uses', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 1e12 }), { minLength: 1, maxLength: 60 }),
        fc.constantFrom(0.5, 0.9, 0.95, 0.99),
        (values, p) => {
          expect(nearestRank(values, p)).toBe(cumulativeRule(values, p));
        }
      )
    );
  });
});
