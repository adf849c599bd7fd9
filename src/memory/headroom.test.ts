import fc from 'fast-check';

import { headroom, REASON_NO_LIMIT_SERIES, REASON_UNLIMITED } from './headroom';

describe('headroom', () => {
  it('computes both rooms in bytes and percent of the limit', () => {
    // worked example (docs/architecture.md): working set 53 MB, real used 23 MB; limit 100 MB.
    const r = headroom({ limit: [100e6], realUsed: [23e6], workingSet: [53e6] }).headroom!;
    expect(r.beforeOom).toEqual([77e6]);
    expect(r.kubelet).toEqual([47e6]);
    expect(r.beforeOomPercent).toEqual([77]);
    expect(r.kubeletPercent).toEqual([47]);
  });

  it('keeps gaps as null and negative room as negative', () => {
    const r = headroom({ limit: [100, null, 100], realUsed: [null, 10, 50], workingSet: [120, 10, 60] }).headroom!;
    expect(r.beforeOom).toEqual([null, null, 50]);
    expect(r.kubelet).toEqual([-20, null, 40]);
    expect(r.kubeletPercent).toEqual([-20, null, 40]);
  });

  it('never returns 0 for a missing or unlimited limit', () => {
    expect(headroom({ limit: undefined, realUsed: [1], workingSet: [1] })).toEqual({
      headroom: null,
      reason: REASON_NO_LIMIT_SERIES,
    });
    expect(headroom({ limit: [null, null], realUsed: [1, 1], workingSet: [1, 1] }).reason).toBe(REASON_NO_LIMIT_SERIES);
    expect(headroom({ limit: [0, 0], realUsed: [1, 1], workingSet: [1, 1] }).reason).toBe(REASON_UNLIMITED);
    // A limit removed mid-range: null where it is 0.
    expect(headroom({ limit: [10, 0], realUsed: [1, 1], workingSet: [2, 2] }).headroom!.beforeOom).toEqual([9, null]);
  });

  it('property: room before an OOM kill is never smaller than the kubelet room when real used ≤ working set', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            limit: fc.integer({ min: 1, max: 1e12 }),
            ws: fc.integer({ min: 0, max: 1e12 }),
            cache: fc.nat(1e12),
          }),
          { minLength: 1, maxLength: 50 }
        ),
        (points) => {
          const r = headroom({
            limit: points.map((p) => p.limit),
            workingSet: points.map((p) => p.ws),
            realUsed: points.map((p) => Math.max(0, p.ws - p.cache)),
          }).headroom!;
          r.beforeOom.forEach((v, i) => expect(v!).toBeGreaterThanOrEqual(r.kubelet[i]!));
          r.beforeOomPercent.forEach((v, i) => expect(v!).toBeCloseTo((100 * r.beforeOom[i]!) / points[i].limit, 6));
        }
      )
    );
  });
});
