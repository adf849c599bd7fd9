/**
 * Nearest-rank percentile: the smallest peak such that at least a share p of all peaks are at or
 * below it, i.e. sorted[ceil(p·n) − 1]. No interpolation: the answer is always a peak that happened.
 *
 * Why nearest rank: it is the rule of VPA's histogram with equal weights. Histogram.Percentile
 * (vertical-pod-autoscaler/pkg/recommender/util/histogram.go) walks the buckets and stops at the
 * first where the cumulative weight reaches p × total weight, and every memory peak is added with
 * weight 1 (model/aggregate_container_state.go, AddSample). VPA then returns the end of that
 * bucket (buckets 5% wider each, the first 10 MB: model/aggregations_config.go, and
 * util/histogram_options.go), so it reads up to one bucket above the peak: ≤ 15% at 100 MiB,
 * ≤ 8% at 300 MiB, ≤ 6% at 1 GiB. Ours returns the peak itself.
 *
 * Pure: no Grafana imports.
 */

/** Guards ceil(p·n) against float error: 0.07 × 100 is 7.000000000000001, and its rank must stay 7. */
const EPSILON = 1e-9;

/** Nearest-rank p-th percentile (p in [0, 1]) of the values, or null when there are none. */
export function nearestRank(values: readonly number[], p: number): number | null {
  if (values.length === 0) {
    return null;
  }
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil(Math.min(1, Math.max(0, p)) * sorted.length - EPSILON);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}
