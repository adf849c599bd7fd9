import { OOM_BUMP_UP_RATIO, OOM_MIN_BUMP_UP, oomPeak, withOomPeaks } from './oomBump';

const MiB = 1024 * 1024;

describe('oomBump', () => {
  it('adds at least 100 MiB, and 20% above 500 MiB', () => {
    expect(OOM_MIN_BUMP_UP).toBe(100 * MiB);
    expect(OOM_BUMP_UP_RATIO).toBe(1.2);
    expect(oomPeak(200 * MiB)).toBe(300 * MiB); // +100 MiB > +40 MiB
    expect(oomPeak(500 * MiB)).toBe(600 * MiB); // both the same
    expect(oomPeak(1000 * MiB)).toBeCloseTo(1200 * MiB, 0); // +20% > +100 MiB
  });

  it('adds one bumped peak per kill; an unknown kill counts as the highest peak', () => {
    const peaks = [300 * MiB, 400 * MiB];
    expect(withOomPeaks(peaks, { count: 0 })).toEqual(peaks);
    expect(withOomPeaks(peaks, { count: 2, usedAtKill: [350 * MiB, null] })).toEqual([
      300 * MiB,
      400 * MiB,
      450 * MiB,
      500 * MiB,
    ]);
    expect(withOomPeaks(peaks, { count: 1 })).toEqual([...peaks, 500 * MiB]);
  });

  it('cannot invent a kill without a peak or a value', () => {
    expect(withOomPeaks([], { count: 3 })).toEqual([]);
    expect(withOomPeaks([], { count: 1, usedAtKill: [600 * MiB] })).toEqual([720 * MiB]);
  });
});
