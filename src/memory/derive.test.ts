import fc from 'fast-check';

import { deriveBreakdown, deriveRealVsWorkingSet, withEstimatedFileCache } from './derive';
import { realUsed, usageMinusActiveFile, workingSet } from './figures';
import { GroupSeries, Sample } from './series';

const group = (values: GroupSeries['values'], n = 1): GroupSeries => ({
  key: 'g',
  labels: {},
  timestamps: Array.from({ length: n }, (_, i) => i * 1000),
  values,
});

describe('worked example (docs/architecture.md)', () => {
  const usage = 101_000_000;
  const rss = 20_000_000;
  const cache = 80_000_000;
  const active = 30_000_000;
  const inactive = 48_000_000;

  it('with file-cache series: working set 53 MB, real used 23 MB, usage − active 71 MB, other 3 MB', () => {
    const ws = workingSet(usage, inactive);
    expect(ws).toBe(53_000_000);
    expect(realUsed(ws, active)).toBe(23_000_000);
    expect(usageMinusActiveFile(usage, active)).toBe(71_000_000);
    const breakdown = deriveBreakdown(group({ usage: [usage], rss: [rss], activeFile: [active], inactiveFile: [inactive] }));
    expect(breakdown).toEqual({ anon: [rss], activeFile: [active], inactiveFile: [inactive], other: [3_000_000] });
  });

  it('without file-cache series: inactive 48 MB, active 32 MB estimated, real used 21 MB', () => {
    const estimated = withEstimatedFileCache(group({ usage: [usage], workingSet: [53_000_000], cache: [cache] }));
    expect(estimated.values.inactiveFile).toEqual([48_000_000]);
    expect(estimated.values.activeFile).toEqual([32_000_000]);
    expect(deriveRealVsWorkingSet(estimated, 'realUsed').real).toEqual([21_000_000]);
  });
});

describe('missing inputs', () => {
  it('give null, never 0', () => {
    const g = group({ workingSet: [10, null, 30], activeFile: [1, 2, null] }, 3);
    expect(deriveRealVsWorkingSet(g, 'realUsed')).toEqual({ workingSet: [10, null, 30], real: [9, null, null], usage: undefined });
  });

  it('the variant without usage is null', () => {
    expect(deriveRealVsWorkingSet(group({ workingSet: [10], activeFile: [1] }), 'usageMinusActiveFile').real).toEqual([null]);
  });

  it('estimated split is null where cache is missing', () => {
    const g = withEstimatedFileCache(group({ usage: [100, 100], workingSet: [60, 60], cache: [70, null] }, 2));
    expect(g.values.activeFile).toEqual([30, null]);
    expect(g.values.inactiveFile).toEqual([40, 40]);
  });

  it('swap appears only when the group swapped', () => {
    const base = { usage: [5], rss: [5], activeFile: [0], inactiveFile: [0] };
    expect(deriveBreakdown(group({ ...base, swap: [0] })).swap).toBeUndefined();
    expect(deriveBreakdown(group({ ...base, swap: [7] })).swap).toEqual([7]);
  });
});

/** Consistent cgroup readings: usage is anon + file LRU + other, cache ⊇ file LRU (cgroup v1 and v2). */
const cgroupReading = fc
  .record({
    rss: fc.nat(2 ** 36),
    active: fc.nat(2 ** 36),
    inactive: fc.nat(2 ** 36),
    other: fc.nat(2 ** 30),
    cacheBeyondLru: fc.nat(2 ** 30),
  })
  .map((r) => ({ ...r, usage: r.rss + r.active + r.inactive + r.other, cache: r.active + r.inactive + r.cacheBeyondLru }));

const withGaps = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { freq: 5, nil: null });

describe('invariants (property tests)', () => {
  it('0 ≤ real used ≤ working set ≤ usage; parts sum to usage; real used = anon + other', () => {
    fc.assert(
      fc.property(fc.array(withGaps(cgroupReading), { minLength: 1, maxLength: 30 }), (readings) => {
        const col = (f: (r: NonNullable<(typeof readings)[number]>) => number): Sample[] => readings.map((r) => (r ? f(r) : null));
        const usage = col((r) => r.usage);
        const g = group(
          {
            usage,
            rss: col((r) => r.rss),
            activeFile: col((r) => r.active),
            inactiveFile: col((r) => r.inactive),
            workingSet: readings.map((r) => (r ? workingSet(r.usage, r.inactive) : null)),
          },
          readings.length
        );
        const rvw = deriveRealVsWorkingSet(g, 'realUsed');
        const b = deriveBreakdown(g);
        readings.forEach((r, i) => {
          if (r === null) {
            expect(rvw.real[i]).toBeNull();
            expect(b.other[i]).toBeNull();
            return;
          }
          const real = rvw.real[i]!;
          const ws = rvw.workingSet[i]!;
          expect(real).toBeGreaterThanOrEqual(0);
          expect(real).toBeLessThanOrEqual(ws);
          expect(ws).toBeLessThanOrEqual(usage[i]!);
          expect(b.anon[i]! + b.activeFile[i]! + b.inactiveFile[i]! + b.other[i]!).toBe(usage[i]);
          expect(real).toBe(b.anon[i]! + b.other[i]!);
        });
      })
    );
  });

  it('the estimated split keeps 0 ≤ real used ≤ working set ≤ usage', () => {
    fc.assert(
      fc.property(fc.array(withGaps(cgroupReading), { minLength: 1, maxLength: 30 }), (readings) => {
        const col = (f: (r: NonNullable<(typeof readings)[number]>) => number): Sample[] => readings.map((r) => (r ? f(r) : null));
        const g = withEstimatedFileCache(
          group(
            {
              usage: col((r) => r.usage),
              cache: col((r) => r.cache),
              workingSet: col((r) => workingSet(r.usage, r.inactive)!),
            },
            readings.length
          )
        );
        const rvw = deriveRealVsWorkingSet(g, 'realUsed');
        readings.forEach((r, i) => {
          if (r === null) {
            expect(rvw.real[i]).toBeNull();
            return;
          }
          expect(g.values.inactiveFile![i]).toBe(r.inactive);
          expect(rvw.real[i]!).toBeGreaterThanOrEqual(0);
          expect(rvw.real[i]!).toBeLessThanOrEqual(rvw.workingSet[i]!);
          expect(rvw.workingSet[i]!).toBeLessThanOrEqual(r.usage);
        });
      })
    );
  });
});
