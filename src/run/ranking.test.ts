import { rankEverySeconds, rankEveryText, rankSlack, rankingInstant } from './ranking';

describe('rankingInstant', () => {
  it('is the end of the range unless the panel refreshes incrementally', () => {
    expect(rankingInstant({ start: 1000, end: 22_630, step: 30 }, false)).toBe(22_630);
  });

  it('is the last mark on a step-aligned grid, the same for every refresh until the next mark', () => {
    // "Last 2 hours": 5-minute marks.
    const at = (end: number, step = 60) => rankingInstant({ start: end - 7200, end, step }, true);
    expect(at(1_767_225_600)).toBe(1_767_225_600);
    expect(at(1_767_225_660)).toBe(1_767_225_600);
    expect(at(1_767_225_840)).toBe(1_767_225_600);
    expect(at(1_767_225_900)).toBe(1_767_225_900);
    // A step that does not divide 5 minutes: marks every 7 steps (315 s), still on the grid.
    expect(at(45 * 1000, 45) % 45).toBe(0);
    expect(45 * 1000 - at(45 * 1000, 45)).toBeLessThan(315);
    // A step longer than 5 minutes: the end itself.
    expect(at(3600 * 500, 3600)).toBe(3600 * 500);
    // "Last 6 hours": 15-minute marks.
    const at6h = (end: number) => rankingInstant({ start: end - 21_600, end, step: 60 }, true);
    expect([1_767_225_600, 1_767_225_660, 1_767_226_440].map(at6h)).toEqual([
      1_767_225_600, 1_767_225_600, 1_767_225_600,
    ]);
    expect(at6h(1_767_226_500)).toBe(1_767_226_500);
  });

  it('never ranks before the range starts', () => {
    expect(rankingInstant({ start: 1_767_225_660, end: 1_767_225_720, step: 60 }, true)).toBe(1_767_225_660);
  });
});

describe('rankEverySeconds', () => {
  const every = (width: number, step = 60) => rankEverySeconds({ start: 0, end: width, step });

  it('is 1/24 of the range on a ladder of round durations, at least 5 minutes', () => {
    expect([3600, 7200, 3 * 3600, 6 * 3600, 12 * 3600, 24 * 3600].map((w) => every(w))).toEqual([
      300, 300, 300, 900, 1800, 3600,
    ]);
    expect(every(7 * 86400, 600)).toBe(6 * 3600);
    expect(every(30 * 86400, 3600)).toBe(24 * 3600);
  });

  it('stays on its rung when the aligned range is a step wider', () => {
    for (const width of [2 * 3600, 6 * 3600, 24 * 3600]) {
      expect(every(width + 60)).toBe(every(width));
      expect(every(width + 300, 300)).toBe(every(width, 300));
    }
  });

  it('reads as the notice says it', () => {
    expect([300, 900, 3600, 6 * 3600].map(rankEveryText)).toEqual(['5-minute', '15-minute', '1-hour', '6-hour']);
  });
});

describe('rankSlack', () => {
  it('is N/10 per 5 minutes between marks, at least 2, at most N/2', () => {
    expect([300, 900, 1800, 3600, 86400].map((every) => rankSlack(50, every))).toEqual([5, 15, 25, 25, 25]);
    expect(rankSlack(3, 300)).toBe(2);
    expect(rankSlack(3, 86400)).toBe(2);
  });
});
