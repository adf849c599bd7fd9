import { MetricKey } from './series';

/**
 * Which metrics a view must fetch; each view declares its own (src/views/). Bytes and Prometheus
 * CPU grow with every metric, so a view asks for what it plots (docs/architecture.md). The
 * fallback metrics are fetched in a second round, only when some group lacks the file-cache
 * series (src/run/engine.ts).
 */
export interface FetchPlan {
  first: MetricKey[];
  /** Needed to estimate activeFile/inactiveFile for groups without the file-cache series. */
  fallback: MetricKey[];
}
