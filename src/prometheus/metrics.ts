import { MetricKey } from '../memory/series';

/** cAdvisor metric names (cgroup v1 names; cAdvisor maps cgroup v2 onto the same ones). */
export const CADVISOR_METRIC: Record<MetricKey, string> = {
  usage: 'container_memory_usage_bytes',
  workingSet: 'container_memory_working_set_bytes',
  rss: 'container_memory_rss',
  cache: 'container_memory_cache',
  activeFile: 'container_memory_total_active_file_bytes',
  inactiveFile: 'container_memory_total_inactive_file_bytes',
  swap: 'container_memory_swap',
  // A counter of seconds (cAdvisor ≥ 0.52, cgroup v2): fetched as a rate, see pressureExpr.
  pressure: 'container_pressure_memory_waiting_seconds_total',
};

/** Present only from cAdvisor 0.50; kubelets of Kubernetes ≤ 1.31 lack them. */
export const FILE_CACHE_METRICS: MetricKey[] = ['activeFile', 'inactiveFile'];
