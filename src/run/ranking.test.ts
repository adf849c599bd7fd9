import { RANK_EVERY_SECONDS, rankingInstant } from './ranking';

describe('rankingInstant', () => {
  it('is the end of the range unless the panel refreshes incrementally', () => {
    expect(rankingInstant({ start: 1000, end: 22_630, step: 30 }, false)).toBe(22_630);
  });

  it('is the last 5-minute mark on a step-aligned grid, the same for every refresh until the next mark', () => {
    const at = (end: number, step = 60) => rankingInstant({ start: end - 21_600, end, step }, true);
    expect(RANK_EVERY_SECONDS).toBe(300);
    expect(at(1_767_225_600)).toBe(1_767_225_600);
    expect(at(1_767_225_660)).toBe(1_767_225_600);
    expect(at(1_767_225_840)).toBe(1_767_225_600);
    expect(at(1_767_225_900)).toBe(1_767_225_900);
    // A step that does not divide 5 minutes: marks every 7 steps (315 s), still on the grid.
    expect(at(45 * 1000, 45) % 45).toBe(0);
    expect(45 * 1000 - at(45 * 1000, 45)).toBeLessThan(315);
    // A step longer than 5 minutes: the end itself.
    expect(at(3600 * 500, 3600)).toBe(3600 * 500);
  });

  it('never ranks before the range starts', () => {
    expect(rankingInstant({ start: 1_767_225_660, end: 1_767_225_720, step: 60 }, true)).toBe(1_767_225_660);
  });
});
