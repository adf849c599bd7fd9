import { lastLimit, limitAt, nearLimit } from './nearLimit';

describe('nearLimit', () => {
  it('counts separate visits near the limit, not every point around the 90% line', () => {
    // 100 limit: up to 95, back to 50, up to 92 with a wobble around 90, back down.
    const values = [50, 70, 95, 89, 91, 60, 50, 92, 89, 93, 89, 70];
    const r = nearLimit(values, 100, 0, values.length);
    expect(r.episodes).toBe(2);
    expect(r.share).toBeCloseTo(4 / 12, 12); // 95, 91, 92, 93
    expect(nearLimit(values, 100, 0, 3).episodes).toBe(1);
  });

  it('uses the limit of each point and ignores points without a limit or a value', () => {
    const r = nearLimit([95, null, 95, 95], [100, 100, null, 1000], 0, 4);
    expect(r).toEqual({ episodes: 1, share: 0.5, points: 2 });
    expect(nearLimit([95, 95], null, 0, 2)).toEqual({ episodes: 0, share: 0, points: 0 });
    expect(nearLimit([95, 95], 0, 0, 2).points).toBe(0); // 0 = unlimited
  });
});

describe('limitAt / lastLimit', () => {
  it('read one value or one per point; 0, negative and null mean none', () => {
    expect(limitAt(512, 3)).toBe(512);
    expect(limitAt([1, 0, null], 1)).toBeNull();
    expect(limitAt(undefined, 0)).toBeNull();
    expect(lastLimit([300, 400, null, 0], 0, 4)).toBe(400);
    expect(lastLimit([300, 400, null, 0], 2, 4)).toBeNull();
  });
});
