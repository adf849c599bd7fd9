import fc from 'fast-check';

import { KRR_HISTORY_HOURS, krrMemory } from './krr';

/** KRR simple.py: np.max over the history × (1 + 15 / 100), request = limit. */
const reference = (peaks: number[]) => Math.max(...peaks) * (1 + 15 / 100);

describe('krrMemory', () => {
  it('is the highest peak + 15%, request and limit alike, over KRR’s 14 days', () => {
    expect(KRR_HISTORY_HOURS).toBe(14 * 24);
    const krr = krrMemory([100, 400, 200])!;
    expect(krr.request).toBeCloseTo(460, 9);
    expect(krr.limit).toBe(krr.request);
    expect(krrMemory([])).toBeNull();
  });

  it('property: within 1% of a plain reimplementation', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 1e12 }), { minLength: 1, maxLength: 400 }), (peaks) => {
        const krr = krrMemory(peaks)!;
        const ref = reference(peaks);
        expect(Math.abs(krr.request - ref)).toBeLessThanOrEqual(ref * 0.01);
        expect(krr.limit).toBe(krr.request);
      })
    );
  });
});
