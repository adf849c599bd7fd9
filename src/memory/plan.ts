import { Formula } from './formula';
import { MetricKey } from './series';

/**
 * Which metrics a view must fetch. Bytes and Prometheus CPU grow with every metric, so each view
 * asks for what it plots (docs/architecture.md). The fallback metrics are fetched in a second
 * round, only when some group lacks the file-cache series.
 */
export interface FetchPlan {
  first: MetricKey[];
  /** Needed to estimate activeFile/inactiveFile for groups without the file-cache series. */
  fallback: MetricKey[];
}

export function planRealVsWorkingSet(formula: Formula, showUsage: boolean): FetchPlan {
  const first: MetricKey[] = ['workingSet', 'activeFile'];
  if (formula === 'usageMinusActiveFile' || showUsage) {
    first.push('usage');
  }
  return { first, fallback: missing(first, ['usage', 'cache']) };
}

export function planBreakdown(): FetchPlan {
  // swap costs one cheap instant probe unless some group swapped (run/groups.ts, fetchSwap).
  const first: MetricKey[] = ['usage', 'rss', 'activeFile', 'inactiveFile', 'swap'];
  return { first, fallback: ['workingSet', 'cache'] };
}

/** Headroom: real used and working set → working set + active file (real used = ws − active file). */
export function planHeadroom(): FetchPlan {
  return { first: ['workingSet', 'activeFile'], fallback: ['usage', 'cache'] };
}

/**
 * Leak check: real used and file cache → working set, active and inactive file; anon (rss) to say
 * what grew; PSI pressure (absent on cgroup v1 and older kubelets: then unknown, never 0).
 */
export function planLeakCheck(): FetchPlan {
  return { first: ['workingSet', 'activeFile', 'inactiveFile', 'rss', 'pressure'], fallback: ['usage', 'cache'] };
}

function missing(have: MetricKey[], want: MetricKey[]): MetricKey[] {
  return want.filter((m) => !have.includes(m));
}

/** Nodes, time series and table: the root cgroup's working set and active file (real used = ws − active file). */
export function planNodeMemory(): FetchPlan {
  return { first: ['workingSet', 'activeFile'], fallback: ['usage', 'cache'] };
}

/** Node breakdown: as the containers' breakdown, without swap (the kubelet's signal ignores it). */
export function planNodeBreakdown(): FetchPlan {
  return { first: ['usage', 'rss', 'activeFile', 'inactiveFile'], fallback: ['workingSet', 'cache'] };
}

/** Eviction order: each pod's working set (the kubelet's usage) and active file for real used. */
export function planEvictionOrder(): FetchPlan {
  return { first: ['workingSet', 'activeFile'], fallback: ['usage', 'cache'] };
}
