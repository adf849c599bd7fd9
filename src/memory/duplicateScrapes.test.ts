import { mergeScrapes } from './duplicateScrapes';

const MB = 1e6;
const kubelet = { job: 'kubelet', id: '/pod/a' };
const cadvisor = { job: 'cadvisor', id: '/pod/a' };

describe('duplicate scrapes: every figure from one scrape', () => {
  it('takes each timestamp from the scrape with the most real used, never mixing metrics', () => {
    const { values, disagreement } = mergeScrapes(
      [
        { labels: kubelet, values: { workingSet: [200 * MB, 100 * MB], activeFile: [10 * MB, 90 * MB] } },
        { labels: cadvisor, values: { workingSet: [150 * MB, 120 * MB], activeFile: [100 * MB, 20 * MB] } },
      ],
      [1000, 2000]
    );
    // Real used 190 vs 50 at the first step, 10 vs 100 at the second.
    expect(values).toEqual({ workingSet: [200 * MB, 120 * MB], activeFile: [10 * MB, 20 * MB] });
    expect(disagreement).toEqual({
      figure: 'real used',
      time: 1000,
      readings: [
        { labels: { job: 'kubelet' }, value: 190 * MB },
        { labels: { job: 'cadvisor' }, value: 50 * MB },
      ],
    });
  });

  it('falls back to working set, then usage, where real used cannot be computed; a gap in one scrape is filled by the other', () => {
    const { values } = mergeScrapes(
      [
        { labels: kubelet, values: { workingSet: [100, null], usage: [300, 300] } },
        { labels: cadvisor, values: { workingSet: [90, null], usage: [400, 350] } },
      ],
      [1, 2]
    );
    expect(values).toEqual({ workingSet: [100, null], usage: [300, 350] });
  });

  it('a metric fetched already collapsed (no scrape labels) belongs to every scrape', () => {
    const { values } = mergeScrapes(
      [
        { labels: kubelet, values: { workingSet: [100], activeFile: [10] } },
        { labels: {}, values: { swap: [7] } },
      ],
      [1]
    );
    expect(values).toEqual({ workingSet: [100], activeFile: [10], swap: [7] });
  });

  it('close readings, and one container restarted (a new cgroup id overlapping the old), are no disagreement', () => {
    const close = mergeScrapes(
      [
        { labels: kubelet, values: { workingSet: [200 * MB], activeFile: [10 * MB] } },
        { labels: cadvisor, values: { workingSet: [205 * MB], activeFile: [10 * MB] } },
      ],
      [1]
    );
    expect(close.disagreement).toBeUndefined();
    const restart = mergeScrapes(
      [
        { labels: { job: 'kubelet', id: '/pod/old' }, values: { workingSet: [300 * MB], activeFile: [0] } },
        { labels: { job: 'kubelet', id: '/pod/new' }, values: { workingSet: [50 * MB], activeFile: [0] } },
      ],
      [1]
    );
    expect(restart.disagreement).toBeUndefined();
    expect(restart.values.workingSet).toEqual([300 * MB]);
  });
});
