import fc from 'fast-check';

import { VERDICT_CACHE, VERDICT_KERNEL, VERDICT_LEAK, VERDICT_STABLE, verdictThrashing } from '../leakVerdict';
import {
  MIN_SIZING_HOURS,
  REASON_BY_REAL_USED_PREFIX,
  REASON_CACHE_NEEDED_PREFIX,
  REASON_LEAKING,
  REASON_NO_DATA,
  reasonTooShort,
  Sized,
  sizeGroup,
  SizingInput,
} from './sizeGroup';

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;
const days = (n: number, value: (i: number) => number) => Array.from({ length: n }, (_, i) => value(i));
/** Deterministic wobble in [-1, 1]. */
const wobble = (i: number) => (((i * 7919) % 201) - 100) / 100;

/** Plain reimplementations, written apart from the code: VPA's p90/p95 × 1.15 and KRR's max × 1.15. */
const rank = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.ceil(p * xs.length - 1e-9) - 1];
const refVpa = (xs: number[], floor = 250 * MiB) => ({
  target: Math.max(floor, rank(xs, 0.9) * 1.15),
  upperBound: Math.max(floor, rank(xs, 0.95) * 1.15),
});
const refKrr = (xs: number[]) => Math.max(...xs) * 1.15;
const within1 = (actual: number, expected: number) =>
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(Math.abs(expected) * 0.01);

const base = (over: Partial<SizingInput>): SizingInput => ({
  workingSetPeaks: [],
  realUsedPeaks: [],
  currentRequest: undefined,
  currentLimit: undefined,
  oomKills: { count: 0 },
  leakVerdict: VERDICT_STABLE,
  pressureNearLimit: 0,
  spanHours: 14 * 24,
  ...over,
});

const sized = (input: SizingInput, floor?: number): Sized => {
  const s = sizeGroup(input, floor === undefined ? {} : { floor });
  if (s.status === 'noData') {
    throw new Error('expected figures');
  }
  return s;
};

describe('sizeGroup', () => {
  // 14 days of a service reading files: real used ~300 MiB, working set ~1.5 GiB of hot cache.
  const real = days(14, (i) => 300 * MiB + 5 * MiB * wobble(i));
  const ws = days(14, (i) => 1536 * MiB + 20 * MiB * wobble(i + 3));
  const cacheHeavy = base({
    realUsedPeaks: real,
    workingSetPeaks: ws,
    currentRequest: 2 * GiB,
    currentLimit: 2 * GiB,
    leakVerdict: VERDICT_CACHE,
  });

  it('cache-heavy steady container: sized by real used, ~1.2 GiB × 1.15 reserved for cache by working-set sizing', () => {
    const s = sized(cacheHeavy);
    expect(s.status).toBe('ok');
    expect(s.reason.startsWith(REASON_BY_REAL_USED_PREFIX)).toBe(true);
    expect(s.reason).toContain('daily peaks');
    expect(s.recommended.request / MiB).toBeGreaterThan(340);
    expect(s.recommended.request / MiB).toBeLessThan(355);
    within1(s.recommended.request, refVpa(real).target);
    within1(s.recommended.limit!, refVpa(real).upperBound);
    within1(s.reservedForPageCache!, refVpa(ws).target - refVpa(real).target);
    // ≈ 1.2 GiB of cache × 1.15, give or take the days' wobble.
    expect(Math.abs(s.reservedForPageCache! / ((1536 - 300) * MiB * 1.15) - 1)).toBeLessThan(0.03);
    // Every published figure against the plain reimplementation.
    within1(s.vpaRealUsed.target, refVpa(real).target);
    within1(s.vpaRealUsed.upperBound, refVpa(real).upperBound);
    within1(s.vpaWorkingSet!.target, refVpa(ws).target);
    within1(s.vpaWorkingSet!.upperBound, refVpa(ws).upperBound);
    within1(s.krrRealUsed.request, refKrr(real));
    within1(s.krrRealUsed.limit, refKrr(real));
    within1(s.krrWorkingSet!.request, refKrr(ws));
    within1(s.krrWorkingSet!.limit, refKrr(ws));
    expect(s.cacheNeeded).toBe(false);
    expect(s.peakWindowHours).toBe(24);
  });

  it('thrashing container: the limit stays at or above the working set’s upper bound, and the reason says so', () => {
    const s = sized({ ...cacheHeavy, leakVerdict: verdictThrashing(0.23), pressureNearLimit: 0.23 });
    expect(s.status).toBe('ok');
    expect(s.cacheNeeded).toBe(true);
    expect(s.recommended.limit!).toBeGreaterThanOrEqual(s.vpaWorkingSet!.upperBound);
    within1(s.recommended.limit!, refVpa(ws).upperBound);
    within1(s.recommended.request, refVpa(real).target); // the request still by real used
    expect(s.reason).toContain(REASON_CACHE_NEEDED_PREFIX);
    expect(s.reason).toContain('memory pressure 23%');
  });

  it('needs the cache on pressure alone (≥ 10%), or on a thrashing verdict alone; not at 5% nor when unknown', () => {
    expect(sized({ ...cacheHeavy, pressureNearLimit: 0.1 }).cacheNeeded).toBe(true);
    const byVerdict = sized({ ...cacheHeavy, pressureNearLimit: null, leakVerdict: verdictThrashing(0.4) });
    expect(byVerdict.cacheNeeded).toBe(true);
    expect(byVerdict.reason).toContain('page cache thrashing');
    for (const pressureNearLimit of [0.05, null]) {
      const s = sized({ ...cacheHeavy, pressureNearLimit });
      expect(s.cacheNeeded).toBe(false);
      within1(s.recommended.limit!, refVpa(real).upperBound);
    }
  });

  it('cache needed without working-set peaks: says so, limit by real used', () => {
    const s = sized({ ...cacheHeavy, workingSetPeaks: [null, null], pressureNearLimit: 0.3 });
    expect(s.cacheNeeded).toBe(false);
    expect(s.vpaWorkingSet).toBeNull();
    expect(s.reservedForPageCache).toBeNull();
    expect(s.reason).toContain('no working-set peaks');
  });

  it('OOM-looping container: VPA’s bump is applied to the peaks before the method, KRR is not bumped', () => {
    // Limit 512 MiB; real used tops out at ~480 MiB a day; killed 5 times at ~510 MiB.
    const realPeaks = days(14, () => 480 * MiB);
    const atKill = days(5, () => 510 * MiB);
    const s = sized(
      base({
        realUsedPeaks: realPeaks,
        workingSetPeaks: realPeaks,
        currentRequest: 512 * MiB,
        currentLimit: 512 * MiB,
        oomKills: { count: 5, realUsedAtKill: atKill, workingSetAtKill: atKill },
      })
    );
    const bumped = Math.max(510 * MiB + 100 * MiB, 510 * MiB * 1.2); // 612 MiB
    const withKills = [...realPeaks, ...atKill.map(() => bumped)];
    within1(s.vpaRealUsed.target, refVpa(withKills).target);
    within1(s.recommended.request, bumped * 1.15);
    expect(s.recommended.request).toBeGreaterThan(512 * MiB); // above the limit it keeps hitting
    within1(s.krrRealUsed.request, 480 * MiB * 1.15);
    expect(s.reason).toContain('5 OOM kills');
  });

  it('OOM kill with no memory known: bumped from the highest peak', () => {
    const realPeaks = days(14, (i) => (i === 3 ? 700 : 400) * MiB);
    const s = sized(base({ realUsedPeaks: realPeaks, workingSetPeaks: realPeaks, oomKills: { count: 2 } }));
    within1(s.vpaRealUsed.target, 700 * MiB * 1.2 * 1.15);
  });

  it('leaking container: status leaking, never below the current request or limit', () => {
    const s = sized({ ...cacheHeavy, leakVerdict: VERDICT_LEAK });
    expect(s.status).toBe('leaking');
    expect(s.reason).toBe(REASON_LEAKING);
    expect(s.recommended).toEqual({ request: 2 * GiB, limit: 2 * GiB });
    // Figures are still given.
    within1(s.vpaRealUsed.target, refVpa(real).target);
  });

  it('leaking container needing more than it has: the figure wins; without a limit, none is recommended', () => {
    const s = sized({ ...cacheHeavy, leakVerdict: VERDICT_LEAK, currentRequest: 100 * MiB, currentLimit: undefined });
    within1(s.recommended.request, refVpa(real).target);
    expect(s.recommended.limit).toBeNull();
    expect(sized({ ...cacheHeavy, leakVerdict: VERDICT_LEAK, currentLimit: 0 }).recommended.limit).toBeNull();
    // A current request above our limit lifts the limit with it.
    const r = sized({ ...cacheHeavy, leakVerdict: VERDICT_LEAK, currentRequest: 3 * GiB, currentLimit: 1 * GiB });
    expect(r.recommended.request).toBe(3 * GiB);
    expect(r.recommended.limit).toBe(3 * GiB);
  });

  it('kernel-memory growth is not the leak verdict: sized as usual', () => {
    expect(sized({ ...cacheHeavy, leakVerdict: VERDICT_KERNEL }).status).toBe('ok');
  });

  it('nightly batch: daily peaks carry the batch into the request, however low the day is', () => {
    // Idle at 150 MiB, 1.8 GiB for an hour each night: every daily peak is the batch.
    const peaks = days(14, (i) => 1.8 * GiB + 30 * MiB * wobble(i));
    const s = sized(base({ realUsedPeaks: peaks, workingSetPeaks: peaks }));
    within1(s.recommended.request, refVpa(peaks).target);
    expect(s.recommended.request).toBeGreaterThan(1.8 * GiB);
  });

  it('weekly batch in 14 days: ordinary days set the request, the batch day the limit', () => {
    const peaks = days(14, (i) => (i === 6 ? 1024 : 400) * MiB);
    const s = sized(base({ realUsedPeaks: peaks, workingSetPeaks: peaks }));
    within1(s.recommended.request, 400 * MiB * 1.15); // p90: 13th of 14
    within1(s.recommended.limit!, 1024 * MiB * 1.15); // p95: 14th of 14
    within1(s.krrRealUsed.request, 1024 * MiB * 1.15);
  });

  it('younger than a day: tooShort with the figures, on hourly peaks', () => {
    const hourly = days(10, (i) => 300 * MiB + 10 * MiB * wobble(i));
    const s = sized(base({ realUsedPeaks: hourly, workingSetPeaks: hourly, spanHours: 10.7 }));
    expect(s.status).toBe('tooShort');
    expect(s.reason).toBe('too short to size (10 h)');
    expect(s.reason).toBe(reasonTooShort(10.7));
    expect(s.peakWindowHours).toBe(1);
    expect(s.notes[0]).toContain('hourly peaks');
    within1(s.recommended.request, refVpa(hourly).target);
    expect(sized(base({ realUsedPeaks: hourly, spanHours: MIN_SIZING_HOURS })).status).toBe('ok');
  });

  it('a small container gets the floor: 250 MiB by default, 0 allowed, any configured', () => {
    const tiny = days(14, () => 20 * MiB);
    const s = sized(base({ realUsedPeaks: tiny, workingSetPeaks: tiny }));
    expect(s.recommended).toEqual({ request: 250 * MiB, limit: 250 * MiB });
    expect(s.reason).toContain('250 MiB floor');
    const none = sized(base({ realUsedPeaks: tiny, workingSetPeaks: tiny }), 0);
    within1(none.recommended.request, 23 * MiB);
    expect(sized(base({ realUsedPeaks: tiny }), 64 * MiB).recommended.request).toBe(64 * MiB);
  });

  it('no real-used peak: noData, no figures', () => {
    const s = sizeGroup(base({ realUsedPeaks: [null, NaN], workingSetPeaks: [GiB] }));
    expect(s).toEqual({ status: 'noData', reason: REASON_NO_DATA, current: { request: undefined, limit: undefined } });
  });

  it('property: request ≥ floor, request ≤ limit, a leaking group never gets less than it has', () => {
    const bytes = fc.integer({ min: 0, max: 64 * GiB });
    const maybe = fc.option(bytes, { nil: undefined });
    fc.assert(
      fc.property(
        fc.record({
          real: fc.array(fc.option(bytes, { nil: null }), { maxLength: 30 }),
          ws: fc.array(fc.option(bytes, { nil: null }), { maxLength: 30 }),
          currentRequest: maybe,
          currentLimit: maybe,
          kills: fc.nat(10),
          atKill: fc.array(fc.option(bytes, { nil: null }), { maxLength: 10 }),
          verdict: fc.constantFrom(VERDICT_LEAK, VERDICT_STABLE, VERDICT_CACHE, verdictThrashing(0.3), null),
          pressure: fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: null }),
          span: fc.double({ min: 0, max: 30 * 24, noNaN: true }),
          floor: fc.constantFrom(undefined, 0, 64 * MiB),
        }),
        (r) => {
          const s = sizeGroup(
            {
              realUsedPeaks: r.real,
              workingSetPeaks: r.ws,
              currentRequest: r.currentRequest,
              currentLimit: r.currentLimit,
              oomKills: { count: r.kills, realUsedAtKill: r.atKill },
              leakVerdict: r.verdict,
              pressureNearLimit: r.pressure,
              spanHours: r.span,
            },
            { floor: r.floor }
          );
          if (s.status === 'noData') {
            expect(r.real.every((v) => v === null)).toBe(true);
            return;
          }
          const { request, limit } = s.recommended;
          expect(request).toBeGreaterThanOrEqual(r.floor ?? 250 * MiB);
          if (limit !== null) {
            expect(request).toBeLessThanOrEqual(limit);
          }
          expect(s.reservedForPageCache ?? 0).toBeGreaterThanOrEqual(0);
          if (s.status === 'leaking') {
            expect(request).toBeGreaterThanOrEqual(r.currentRequest ?? 0);
            if (r.currentLimit && r.currentLimit > 0) {
              expect(limit).toBeGreaterThanOrEqual(r.currentLimit);
            } else {
              expect(limit).toBeNull();
            }
          }
          // null: unlimited, which holds any cache.
          if (s.cacheNeeded && limit !== null) {
            expect(limit).toBeGreaterThanOrEqual(s.vpaWorkingSet!.upperBound);
          }
        }
      )
    );
  });
});
