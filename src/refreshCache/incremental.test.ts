import fc from 'fast-check';

import { RawSeries, rawSeries } from '../memory/series';
import { RangeCache, compareLabels, incrementalQueryInstant, incrementalQueryRange, mergeSeries } from './incremental';
import { RangeParams } from '../prometheus/step';

/**
 * A small Prometheus: samples with the time they were ingested, and range queries evaluated as
 * Prometheus does (at each step, the newest sample at or before it within 5 minutes' look-back,
 * counting only samples ingested by the time of the query).
 */
interface Sample {
  t: number; // ms
  v: number;
  ingestedAt: number; // ms
}
const LOOKBACK_MS = 300_000;

function evaluate(store: Map<string, Sample[]>, range: RangeParams, nowMs: number): RawSeries[] {
  const out: RawSeries[] = [];
  for (const [name, samples] of store) {
    const visible = samples.filter((s) => s.ingestedAt <= nowMs).sort((a, b) => a.t - b.t);
    const points: Array<[number, number]> = [];
    for (let t = range.start; t <= range.end; t += range.step) {
      const ms = t * 1000;
      const last = [...visible].reverse().find((s) => s.t <= ms);
      if (last && ms - last.t <= LOOKBACK_MS) {
        points.push([ms, last.v]);
      }
    }
    if (points.length > 0) {
      out.push(rawSeries({ container: name }, points));
    }
  }
  return out.sort((a, b) => compareLabels(a.labels, b.labels));
}

const STEP = 60;
const RANGE_SECONDS = 3600;

/** Containers that start and stop at random, scraped every 15 s, some scrapes landing late. */
const storeArb = fc
  .array(
    fc.record({
      startMin: fc.integer({ min: 0, max: 200 }),
      lifeMin: fc.integer({ min: 1, max: 200 }),
      base: fc.integer({ min: 1, max: 1000 }),
      gapEvery: fc.integer({ min: 5, max: 60 }),
      lateEvery: fc.integer({ min: 3, max: 50 }),
      lateSeconds: fc.integer({ min: 1, max: 180 }),
    }),
    { minLength: 1, maxLength: 6 }
  )
  .map((specs) => {
    const store = new Map<string, Sample[]>();
    specs.forEach((s, i) => {
      const samples: Sample[] = [];
      for (let k = 0; k < s.lifeMin * 4; k++) {
        if (k % s.gapEvery === s.gapEvery - 1) {
          continue; // a missed scrape
        }
        const t = (s.startMin * 60 + k * 15) * 1000;
        const late = k % s.lateEvery === 0 ? s.lateSeconds * 1000 : 0;
        samples.push({ t, v: s.base + k, ingestedAt: t + late });
      }
      store.set(`c${i}`, samples);
    });
    return store;
  });

describe('incremental refresh', () => {
  it('merged answers equal a full query at every refresh: late samples, gaps, containers coming and going', async () => {
    await fc.assert(
      fc.asyncProperty(storeArb, fc.array(fc.integer({ min: 5, max: 900 }), { minLength: 5, maxLength: 40 }), async (store, waits) => {
        const cache = new RangeCache();
        let nowMs = 10 * 60_000;
        let fetchedPoints = 0;
        let fullPoints = 0;
        const query = incrementalQueryRange(
          async (_expr, range) => {
            const series = evaluate(store, range, nowMs);
            fetchedPoints += series.reduce((n, s) => n + s.times.length, 0);
            return series;
          },
          cache,
          'panel'
        );
        for (const wait of waits) {
          nowMs += wait * 1000;
          // A relative range "last hour" ending now, on the step grid (as rangeParams aligns it).
          const end = Math.ceil(nowMs / 1000 / STEP) * STEP;
          const range = { start: Math.floor((nowMs / 1000 - RANGE_SECONDS) / STEP) * STEP, end, step: STEP };
          const full = evaluate(store, range, nowMs);
          fullPoints += full.reduce((n, s) => n + s.times.length, 0);
          expect(await query('expr', range)).toEqual(full);
        }
        // Never more than full queries would have fetched.
        expect(fetchedPoints).toBeLessThanOrEqual(fullPoints);
      }),
      { numRuns: 300 }
    );
  });

  it('asks only for the tail plus the overlap, rounded down to the step', async () => {
    const cache = new RangeCache(1_000_000, 600);
    const asked: RangeParams[] = [];
    const query = incrementalQueryRange(
      async (_e, range) => {
        asked.push(range);
        return [];
      },
      cache,
      'p'
    );
    await query('e', { start: 0, end: 21600, step: 60 });
    await query('e', { start: 60, end: 21660, step: 60 });
    expect(asked).toEqual([
      { start: 0, end: 21600, step: 60 },
      { start: 21000, end: 21660, step: 60 },
    ]);
  });

  it('fetches the whole range when the step, the expression or the scope changes, or the range went back', async () => {
    const cache = new RangeCache();
    const asked: Array<[string, RangeParams]> = [];
    const make = (scope: string) =>
      incrementalQueryRange(
        async (e, range) => {
          asked.push([e, range]);
          return [rawSeries({ a: '1' }, [[range.start * 1000, 1]])];
        },
        cache,
        scope
      );
    const q = make('p');
    await q('e', { start: 0, end: 7200, step: 60 });
    await q('e', { start: 0, end: 7200, step: 120 }); // new step
    await q('other', { start: 0, end: 7200, step: 120 }); // new expression (filters, group level)
    await make('p2')('e', { start: 0, end: 7200, step: 120 }); // another panel or range
    await q('e', { start: 0, end: 3600, step: 120 }); // range went back
    expect(asked.map(([, r]) => r.start)).toEqual([0, 0, 0, 0, 0]);
  });

  it('holds at most its cap of points, dropping the least recently stored', () => {
    const cache = new RangeCache(10, 2);
    const series = (n: number): RawSeries[] => [rawSeries({}, Array.from({ length: n }, (_, i) => [i, i]))];
    cache.store('a', { start: 0, end: 10, step: 1 }, series(6));
    cache.store('b', { start: 0, end: 10, step: 1 }, series(4));
    expect(cache.size).toBe(10);
    cache.store('c', { start: 0, end: 10, step: 1 }, series(3));
    expect(cache.size).toBe(7);
    expect(cache.plan('a', { start: 0, end: 2000, step: 1 }).cached).toBeUndefined();
    expect(cache.plan('b', { start: 0, end: 2000, step: 1 }).cached).toBeDefined();
    cache.store('huge', { start: 0, end: 10, step: 1 }, series(11));
    expect(cache.plan('huge', { start: 0, end: 2000, step: 1 }).cached).toBeUndefined();
  });

  it('mergeSeries drops series left without points and keeps Prometheus order', () => {
    const merged = mergeSeries(
      [
        rawSeries({ c: 'b' }, [[0, 1]]),
        rawSeries({ c: 'a' }, [[60_000, 1], [120_000, 2]]),
      ],
      [rawSeries({ c: '0' }, [[120_000, 5]])],
      { start: 60, end: 120, step: 60 },
      120
    );
    expect(merged).toEqual([
      rawSeries({ c: '0' }, [[120_000, 5]]),
      rawSeries({ c: 'a' }, [[60_000, 1]]),
    ]);
  });
});

describe('instant queries of a refreshed panel', () => {
  const answer = (v: number) => [{ labels: { container: 'app' }, value: v }];

  it('asks once per expression and time, again at a new time, and keeps no failed answer', async () => {
    const asked: string[] = [];
    let fail = false;
    const base = async (expr: string, time: number) => {
      asked.push(`${expr}@${time}`);
      if (fail) {
        throw new Error('503');
      }
      return answer(time);
    };
    const cache = new RangeCache();
    const q = incrementalQueryInstant(base, cache, 'd/1/A/now-6h');
    expect(await q('topk(1, x)', 300)).toEqual(answer(300));
    expect(await q('topk(1, x)', 300)).toEqual(answer(300));
    expect(await q('count(x)', 300)).toEqual(answer(300));
    expect(await q('topk(1, x)', 600)).toEqual(answer(600));
    // Another panel target's scope does not see this one's answers.
    await incrementalQueryInstant(base, cache, 'd/2/A/now-6h')('topk(1, x)', 600);
    fail = true;
    await expect(q('topk(1, x)', 900)).rejects.toThrow('503');
    await expect(q('topk(1, x)', 900)).rejects.toThrow('503');
    expect(asked).toEqual(['topk(1, x)@300', 'count(x)@300', 'topk(1, x)@600', 'topk(1, x)@600', 'topk(1, x)@900', 'topk(1, x)@900']);
  });
});
