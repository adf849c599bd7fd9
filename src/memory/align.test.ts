import { alignByGroup } from './align';
import { rawSeries } from './series';

const byPod = (labels: Record<string, string>) => labels.pod;

describe('alignByGroup', () => {
  it('puts metrics of one group on the union of their timestamps, null where a metric has no sample', () => {
    const { groups } = alignByGroup(
      {
        workingSet: [rawSeries({ pod: 'a' }, [[1000, 10], [2000, 20], [3000, 30]])],
        activeFile: [rawSeries({ pod: 'a' }, [[2000, 2], [4000, 4]])],
      },
      byPod
    );
    expect(groups).toHaveLength(1);
    expect(groups[0].timestamps).toEqual([1000, 2000, 3000, 4000]);
    expect(groups[0].values.workingSet).toEqual([10, 20, 30, null]);
    expect(groups[0].values.activeFile).toEqual([null, 2, null, 4]);
  });

  it('keeps groups apart and leaves a metric undefined for a group that lacks it', () => {
    const { groups } = alignByGroup(
      {
        workingSet: [
          rawSeries({ pod: 'b' }, [[1000, 1]]),
          rawSeries({ pod: 'a' }, [[1000, 2]]),
        ],
        activeFile: [rawSeries({ pod: 'a' }, [[1000, 1]])],
      },
      byPod
    );
    expect(groups.map((g) => g.key)).toEqual(['a', 'b']);
    expect(groups[1].values.activeFile).toBeUndefined();
  });

  it('drops NaN, ±Inf and negative samples as gaps and counts them', () => {
    const { groups, invalidByGroup } = alignByGroup(
      { usage: [rawSeries({ pod: 'a' }, [[1, NaN], [2, Infinity], [3, -Infinity], [4, -5], [5, 7]])] },
      byPod
    );
    expect(groups[0].values.usage).toEqual([null, null, null, null, 7]);
    expect(invalidByGroup).toEqual(new Map([['a', 4]]));
  });
});
