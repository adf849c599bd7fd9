import { FLOOR_BLOCKS, floorPoints } from './floor';

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

describe('floorPoints', () => {
  it('keeps the lowest point of each block, with its time', () => {
    const x = range(240).map((i) => i / 60); // four hours, one point a minute
    // A sawtooth with 10-minute teeth over a floor rising 6 per hour.
    const y = range(240).map((i) => 100 + (6 * i) / 60 + 50 * ((i % 10) / 10));
    const floor = floorPoints(x, y, 0, 240);
    expect(floor).toHaveLength(FLOOR_BLOCKS);
    // Every floor point is the bottom of a tooth, on the line 100 + 6·x.
    floor.forEach((p) => expect(p.y).toBeCloseTo(100 + 6 * p.x, 9));
    expect(floor.every((p, k) => k === 0 || p.x > floor[k - 1].x)).toBe(true);
  });

  it('skips gaps and empty blocks, and works on part of a series', () => {
    const x = range(48).map((i) => i);
    const y: Array<number | null> = range(48).map((i) => (i >= 10 && i < 20 ? null : 5));
    const floor = floorPoints(x, y, 0, 48);
    expect(floor.length).toBeLessThan(FLOOR_BLOCKS);
    expect(floor.every((p) => p.x < 10 || p.x >= 20)).toBe(true);
    expect(floorPoints(x, y, 24, 48).every((p) => p.x >= 24)).toBe(true);
    expect(floorPoints([0], [7], 0, 1)).toEqual([{ x: 0, y: 7 }]);
  });
});
