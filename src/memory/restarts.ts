/**
 * Restarts in a memory series: where a new process began. A restarted container is a new cgroup
 * whose memory starts again near its baseline, so a restart shows as a deep, lasting drop.
 *
 * A drop at point k starts a new run when all three hold:
 *   1. the point is below RESET_DROP_FRACTION of the previous one (previous ≥ RESET_MIN_PREVIOUS);
 *   2. the drop lasts: the median of the RESET_CONFIRM_POINTS points from k on is below
 *      RESET_DROP_FRACTION of the median of the RESET_CONFIRM_POINTS points before k (both windows
 *      full: a drop within the first or last few points of a run is left to the fit, where it
 *      weighs as little as any outlier);
 *   3. the drop stands out of the noise: (median before − median after) ≥ RESET_NOISE_MULTIPLE ×
 *      the noise on either side (stepNoise over up to RESET_NOISE_POINTS points before the drop,
 *      within the run, and after it), whichever is larger.
 * Rule 3 is what keeps a noisy series near zero (values clamped at 0 in clusters) from reading
 * as restarts: there a "drop" to 0 is as big as the ordinary wobble.
 *
 * Pure: no Grafana imports.
 */
import { median } from './trend';
import { Sample } from './series';

/**
 * A fall to below half the level before is a new process (Coroot splits RSS at such drops too):
 * reclaim does not touch anon memory, and a heap rarely hands half its pages back to the kernel.
 */
export const RESET_DROP_FRACTION = 0.5;
/** Drops from below 1 MiB are ignored (an almost empty container wobbling). */
export const RESET_MIN_PREVIOUS = 1024 * 1024;
/** Points either side of a drop whose medians must confirm it: one low scrape is not a restart. */
export const RESET_CONFIRM_POINTS = 5;
/** The noise is measured on at most this many points on each side of the drop. */
export const RESET_NOISE_POINTS = 60;
/**
 * The drop must be at least 4 noise standard deviations: a drop that size happens by chance
 * once in tens of thousands of steps, while a real restart (a whole process's memory gone)
 * is many times the noise of a steady series.
 */
export const RESET_NOISE_MULTIPLE = 4;

/**
 * Standard deviation of the noise from point-to-point steps: the mean absolute deviation of the
 * steps from their median, × √(π/2) (normal noise) / √2 (a step holds two points' noise). Steps
 * ignore a steady trend (a growing run has near-constant steps), and the mean, unlike a median,
 * still sees noise when most steps are 0 (a series clamped at 0 most of the time).
 */
export function stepNoise(values: number[]): number {
  if (values.length < 3) {
    return 0;
  }
  const steps = values.slice(1).map((v, i) => v - values[i]);
  const mid = median(steps);
  const meanDeviation = steps.reduce((s, d) => s + Math.abs(d - mid), 0) / steps.length;
  return (meanDeviation * Math.sqrt(Math.PI / 2)) / Math.SQRT2;
}

/** Indices (into `values`) where a new run starts; always begins with the first index, 0. */
export function segmentStarts(values: Sample[]): number[] {
  const idx: number[] = [];
  values.forEach((v, i) => {
    if (v !== null && v !== undefined) {
      idx.push(i);
    }
  });
  const starts = [0];
  let segmentFrom = 0; // position in idx where the current run starts
  for (let k = 1; k < idx.length; k++) {
    const prev = values[idx[k - 1]]!;
    const v = values[idx[k]]!;
    const fullWindows = k - segmentFrom >= RESET_CONFIRM_POINTS && idx.length - k >= RESET_CONFIRM_POINTS;
    if (prev < RESET_MIN_PREVIOUS || v >= RESET_DROP_FRACTION * prev || !fullWindows) {
      continue;
    }
    const at = (from: number, to: number) => idx.slice(from, to).map((i) => values[i]!);
    const before = median(at(Math.max(segmentFrom, k - RESET_CONFIRM_POINTS), k));
    const after = median(at(k, k + RESET_CONFIRM_POINTS));
    const noise = Math.max(
      stepNoise(at(Math.max(segmentFrom, k - RESET_NOISE_POINTS), k)),
      stepNoise(at(k, k + RESET_NOISE_POINTS))
    );
    if (after < RESET_DROP_FRACTION * before && before - after >= RESET_NOISE_MULTIPLE * noise) {
      starts.push(idx[k]);
      segmentFrom = k;
    }
  }
  return starts;
}
