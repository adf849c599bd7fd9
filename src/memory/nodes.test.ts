import fc from 'fast-check';

import { withEstimatedFileCache } from './derive';
import { chooseCapacity, nodeBreakdown, nodeMemory, nodeSignal } from './nodes';
import { GroupSeries, Sample } from './series';

const MiB = 2 ** 20;
const GB = 1e9;
const hard = { bytes: 100 * MiB };

const node = (values: GroupSeries['values'], n = 1): GroupSeries => ({
  key: 'node-a',
  labels: { node: 'node-a' },
  timestamps: Array.from({ length: n }, (_, i) => i * 60000),
  values,
});

describe('chooseCapacity', () => {
  it("takes cAdvisor's machine_memory_bytes, else kube-state-metrics', per timestamp", () => {
    expect(chooseCapacity([8 * GB, null, 0], [7 * GB, 7 * GB, 7 * GB])).toEqual({
      capacity: [8 * GB, 7 * GB, 7 * GB],
      sources: ['cAdvisor', 'kube-state-metrics'],
    });
    expect(chooseCapacity(undefined, [7 * GB])).toEqual({ capacity: [7 * GB], sources: ['kube-state-metrics'] });
  });

  it('is unknown (never 0) without either source', () => {
    expect(chooseCapacity(undefined, undefined)).toEqual({ sources: [] });
    expect(chooseCapacity([null], [null])).toEqual({ capacity: [null], sources: [] });
  });
});

describe('nodeMemory', () => {
  it('real used = root working set − root active file; eviction threshold = capacity − evictionHard', () => {
    const m = nodeMemory(
      node({ workingSet: [5 * GB, 6 * GB], activeFile: [2 * GB, 3.5 * GB] }, 2),
      [8 * GB, 8 * GB],
      [7.5 * GB, 7.5 * GB],
      { hard, soft: { percent: 10 } }
    );
    expect(m.workingSet).toEqual([5 * GB, 6 * GB]);
    expect(m.realUsed).toEqual([3 * GB, 2.5 * GB]);
    expect(m.evictionThreshold).toEqual([8 * GB - 100 * MiB, 8 * GB - 100 * MiB]);
    expect(m.softEvictionThreshold).toEqual([7.2 * GB, 7.2 * GB]);
    expect(m.allocatable).toEqual([7.5 * GB, 7.5 * GB]);
  });

  it('has no threshold where capacity is missing, and no soft line unless evictionSoft is set', () => {
    const m = nodeMemory(node({ workingSet: [1, 2], activeFile: [0, 1] }, 2), [null, 4 * GB], undefined, { hard });
    expect(m.evictionThreshold).toEqual([null, 4 * GB - 100 * MiB]);
    expect(m.softEvictionThreshold).toBeUndefined();
  });

  it('uses the same fallback as containers: without file-cache series, active file = cache − (usage − ws)', () => {
    // The worked example (docs/architecture.md) as a node: real used 21 MB estimated.
    const estimated = withEstimatedFileCache(node({ workingSet: [53e6], usage: [101e6], cache: [80e6] }));
    expect(nodeMemory(estimated, [1 * GB], undefined, { hard }).realUsed).toEqual([21e6]);
  });
});

describe('nodeBreakdown', () => {
  // The worked example (docs/architecture.md) on a 1 GB node: usage 101, rss 20, active 30, inactive 48 MB.
  const root = node({ usage: [101e6], rss: [20e6], activeFile: [30e6], inactiveFile: [48e6] });

  it('stacks anon, other, active file, inactive file and free up to capacity; the top of active file is the working set', () => {
    const b = nodeBreakdown(root, undefined, [1 * GB], [0.9 * GB], { hard });
    expect([b.anon, b.other, b.activeFile, b.inactiveFile, b.free]).toEqual([[20e6], [3e6], [30e6], [48e6], [899e6]]);
    expect(b.anon[0]! + b.other[0]! + b.activeFile[0]!).toBe(53e6); // the working set
    expect(b.anon[0]! + b.other[0]! + b.activeFile[0]! + b.inactiveFile[0]! + b.free[0]!).toBe(1 * GB);
    expect(b.split).toBeUndefined();
    expect(b.evictionThreshold).toEqual([1 * GB - 100 * MiB]);
    expect(b.allocatable).toEqual([0.9 * GB]);
  });

  it('splits anon and active file into pods and the rest of the node where the pods cgroup is exported', () => {
    const pods = { ...node({ usage: [60e6], rss: [15e6], activeFile: [25e6], inactiveFile: [18e6] }), key: 'pods' };
    const b = nodeBreakdown(root, pods, [1 * GB], undefined, { hard });
    expect(b.split).toEqual({
      anon: { pods: [15e6], system: [5e6] },
      activeFile: { pods: [25e6], system: [5e6] },
    });
  });

  it('free is unknown without capacity, never 0', () => {
    expect(nodeBreakdown(root, undefined, undefined, undefined, { hard }).free).toEqual([null]);
  });

  it('property: the layers add up to capacity whenever usage ≤ capacity and the parts fit in usage', () => {
    fc.assert(
      fc.property(
        fc.nat(1e9),
        fc.nat(1e9),
        fc.nat(1e9),
        fc.nat(1e9),
        fc.nat(1e9),
        (rss, active, inactive, kernel, spare) => {
          const usage = rss + active + inactive + kernel;
          const b = nodeBreakdown(
            node({ usage: [usage], rss: [rss], activeFile: [active], inactiveFile: [inactive] }),
            undefined,
            [usage + spare],
            undefined,
            { hard }
          );
          const sum = [b.anon, b.other, b.activeFile, b.inactiveFile, b.free].reduce((s, l) => s + (l[0] as number), 0);
          expect(sum).toBe(usage + spare);
        }
      )
    );
  });
});

describe('nodeSignal', () => {
  it("gives the kubelet's room and the page cache share of its signal", () => {
    // 8 GB node, working set 7 GB of which 3 GB active page cache.
    const s = nodeSignal(7 * GB, 3 * GB, 8 * GB, hard);
    expect(s.realUsed).toBe(4 * GB);
    expect(s.roomBeforeEviction).toBe(8 * GB - 100 * MiB - 7 * GB);
    expect(s.pageCacheShare).toBeCloseTo((100 * 3) / 7, 10);
  });

  it('room is negative past the threshold (the kubelet is evicting); with a percentage, capacity × (1 − p) − ws', () => {
    expect(nodeSignal(7.9 * GB, 0, 8 * GB, { percent: 5 }).roomBeforeEviction).toBeCloseTo(7.6 * GB - 7.9 * GB, 0);
  });

  it('caps the page cache share at 100% when an estimated active file exceeds working set', () => {
    expect(nodeSignal(1 * GB, 1.2 * GB, 8 * GB, hard).pageCacheShare).toBe(100);
  });

  it.each<[Sample, Sample, Sample]>([
    [null, 1, 8],
    [0, 0, 8],
    [5, null, 8],
  ])('is null where it cannot be known (ws %p, active %p)', (ws, active, capacity) => {
    expect(nodeSignal(ws, active, capacity, hard).pageCacheShare).toBeNull();
  });

  it('has no room without capacity', () => {
    expect(nodeSignal(1, 0, null, hard).roomBeforeEviction).toBeNull();
  });
});
