import { Formula } from './formula';
import {
  estimatedActiveFile,
  estimatedInactiveFile,
  otherMemory,
  realUsed,
  usageMinusActiveFile,
} from './figures';
import { GroupSeries, MetricKey, Sample } from './series';

/**
 * Whole-series derivations for one group. A group whose file-cache series are missing
 * (cAdvisor < 0.50) gets them estimated from usage, working set and cache first.
 */

export interface RealVsWorkingSet {
  workingSet: Sample[];
  real: Sample[];
  usage?: Sample[];
}

export interface Breakdown {
  anon: Sample[];
  activeFile: Sample[];
  inactiveFile: Sample[];
  other: Sample[];
  /** Only when the group swapped at some point in the range. */
  swap?: Sample[];
}

/** Whether the group has every file-cache series the view fetched (cAdvisor ≥ 0.50 has them all). */
export function hasFileCacheSeries(group: GroupSeries, fetched: MetricKey[]): boolean {
  return fetched.every((m) => (m !== 'activeFile' && m !== 'inactiveFile') || group.values[m] !== undefined);
}

/** Fills activeFile/inactiveFile from usage, working set and cache (docs/architecture.md, "Fallback"). */
export function withEstimatedFileCache(group: GroupSeries): GroupSeries {
  const { usage, workingSet, cache } = group.values;
  const n = group.timestamps.length;
  const inactiveFile = new Array<Sample>(n);
  const activeFile = new Array<Sample>(n);
  for (let i = 0; i < n; i++) {
    inactiveFile[i] = estimatedInactiveFile(at(usage, i), at(workingSet, i));
    activeFile[i] = estimatedActiveFile(at(cache, i), inactiveFile[i]);
  }
  return { ...group, values: { ...group.values, activeFile, inactiveFile } };
}

export function deriveRealVsWorkingSet(group: GroupSeries, formula: Formula): RealVsWorkingSet {
  const { workingSet, usage, activeFile } = group.values;
  const n = group.timestamps.length;
  const real = new Array<Sample>(n);
  for (let i = 0; i < n; i++) {
    real[i] =
      formula === 'usageMinusActiveFile'
        ? usageMinusActiveFile(at(usage, i), at(activeFile, i))
        : realUsed(at(workingSet, i), at(activeFile, i));
  }
  // Fetched columns are passed on as they are, not copied: nothing writes to them after alignment.
  return { workingSet: workingSet ?? nulls(n), real, usage };
}

export function deriveBreakdown(group: GroupSeries): Breakdown {
  const { usage, rss, activeFile, inactiveFile, swap } = group.values;
  const n = group.timestamps.length;
  const other = new Array<Sample>(n);
  for (let i = 0; i < n; i++) {
    other[i] = otherMemory(at(usage, i), at(rss, i), at(activeFile, i), at(inactiveFile, i));
  }
  const result: Breakdown = {
    anon: rss ?? nulls(n),
    activeFile: activeFile ?? nulls(n),
    inactiveFile: inactiveFile ?? nulls(n),
    other,
  };
  if (swap?.some((v) => v !== null && v > 0)) {
    result.swap = swap;
  }
  return result;
}

function at(column: Sample[] | undefined, i: number): Sample {
  return column ? column[i] : null;
}

function nulls(n: number): Sample[] {
  return new Array<Sample>(n).fill(null);
}
