/**
 * Names of the series the recording rules write (rules.ts generates the rules; the panels read some
 * of them, see recordedQueries.ts). Their own file, so the plugin's bundle does not carry the rule
 * generator.
 */
/** Names of the recorded series (level:metric:operation, as Prometheus' naming practice asks). */
export const RECORDED = {
  workingSet: 'namespace_pod_container:container_memory_working_set_bytes',
  /**
   * Active file as measured (no estimate): absent for containers without file-cache series. With
   * working set, what the plugin's panels read when the rules are loaded (src/run/recorded.ts).
   */
  activeFile: 'namespace_pod_container:container_memory_total_active_file_bytes',
  /** Working set − active file; usage − cache (the plugin's estimate) without file-cache series. */
  realUsed: 'namespace_pod_container:container_memory_real_used_bytes',
  /** Active + inactive file, estimated like the plugin's without file-cache series. */
  fileCache: 'namespace_pod_container:container_memory_file_cache_bytes',
  /** cAdvisor's limit when > 0, else kube-state-metrics', else cAdvisor's 0 (= unlimited). */
  limit: 'namespace_pod_container:container_memory_limit_bytes',
  request: 'namespace_pod_container:container_memory_request_bytes',
  /** Real used / limit; absent for a container without a limit. */
  realUsedPerLimit: 'namespace_pod_container:container_memory_real_used_per_limit:ratio',
} as const;
