import { Sample } from './series';

/**
 * The memory figures, one timestamp at a time. Every function returns null when an input is
 * missing (never 0), and floors at 0 because cgroup counters are read at slightly different
 * moments and a small negative difference means "none", not "less than nothing".
 */

const floor0 = (x: number) => (x > 0 ? x : 0);

/** cAdvisor's working set: usage − inactive_file. */
export function workingSet(usage: Sample, inactiveFile: Sample): Sample {
  return usage === null || inactiveFile === null ? null : floor0(usage - inactiveFile);
}

/** Real used: usage − active_file − inactive_file, computed as working set − active_file. */
export function realUsed(workingSet: Sample, activeFile: Sample): Sample {
  return workingSet === null || activeFile === null ? null : floor0(workingSet - activeFile);
}

/** The variant from the original analysis of log-heavy pods: drops active cache, keeps inactive. */
export function usageMinusActiveFile(usage: Sample, activeFile: Sample): Sample {
  return usage === null || activeFile === null ? null : floor0(usage - activeFile);
}

/** Fallback for cAdvisor < 0.50: inactive_file is what the working set left out of usage. */
export function estimatedInactiveFile(usage: Sample, workingSet: Sample): Sample {
  return usage === null || workingSet === null ? null : floor0(usage - workingSet);
}

/** Fallback for cAdvisor < 0.50: the rest of the page cache is taken as active. */
export function estimatedActiveFile(cache: Sample, inactiveFile: Sample): Sample {
  return cache === null || inactiveFile === null ? null : floor0(cache - inactiveFile);
}

/** Kernel memory, shmem/tmpfs and cache outside the file LRU: what usage holds beyond anon and file LRU. */
export function otherMemory(usage: Sample, rss: Sample, activeFile: Sample, inactiveFile: Sample): Sample {
  if (usage === null || rss === null || activeFile === null || inactiveFile === null) {
    return null;
  }
  return floor0(usage - rss - activeFile - inactiveFile);
}

/** Page cache on the file LRU: active_file + inactive_file. */
export function fileCache(activeFile: Sample, inactiveFile: Sample): Sample {
  return activeFile === null || inactiveFile === null ? null : activeFile + inactiveFile;
}
