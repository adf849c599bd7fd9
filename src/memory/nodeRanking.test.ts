import { nodeRoom, nodesByLeastRoom } from './nodeRanking';

const GB = 1e9;
const hard = { bytes: 0.1 * GB };

describe('nodeRoom', () => {
  it('is the lowest of threshold − working set over the points, not the last', () => {
    const room = nodeRoom({ workingSet: [5 * GB, 7.5 * GB, 4 * GB], capacity: [8 * GB, 8 * GB, 8 * GB] }, hard);
    expect(room.lowestRoom).toBeCloseTo(0.4 * GB);
    expect(room.peakWorkingSet).toBe(7.5 * GB);
  });

  it('skips points without working set or capacity; null when no point has both', () => {
    expect(nodeRoom({ workingSet: [null, 2 * GB], capacity: [4 * GB, null] }, hard).lowestRoom).toBeNull();
    expect(nodeRoom({ workingSet: [3 * GB] }, { percent: 10 }).lowestRoom).toBeNull();
    expect(nodeRoom({ workingSet: [3 * GB, 1 * GB], capacity: [10 * GB, 10 * GB] }, { percent: 10 }).lowestRoom).toBe(
      6 * GB
    );
  });
});

describe('nodesByLeastRoom', () => {
  const rooms: Record<string, { lowestRoom: number | null; peakWorkingSet: number | null }> = {
    big: { lowestRoom: 3 * GB, peakWorkingSet: 5 * GB },
    tight: { lowestRoom: 0.2 * GB, peakWorkingSet: 1.7 * GB },
    unknownLarge: { lowestRoom: null, peakWorkingSet: 9 * GB },
    unknownSmall: { lowestRoom: null, peakWorkingSet: 1 * GB },
    mid: { lowestRoom: 1 * GB, peakWorkingSet: 2 * GB },
  };
  const names = Object.keys(rooms);

  it('least room first, then nodes without a threshold by most working set', () => {
    const all = nodesByLeastRoom(names, (n) => rooms[n], 0);
    expect(all.shown).toEqual(['tight', 'mid', 'big', 'unknownLarge', 'unknownSmall']);
    expect(all).toMatchObject({ total: 5, unranked: 2 });
  });

  it('keeps the top N and counts the unranked among them', () => {
    expect(nodesByLeastRoom(names, (n) => rooms[n], 2)).toEqual({ shown: ['tight', 'mid'], total: 5, unranked: 0 });
    expect(nodesByLeastRoom(names, (n) => rooms[n], 4).unranked).toBe(1);
  });
});
