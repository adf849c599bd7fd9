import { meanPressure } from './pressure';

describe('meanPressure', () => {
  it('averages the share of time under pressure over the span, skipping gaps', () => {
    expect(meanPressure([0.1, 0.3, null, 0.2, 0.9], 0, 4)).toBeCloseTo(0.2, 12);
    expect(meanPressure([0.1, 0.3, null, 0.2, 0.9], 3, 5)).toBeCloseTo(0.55, 12);
  });

  it('is unknown (null, never 0) without PSI series or samples', () => {
    expect(meanPressure(null, 0, 3)).toBeNull();
    expect(meanPressure(undefined, 0, 3)).toBeNull();
    expect(meanPressure([null, null, null], 0, 3)).toBeNull();
    expect(meanPressure([0, 0, 0], 0, 3)).toBe(0);
  });

  it('clamps rate() artefacts into [0, 1]', () => {
    expect(meanPressure([-0.01, 1.02], 0, 2)).toBeCloseTo(0.5, 12);
  });
});
