import { VERDICT_LEAK, VERDICT_STABLE } from '../leakVerdict';
import { sizeGroup, SizingInput } from './sizeGroup';
import { sizingTotal } from './sizingTotal';

const MiB = 1024 * 1024;
const days = (n: number, v: number) => Array.from({ length: n }, () => v);

const group = (over: Partial<SizingInput>): SizingInput => ({
  workingSetPeaks: [],
  realUsedPeaks: [],
  currentRequest: undefined,
  currentLimit: undefined,
  oomKills: { count: 0 },
  leakVerdict: VERDICT_STABLE,
  pressureNearLimit: null,
  spanHours: 7 * 24,
  ...over,
});

describe('sizingTotal', () => {
  it('sums reserved cache and requests, current against recommended, over the groups with figures', () => {
    const a = sizeGroup(
      group({ realUsedPeaks: days(7, 300 * MiB), workingSetPeaks: days(7, 1300 * MiB), currentRequest: 1024 * MiB })
    );
    const b = sizeGroup(group({ realUsedPeaks: days(7, 400 * MiB), workingSetPeaks: days(7, 400 * MiB) }));
    const c = sizeGroup(
      group({
        realUsedPeaks: days(7, 300 * MiB),
        currentRequest: 512 * MiB,
        currentLimit: 1024 * MiB,
        leakVerdict: VERDICT_LEAK,
      })
    );
    const none = sizeGroup(group({ realUsedPeaks: [null] }));
    const t = sizingTotal([a, b, c, none]);
    expect(t.groups).toBe(4);
    expect(t.sized).toBe(3);
    expect(t.reservedForPageCache / MiB).toBeCloseTo(1000 * 1.15, 6); // a only; b has none; c no working set
    expect(t.currentRequests).toBe(1536 * MiB);
    expect(t.recommendedRequests / MiB).toBeCloseTo(300 * 1.15 + 400 * 1.15 + 512, 6);
    expect(t.withoutRequest).toBe(1);
    expect(t.leaking).toBe(1);
    expect(t.tooShort).toBe(0);
  });

  it('is all zeros for no groups', () => {
    expect(sizingTotal([])).toEqual({
      groups: 0,
      sized: 0,
      reservedForPageCache: 0,
      currentRequests: 0,
      recommendedRequests: 0,
      withoutRequest: 0,
      tooShort: 0,
      leaking: 0,
    });
  });
});
