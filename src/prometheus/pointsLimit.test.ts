import { pointsLimitOf, stepWithin } from './pointsLimit';

describe("an engine's points limit, read from its refusal", () => {
  it("reads VictoriaMetrics' flag and Prometheus' fixed limit", () => {
    expect(
      pointsLimitOf(
        'Prometheus error (422): error when executing query="x" on the time range (start=1, end=2, step=60): too many points for the given step=60000, start=1 and end=2: 61; cannot exceed -search.maxPointsPerTimeseries=50'
      )
    ).toEqual({ points: 50, flag: 'VictoriaMetrics -search.maxPointsPerTimeseries' });
    expect(pointsLimitOf('exceeded maximum resolution of 11,000 points per timeseries. Try decreasing')?.points).toBe(
      11000
    );
    expect(pointsLimitOf('too many samples')).toBeUndefined();
    expect(pointsLimitOf('cannot exceed -search.maxPointsPerTimeseries=2')).toBeUndefined();
  });

  it('chooses a step that fits, ends aligned', () => {
    const step = stepWithin({ points: 50, flag: '' }, 3600);
    expect(step).toBe(75);
    // The aligned range can span one step more than the range itself.
    expect(Math.floor((3600 + step) / step) + 1).toBeLessThanOrEqual(50);
  });
});
