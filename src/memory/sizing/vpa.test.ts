import fc from 'fast-check';

import { DEFAULT_FLOOR_BYTES, vpaMemory } from './vpa';

const MiB = 1024 * 1024;

/** Plain VPA method: sort, take rank ⌈p·n⌉, add 15%, at least the floor. */
function reference(peaks: number[], floor: number) {
  const sorted = [...peaks].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.max(0, Math.ceil(p * sorted.length - 1e-9) - 1)];
  return { target: Math.max(floor, at(0.9) * 1.15), upperBound: Math.max(floor, at(0.95) * 1.15) };
}

/**
 * VPA's own histogram percentile (util/histogram.go, util/histogram_options.go): exponential
 * buckets from 10 MB, each 5% wider; the answer is the end of the bucket where the count reaches p·n.
 */
function vpaHistogramPercentile(peaks: number[], p: number): number {
  const first = 1e7;
  const ratio = 1.05;
  const bucket = (v: number) => (v < first ? 0 : Math.floor(Math.log((v * (ratio - 1)) / first + 1) / Math.log(ratio)));
  const start = (b: number) => (b === 0 ? 0 : (first * (Math.pow(ratio, b) - 1)) / (ratio - 1));
  const buckets = peaks.map(bucket).sort((a, b) => a - b);
  let count = 0;
  for (const b of buckets) {
    count++;
    if (count >= p * buckets.length) {
      return start(b + 1);
    }
  }
  return start(buckets[buckets.length - 1] + 1);
}

describe('vpaMemory', () => {
  it('is p90 and p95 of the peaks + 15%', () => {
    // 20 daily peaks of 100..290 MiB: p90 = 18th = 270 MiB, p95 = 19th = 280 MiB.
    const peaks = Array.from({ length: 20 }, (_, i) => (100 + 10 * i) * MiB);
    const v = vpaMemory(peaks, 0)!;
    expect(v.target / MiB).toBeCloseTo(270 * 1.15, 6);
    expect(v.upperBound / MiB).toBeCloseTo(280 * 1.15, 6);
  });

  it('never goes below the floor: 250 MiB by default, 0 allowed', () => {
    const small = [20 * MiB, 30 * MiB];
    expect(DEFAULT_FLOOR_BYTES).toBe(250 * MiB);
    expect(vpaMemory(small)).toEqual({ target: 250 * MiB, upperBound: 250 * MiB });
    expect(vpaMemory(small, 0)!.target).toBeCloseTo(30 * MiB * 1.15, 0);
    expect(vpaMemory(small, -5)!.target).toBeCloseTo(30 * MiB * 1.15, 0);
  });

  it('is null without peaks', () => {
    expect(vpaMemory([])).toBeNull();
  });

  it('property: within 1% of a plain reimplementation, target ≤ upper bound, both ≥ floor', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 1e12 }), { minLength: 1, maxLength: 60 }),
        fc.constantFrom(0, DEFAULT_FLOOR_BYTES, 2 ** 30),
        (peaks, floor) => {
          const v = vpaMemory(peaks, floor)!;
          const ref = reference(peaks, floor);
          expect(Math.abs(v.target - ref.target)).toBeLessThanOrEqual(ref.target * 0.01);
          expect(Math.abs(v.upperBound - ref.upperBound)).toBeLessThanOrEqual(ref.upperBound * 0.01);
          expect(v.target).toBeLessThanOrEqual(v.upperBound);
          expect(v.target).toBeGreaterThanOrEqual(floor);
        }
      )
    );
  });

  it('property: VPA’s histogram reads at most one bucket higher (≤ 15% from 100 MiB, ≤ 6% from 1 GiB)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 100 * MiB, max: 1e12 }), { minLength: 1, maxLength: 40 }),
        fc.constantFrom(0.9, 0.95),
        (peaks, p) => {
          const ours = vpaMemory(peaks, 0)!;
          const value = (p === 0.9 ? ours.target : ours.upperBound) / 1.15;
          const theirs = vpaHistogramPercentile(peaks, p);
          expect(theirs).toBeGreaterThanOrEqual(value);
          expect(theirs).toBeLessThanOrEqual(value * (value >= 2 ** 30 ? 1.06 : 1.15));
        }
      )
    );
  });
});
