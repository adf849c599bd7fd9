/**
 * An engine's limit on points per series, read from its refusal. Prometheus' 11,000 is fixed and
 * the step chooser stays below it (step.ts); VictoriaMetrics' `-search.maxPointsPerTimeseries` is
 * a flag (30,000 by default) that an operator may set lower, and then says so:
 * "too many points for the given step=60000, start=… and end=…: 61; cannot exceed -search.maxPointsPerTimeseries=50".
 */
const LIMITS: Array<{ pattern: RegExp; flag: string }> = [
  {
    pattern: /cannot exceed -search\.maxPointsPerTimeseries=(\d+)/,
    flag: 'VictoriaMetrics -search.maxPointsPerTimeseries',
  },
  { pattern: /exceeded maximum resolution of ([\d,]+) points per timeseries/, flag: "Prometheus' fixed limit" },
];

export interface PointsLimit {
  points: number;
  /** Where the limit is set, for the notice. */
  flag: string;
}

export function pointsLimitOf(message: string): PointsLimit | undefined {
  for (const { pattern, flag } of LIMITS) {
    const m = pattern.exec(message);
    const points = m ? Number(m[1].replace(/,/g, '')) : NaN;
    // Below 3 points no step fits a range with its aligned ends.
    if (points >= 3) {
      return { points, flag };
    }
  }
  return undefined;
}

/** The smallest whole step (s) that keeps a range within the limit, with two points of slack for the aligned ends. */
export function stepWithin(limit: PointsLimit, rangeSeconds: number): number {
  return Math.ceil(rangeSeconds / (limit.points - 2));
}
