import { judgeGrowth, MIN_GROWTH_BYTES_PER_HOUR } from './growth';
import { theilSen } from './trend';

const MiB = 1024 * 1024;
const N = 361; // six hours, one point a minute
const x = Array.from({ length: N }, (_, i) => i / 60);
/** Deterministic noise in [-1, 1]. */
const noise = (i: number) => (((i * 7919) % 201) - 100) / 100;
const judge = (f: (h: number, i: number) => number, n = N) =>
  judgeGrowth(
    x,
    x.map((h, i) => f(h, i)),
    0,
    n
  )!;

describe('judgeGrowth', () => {
  it('a steady rise is growth, with its slope and the floor at the end', () => {
    const g = judge((h, i) => 200 * MiB + 30 * MiB * h + MiB * noise(i));
    expect(g.growing).toBe(true);
    expect(g.slope / MiB).toBeCloseTo(30, 0);
    expect(g.quality).toBeGreaterThan(0.99);
    expect(g.levelAtEnd / MiB).toBeCloseTo(200 + 30 * 6 - 1, -1);
  });

  it('a GC sawtooth over a rising floor is growth, though a line through it fits badly', () => {
    const f = (h: number, i: number) => 300 * MiB + 15 * MiB * h + 200 * MiB * ((i % 10) / 10);
    expect(theilSen(x, x.map(f)).fit!.quality).toBeLessThan(0.5);
    const g = judge(f);
    expect(g.growing).toBe(true);
    expect(g.slope / MiB).toBeCloseTo(15, 6);
    expect(g.quality).toBeCloseTo(1, 6);
  });

  it('noise or a sawtooth over a flat floor is not', () => {
    expect(judge((h, i) => 500 * MiB + 100 * MiB * noise(i)).growing).toBe(false);
    expect(judge((h, i) => 300 * MiB + 200 * MiB * ((i % 10) / 10)).why).toBe('not rising');
  });

  it('start-up growth that levels off is not, nor is one that merely slows down a lot', () => {
    expect(judge((h) => 100 * MiB + 300 * MiB * (1 - Math.exp(-h / 0.5))).why).toBe('levelled off');
    // Cube-root growth: both halves rise without a dip, the later one at about a quarter of the pace.
    const slowing = judge((h) => 100 * MiB + 100 * MiB * Math.cbrt(h));
    expect(slowing.lateSlope! / slowing.earlySlope!).toBeLessThan(0.5);
    expect(slowing.why).toBe('levelled off');
  });

  it('growth only in the later half is too recent to call', () => {
    const g = judge((h, i) => 200 * MiB + (h > 3 ? 40 * MiB * (h - 3) : 0) + 0.5 * MiB * noise(i));
    expect(g.why).toBe('only lately');
  });

  it('growth below 10 MiB/h or below 10% of the level over the span is too small', () => {
    const slow = judge((h) => 100 * MiB + 0.5 * MIN_GROWTH_BYTES_PER_HOUR * h);
    expect(slow.slope).toBeCloseTo(0.5 * MIN_GROWTH_BYTES_PER_HOUR, 3);
    expect(slow.why).toBe('too small');
    // 20 MiB/h for one hour on 10 GiB: 0.2% of the level.
    expect(judge((h) => 10240 * MiB + 20 * MiB * h, 61).why).toBe('too small');
    expect(judge((h) => 100 * MiB + 20 * MiB * h, 61).growing).toBe(true);
  });

  it('nothing to fit gives null', () => {
    expect(judgeGrowth([0, 1], [1, 2], 0, 2)).toBeNull();
    expect(
      judgeGrowth(
        x,
        x.map(() => null),
        0,
        N
      )
    ).toBeNull();
  });
});
