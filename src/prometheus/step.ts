/** Prometheus refuses a range query with more than 11,000 points per series. */
export const MAX_POINTS_PER_SERIES = 11000;

export interface RangeParams {
  start: number; // seconds
  end: number; // seconds
  step: number; // seconds
}

const DURATION_UNITS: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400, w: 604800 };
const DURATION = /^(\d+(?:\.\d+)?)(ms|s|m|h|d|w)?$/;

/**
 * A step as typed in the query editor ("30s", "1m", "1h", or plain seconds) in seconds, or null
 * when it is not one. Prometheus' own duration units; no compound forms ("1m30s").
 */
export function parseStepSeconds(text: string): number | null {
  const m = DURATION.exec(text.trim());
  if (!m) {
    return null;
  }
  const seconds = Number(m[1]) * DURATION_UNITS[m[2] ?? 's'];
  return seconds > 0 ? seconds : null;
}

/**
 * The step Grafana would use: the panel's interval (at least the query's min step), but never so small that the panel gets more
 * points than it can draw or Prometheus' limit allows. Start and end are aligned to the step so
 * every metric's samples land on the same timestamps and repeated refreshes hit the same points.
 */
export function rangeParams(
  fromMs: number,
  toMs: number,
  intervalMs: number,
  maxDataPoints?: number,
  minStepSeconds = 0
): RangeParams {
  const rangeSeconds = Math.max((toMs - fromMs) / 1000, 1);
  const byInterval = Math.max((intervalMs || 15000) / 1000, minStepSeconds);
  const byDataPoints = maxDataPoints ? rangeSeconds / maxDataPoints : 0;
  // Two points of slack for the aligned start and end.
  const byLimit = rangeSeconds / (MAX_POINTS_PER_SERIES - 2);
  const step = Math.max(1, Math.ceil(Math.max(byInterval, byDataPoints, byLimit)));
  const start = Math.floor(fromMs / 1000 / step) * step;
  const end = Math.ceil(toMs / 1000 / step) * step;
  return { start, end, step };
}

/** The last evaluation of a range: the state "now" (or at the end of the dashboard's range), one evaluation. */
export function lastInstant(range: RangeParams): RangeParams {
  return { start: range.end, end: range.end, step: range.step };
}
