/** Prometheus refuses a range query with more than 11,000 points per series. */
export const MAX_POINTS_PER_SERIES = 11000;

export interface RangeParams {
  start: number; // seconds
  end: number; // seconds
  step: number; // seconds
}

/**
 * The step Grafana would use: the panel's interval, but never so small that the panel gets more
 * points than it can draw or Prometheus' limit allows. Start and end are aligned to the step so
 * every metric's samples land on the same timestamps and repeated refreshes hit the same points.
 */
export function rangeParams(fromMs: number, toMs: number, intervalMs: number, maxDataPoints?: number): RangeParams {
  const rangeSeconds = Math.max((toMs - fromMs) / 1000, 1);
  const byInterval = (intervalMs || 15000) / 1000;
  const byDataPoints = maxDataPoints ? rangeSeconds / maxDataPoints : 0;
  // Two points of slack for the aligned start and end.
  const byLimit = rangeSeconds / (MAX_POINTS_PER_SERIES - 2);
  const step = Math.max(1, Math.ceil(Math.max(byInterval, byDataPoints, byLimit)));
  const start = Math.floor(fromMs / 1000 / step) * step;
  const end = Math.ceil(toMs / 1000 / step) * step;
  return { start, end, step };
}
