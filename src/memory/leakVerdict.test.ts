import fc from 'fast-check';

import { demoShape, leakInput, shape, SHAPES } from '../../test/fixtures/leakShapes';
import { MIN_GROWTH_BYTES_PER_HOUR } from './growth';
import {
  LeakInput,
  leakVerdict,
  MIN_POINTS,
  VERDICT_CACHE,
  VERDICT_KERNEL,
  VERDICT_LEAK,
  VERDICT_NO_DATA,
  VERDICT_STABLE,
  VERDICT_THRASHING_PREFIX,
  VERDICT_TOO_SHORT_PREFIX,
  verdictThrashing,
  verdictTooShort,
} from './leakVerdict';
import { NOTE_NO_PSI } from './pressure';
import { segmentStarts } from './restarts';
import { theilSen } from './trend';

const MiB = 1024 * 1024;
const T0 = Date.UTC(2024, 0, 1);
const STEP = 60_000; // one point a minute
const N = 361; // six hours
const times = Array.from({ length: N }, (_, i) => T0 + i * STEP);
const hour = (i: number) => (i * STEP) / 3_600_000;
/** Deterministic noise in [-1, 1]. */
const noise = (i: number) => (((i * 7919) % 201) - 100) / 100;

describe('leakVerdict', () => {
  it('steady anon growth is a possible leak, with slope and time to limit', () => {
    // 200 MiB + 50 MiB/h, limit 1 GiB: at 6 h real used is 500 MiB → (1024 − 500) / 50 h to go.
    const r = leakVerdict({
      times,
      realUsed: times.map((_, i) => 200 * MiB + 50 * MiB * hour(i) + 2 * MiB * noise(i)),
      fileCache: times.map(() => 300 * MiB),
      limit: 1024 * MiB,
    });
    expect(r.verdict).toBe(VERDICT_LEAK);
    expect(r.realUsedSlope! / MiB).toBeCloseTo(50, 0);
    expect(r.fitQuality).toBeGreaterThan(0.95);
    expect(r.timeToLimit! / 3600).toBeCloseTo((1024 - 500) / 50, 0);
    expect(r.restarts).toBe(0);
    expect(r.fittedSpan).toBe(6 * 3600);
  });

  it('growing page cache with flat anon is not a leak', () => {
    const r = leakVerdict({
      times,
      realUsed: times.map((_, i) => 150 * MiB + 3 * MiB * noise(i)),
      fileCache: times.map((_, i) => 100 * MiB + 80 * MiB * hour(i)),
      limit: 2048 * MiB,
    });
    expect(r.verdict).toBe(VERDICT_CACHE);
    expect(r.fileCacheSlope! / MiB).toBeCloseTo(80, 3);
    expect(r.timeToLimit).toBeNull();
  });

  it('cache filling to the limit and reclaimed in a sawtooth is not a leak', () => {
    // Cache climbs 400 MiB in 40 minutes, the kernel reclaims it, nine times over.
    const r = leakVerdict({
      times,
      realUsed: times.map((_, i) => 100 * MiB + MiB * noise(i)),
      fileCache: times.map((_, i) => 10 * MiB + 10 * MiB * (i % 40)),
      limit: 512 * MiB,
    });
    expect(r.verdict).not.toBe(VERDICT_LEAK);
    expect(r.verdict).toBe(VERDICT_STABLE);
    expect(r.timeToLimit).toBeNull();
  });

  it('growth too small to call says how small, in MiB/h as the table shows it', () => {
    // 5 MiB/h on 1 GiB: under 10 MiB/h, and 30 MiB over six hours is 3% of the level.
    const r = leakVerdict({
      times,
      realUsed: times.map((_, i) => 1024 * MiB + 5 * MiB * hour(i)),
      fileCache: times.map(() => 300 * MiB),
      limit: 2048 * MiB,
    });
    expect(r.verdict).toBe(VERDICT_STABLE);
    expect(r.notes).toContain('real used grows 5.0 MiB/h: below 10 MiB/h or 10% of its level over the span');
  });

  it('noisy but stable is stable', () => {
    const r = leakVerdict({
      times,
      realUsed: times.map((_, i) => 300 * MiB + 40 * MiB * noise(i)),
      fileCache: times.map((_, i) => 200 * MiB + 40 * MiB * noise(i * 3)),
      limit: 1024 * MiB,
    });
    expect(r.verdict).toBe(VERDICT_STABLE);
    expect(r.fitQuality!).toBeLessThan(0.5);
  });

  it('a restart mid-range is detected and only the latest segment is fitted', () => {
    // Leaks 100 MiB/h from 50 MiB, OOM-killed at 3 h, starts again at 50 MiB.
    const restartAt = 180;
    const used = times.map((_, i) => {
      const since = i < restartAt ? i : i - restartAt;
      return 50 * MiB + 100 * MiB * hour(since);
    });
    const r = leakVerdict({ times, realUsed: used, fileCache: times.map(() => 0), limit: 400 * MiB });
    expect(r.restarts).toBe(1);
    expect(r.fittedFrom).toBe(times[restartAt]);
    expect(r.verdict).toBe(VERDICT_LEAK);
    expect(r.realUsedSlope! / MiB).toBeCloseTo(100, 3);
    // End of range: 50 + 100·3 = 350 MiB, 50 MiB to go at 100 MiB/h = 30 min.
    expect(r.timeToLimit).toBeCloseTo(1800, 0);
  });

  it('a stable process that restarts is stable, not a shrinking or growing trend', () => {
    const used = times.map((_, i) => (i === 200 ? null : i < 200 ? 400 * MiB : i < 205 ? 40 * MiB : 400 * MiB));
    const r = leakVerdict({ times, realUsed: used, fileCache: times.map(() => 10 * MiB) });
    expect(r.restarts).toBe(1);
    expect(r.verdict).toBe(VERDICT_STABLE);
  });

  it('without a limit: a verdict but no time to limit, and a note saying why', () => {
    const r = leakVerdict({
      times,
      realUsed: times.map((_, i) => 100 * MiB + 30 * MiB * hour(i)),
      fileCache: times.map(() => 0),
      limit: times.map(() => 0),
    });
    expect(r.verdict).toBe(VERDICT_LEAK);
    expect(r.timeToLimit).toBeNull();
    expect(r.notes.join()).toMatch(/no memory limit/);
  });

  it('too little data says so', () => {
    const r = leakVerdict({ times: times.slice(0, 4), realUsed: [1, 2, 3, 4], fileCache: [1, 1, 1, 1] });
    expect(r.verdict).toBe(VERDICT_NO_DATA);
    expect(r.realUsedSlope).toBeNull();
    expect(r.notes[0]).toMatch(new RegExp(`fewer than ${MIN_POINTS} points`));
  });

  it('already past the limit gives zero time to limit', () => {
    const r = leakVerdict({
      times,
      realUsed: times.map((_, i) => 600 * MiB + 20 * MiB * hour(i)),
      fileCache: times.map(() => 0),
      limit: 512 * MiB,
    });
    expect(r.verdict).toBe(VERDICT_LEAK);
    expect(r.timeToLimit).toBe(0);
  });

  it('without anon, real used is judged as a whole and a note says so', () => {
    const r = leakVerdict(leakInput(shape('kernel-growth')));
    expect(r.verdict).toBe(VERDICT_KERNEL);
    const withoutAnon = leakVerdict({ ...leakInput(shape('kernel-growth')), anon: undefined });
    expect(withoutAnon.verdict).toBe(VERDICT_LEAK);
    expect(withoutAnon.kernelSlope).toBeNull();
    expect(withoutAnon.notes.join()).toMatch(/no anon series \(container_memory_rss\)/);
    // An anon series with no sample in the fitted span counts as none: the growth is not lost.
    const emptyAnon = leakVerdict({ ...leakInput(shape('kernel-growth')), anon: times.map(() => null) });
    expect(emptyAnon.verdict).toBe(VERDICT_LEAK);
  });
});

describe('leakVerdict on the shapes real containers make (test/fixtures/leakShapes.ts)', () => {
  it.each(SHAPES.map((s) => [s.story, s.expected, s.name] as const))('%s: "%s"', (_story, expected, name) => {
    expect(leakVerdict(leakInput(shape(name))).verdict).toBe(expected);
  });

  it('the GC sawtooth leak is the one a line through the raw series missed (R² < 0.5)', () => {
    const input = leakInput(shape('gc-leak'));
    const raw = theilSen(
      input.times,
      input.realUsed.map((v) => v)
    ).fit!;
    expect(raw.quality).toBeLessThan(0.5);
    const r = leakVerdict(input);
    expect(r.anonSlope! / 1e6).toBeCloseTo(20, 6);
    expect(r.fitQuality).toBeCloseTo(1, 6);
  });

  it('start-up growth and kernel memory that settles say why they are not growth', () => {
    expect(leakVerdict(leakInput(shape('warm-up'))).anonSlope! / 1e6).toBeLessThan(1);
    const young = leakVerdict(leakInput(shape('young')));
    expect(young.fittedSpan).toBe(40 * 60);
    expect(young.notes.join('\n')).toMatch(/anon memory grew early and levelled off/);
    expect(leakVerdict(leakInput(shape('kernel-settles'))).notes.join('\n')).toMatch(
      /kernel memory grew early and levelled off/
    );
  });

  it('the OOM loop counts its restarts and fits the run after the last one', () => {
    const s = shape('oom-loop');
    const input = leakInput(s);
    const r = leakVerdict(input);
    expect(r.restarts).toBe(3);
    expect(r.fittedFrom).toBe(input.times[300]);
    expect(r.anonSlope! / 1e6).toBeCloseTo(200, 6);
    // At the end (60 min into the run) real used is 50 + 200 + 5 = 255 MB: 145 MB to go at 200 MB/h.
    expect(r.timeToLimit! / 3600).toBeCloseTo(145 / 200, 6);
  });

  it('memory pressure: ~0.2% for the calm cache, 25% for the thrashing one, unknown without PSI', () => {
    const calm = leakVerdict(leakInput(shape('calm-cache')));
    expect(calm.memoryPressure).toBeCloseTo(0.002, 3);
    expect(calm.notes.join()).not.toMatch(/PSI/);
    const thrashing = leakVerdict(leakInput(shape('thrashing-cache')));
    expect(thrashing.memoryPressure).toBeCloseTo(0.25, 2);
    expect(thrashing.verdict).toBe('page cache thrashing: memory pressure 25%');
    const v1 = leakVerdict(leakInput(shape('v1-cache')));
    expect(v1.memoryPressure).toBeNull();
    expect(v1.notes).toContain(NOTE_NO_PSI);
    expect(v1.notes.join()).toMatch(/thrashing cannot be ruled out/);
  });

  it('thrashing wins whatever real used does, and says when anon grows too', () => {
    const input = leakInput(shape('leak-and-cache'));
    const atLimit: LeakInput = { ...input, limit: 450e6, pressure: input.times.map(() => 0.3) };
    const r = leakVerdict(atLimit);
    expect(r.verdict).toBe(verdictThrashing(0.3));
    // 40 MB/h (the shape's decimal figure) is 38.1 MiB/h, as the table shows it.
    expect(r.notes.join()).toMatch(/anon memory is growing too \(38\.\d MiB\/h\)/);
    // The same pressure far from the limit is not the page cache's doing.
    expect(leakVerdict({ ...atLimit, limit: 10e9 }).verdict).toBe(VERDICT_LEAK);
  });

  it.each([1, 5])('the demo workload is not a leak over its first 10–30 minutes (%i s scrapes)', (step) => {
    const demo = demoShape(step);
    for (const minutes of [10, 15, 20, 25, 30]) {
      const r = leakVerdict(leakInput(demo, (minutes * 60) / step + 1));
      expect([r.verdict, minutes]).not.toEqual([VERDICT_LEAK, minutes]);
      expect(r.verdict.startsWith(VERDICT_TOO_SHORT_PREFIX) || r.verdict === VERDICT_STABLE).toBe(true);
    }
    expect(leakVerdict(leakInput(demo, (10 * 60) / step + 1)).verdict).toBe(verdictTooShort(600));
    expect(leakVerdict(leakInput(demo)).verdict).toBe(VERDICT_STABLE);
  });

  it('short ranges are too short to tell, and say how long was fitted', () => {
    const leak = shape('leak-and-cache');
    const quarterMinute = { ...leak, step: 15 };
    const r = leakVerdict(leakInput(quarterMinute, 37)); // 9 minutes
    expect(r.verdict).toBe('too short to tell (fitted 9 min)');
    expect(r.fittedSpan).toBe(9 * 60);
    // A fast OOM loop (a run every 10 minutes) has no run long enough either.
    const fastLoop = leakInput({ ...shape('oom-loop'), at: (i) => shape('oom-loop').at((i % 10) * 10) });
    const loop = leakVerdict(fastLoop);
    expect(loop.verdict.startsWith(VERDICT_TOO_SHORT_PREFIX)).toBe(true);
    expect(loop.restarts).toBeGreaterThan(30);
    expect(loop.notes.join()).toMatch(/restarts: no run between them lasted 20 min/);
  });

  it('verdicts with a number keep a stable prefix for value mappings', () => {
    expect(verdictThrashing(0.234)).toBe('page cache thrashing: memory pressure 23%');
    expect(verdictThrashing(0.234).startsWith(VERDICT_THRASHING_PREFIX)).toBe(true);
    expect(verdictTooShort(9 * 60 + 59)).toBe('too short to tell (fitted 9 min)');
  });
});

describe('leakVerdict properties (unseeded; LEAK_PROPERTY_RUNS=20000 for a long run)', () => {
  const numRuns = Number(process.env.LEAK_PROPERTY_RUNS) || 200;
  const series = fc.record({
    base: fc.integer({ min: 10, max: 4000 }),
    slope: fc.integer({ min: -200, max: 200 }),
    amp: fc.integer({ min: 0, max: 200 }),
    seed: fc.integer({ min: 1, max: 1000 }),
  });
  const make = (s: { base: number; slope: number; amp: number; seed: number }) =>
    times.map((_, i) => Math.max(0, (s.base + s.slope * hour(i) + s.amp * noise(i * s.seed)) * MiB));

  it('adding a constant never turns a non-leak into a leak', () => {
    // Restarts are drops below half the level before, so added memory can hide one (by design: the
    // drop becomes proportionally small) or, near zero, move one; the verdicts are then about
    // different runs and the case is skipped (about 2% of runs). Two such cases, found unseeded:
    // {base: 10, slope: 10, amp: 7, seed: 83} + 1 MiB — for that seed the "noise" is a ramp that
    // wraps every 29 samples; 1 MiB more hides its first drop, the whole range is fitted and its
    // floor rises 10.29 MiB/h instead of 9.78: over the threshold. {base: 10, slope: 0, amp: 126,
    // seed: 716} + 1 MiB — ramps down to 0 and back; the drops near 0 move.
    fc.assert(
      fc.property(series, series, fc.integer({ min: 0, max: 10000 }), fc.boolean(), (a, k, c, withAnon) => {
        const anon = make(a);
        const kernel = make({ ...k, base: k.base / 20, amp: k.amp / 20 });
        const realUsed = anon.map((v, i) => v + kernel[i]);
        const fileCache = times.map(() => 50 * MiB);
        const input = (shift: number): LeakInput => ({
          times,
          realUsed: realUsed.map((v) => v + shift),
          anon: withAnon ? anon.map((v) => v + shift) : undefined,
          fileCache,
        });
        fc.pre(segmentStarts(input(0).realUsed).join() === segmentStarts(input(c * MiB).realUsed).join());
        if (leakVerdict(input(0)).verdict !== VERDICT_LEAK) {
          expect(leakVerdict(input(c * MiB)).verdict).not.toBe(VERDICT_LEAK);
        }
      }),
      { numRuns }
    );
  });

  it('scaling every value never changes the verdict', () => {
    // Exact powers of two scale every sum, median and slope exactly, so only comparisons with the
    // absolute constants could differ: runs whose slopes sit between 0 and 10 MiB/h (where
    // MIN_GROWTH_BYTES_PER_HOUR decides by design) are skipped, and values stay above 1 MiB.
    const trend = fc.oneof(fc.constant(0), fc.integer({ min: 20, max: 200 }), fc.integer({ min: -200, max: -20 }));
    const part = fc.record({
      base: fc.integer({ min: 16, max: 4000 }),
      slope: trend,
      amp: fc.integer({ min: 0, max: 200 }),
      seed: fc.integer({ min: 1, max: 1000 }),
    });
    fc.assert(
      fc.property(part, part, part, fc.integer({ min: 1, max: 6 }), (a, k, f, j) => {
        const lift = (s: typeof a) => ({ ...s, base: s.base + s.amp + Math.abs(s.slope) * 6 });
        const anon = make(lift(a));
        const kernel = make(lift(k));
        const input: LeakInput = {
          times,
          anon,
          realUsed: anon.map((v, i) => v + kernel[i]),
          fileCache: make(lift(f)),
          workingSet: anon.map((v, i) => v + kernel[i]),
          limit: 8192 * MiB,
        };
        const r = leakVerdict(input);
        const slopes = [r.anonSlope, r.kernelSlope, r.fileCacheSlope].filter((s): s is number => s !== null);
        fc.pre(slopes.every((s) => s <= 0 || s >= MIN_GROWTH_BYTES_PER_HOUR));
        const scale = 2 ** j;
        const scaled = leakVerdict({
          ...input,
          anon: anon.map((v) => v * scale),
          realUsed: input.realUsed.map((v) => v! * scale),
          fileCache: input.fileCache.map((v) => v! * scale),
          workingSet: input.workingSet!.map((v) => v! * scale),
          limit: 8192 * MiB * scale,
        });
        expect(scaled.verdict).toBe(r.verdict);
        expect(scaled.anonSlope).toBe(r.anonSlope === null ? null : r.anonSlope * scale);
      }),
      { numRuns }
    );
  });

  it('a restart never reads as shrinking: the run after it is judged as if alone', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 50, max: 2000 }),
        fc.integer({ min: 0, max: 200 }),
        fc.double({ min: 0, max: 0.02, noNaN: true }),
        fc.integer({ min: 1, max: 1000 }),
        fc.integer({ min: 5, max: N - 30 }),
        fc.double({ min: 2.5, max: 20, noNaN: true }),
        (base, slope, ampShare, seed, restartAt, before) => {
          // The old process ran at `before` × its successor's level; the new one starts at base.
          const run = (i: number) => base + slope * hour(i) + ampShare * base * noise(i * seed);
          const used = times.map((_, i) => (i < restartAt ? before * run(i + 60) : run(i - restartAt)) * MiB);
          const input = { times, realUsed: used, anon: used, fileCache: times.map(() => 20 * MiB) };
          const alone = leakVerdict({ ...input, realUsed: used.map((v, i) => (i < restartAt ? null : v)) });
          const r = leakVerdict(input);
          expect(r.restarts).toBe(1);
          expect(r.fittedFrom).toBe(times[restartAt]);
          expect(r.verdict).toBe(alone.verdict);
          expect(r.realUsedSlope).toBe(alone.realUsedSlope);
          if (ampShare === 0) {
            expect(r.realUsedSlope).toBeGreaterThanOrEqual(0);
          }
        }
      ),
      { numRuns }
    );
  });

  it('noise alone never reads as growth', () => {
    const noiseArray = (n: number) =>
      fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: n, maxLength: n });
    const input = fc.integer({ min: MIN_POINTS, max: N }).chain((n) =>
      fc.record({
        n: fc.constant(n),
        stepSeconds: fc.constantFrom(1, 5, 15, 60, 300),
        anon: noiseArray(n),
        kernel: noiseArray(n),
        cache: noiseArray(n),
        base: fc.integer({ min: 1, max: 4000 }),
        share: fc.double({ min: 0, max: 3, noNaN: true }),
      })
    );
    fc.assert(
      fc.property(input, (p) => {
        const at = (u: number[], level: number) => u.map((e) => Math.max(0, level * (1 + p.share * e)) * MiB);
        const anon = at(p.anon, p.base);
        const kernel = at(p.kernel, p.base / 10);
        const r = leakVerdict({
          times: anon.map((_, i) => T0 + i * p.stepSeconds * 1000),
          anon,
          realUsed: anon.map((v, i) => v + kernel[i]),
          fileCache: at(p.cache, p.base),
        });
        expect(
          r.verdict === VERDICT_STABLE ||
            r.verdict === VERDICT_NO_DATA ||
            r.verdict.startsWith(VERDICT_TOO_SHORT_PREFIX)
        ).toBe(true);
      }),
      { numRuns }
    );
  });

  it('shifting the time axis changes nothing', () => {
    fc.assert(
      fc.property(series, series, fc.integer({ min: -1e6, max: 1e6 }), (a, b, shift) => {
        const input = { times, realUsed: make(a), fileCache: make(b), limit: 8192 * MiB };
        const moved = { ...input, times: times.map((t) => t + shift * 1000) };
        const r1 = leakVerdict(input);
        const r2 = leakVerdict(moved);
        expect(r2.verdict).toBe(r1.verdict);
        if (r1.realUsedSlope === null) {
          expect(r2.realUsedSlope).toBeNull();
        } else {
          expect(r2.realUsedSlope).toBeCloseTo(r1.realUsedSlope, 3);
        }
      }),
      { numRuns }
    );
  });

  it('a shrinking series is never a leak', () => {
    fc.assert(
      fc.property(series, (s) => {
        const used = make({ ...s, slope: -Math.abs(s.slope) - 1, amp: 0 });
        expect(leakVerdict({ times, realUsed: used, fileCache: used }).verdict).not.toBe(VERDICT_LEAK);
      }),
      { numRuns }
    );
  });
});
