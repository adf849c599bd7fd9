import { sumBreakdowns } from './sumBreakdowns';

const b = (anon: Array<number | null>, rest = 1) => ({
  anon,
  other: anon.map(() => rest),
  activeFile: anon.map(() => rest),
  inactiveFile: anon.map(() => rest),
});

describe('sumBreakdowns', () => {
  it('adds band by band on the union of times; a group without a sample adds nothing; no sample anywhere is a gap', () => {
    const { timestamps, breakdown } = sumBreakdowns([
      { timestamps: [10, 20], breakdown: b([5, null]) },
      { timestamps: [20, 30], breakdown: b([7, 1]) },
    ]);
    expect(timestamps).toEqual([10, 20, 30]);
    expect(breakdown.anon).toEqual([5, 7, 1]);
    expect(breakdown.other).toEqual([1, 2, 1]);
    expect(breakdown.swap).toBeUndefined();
    const gap = sumBreakdowns([{ timestamps: [10], breakdown: b([null]) }]);
    expect(gap.breakdown.anon).toEqual([null]);
  });

  it('keeps swap when any group swapped', () => {
    const { breakdown } = sumBreakdowns([
      { timestamps: [10], breakdown: { ...b([1]), swap: [4] } },
      { timestamps: [10], breakdown: b([1]) },
    ]);
    expect(breakdown.swap).toEqual([4]);
  });
});
