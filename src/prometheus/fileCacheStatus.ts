import { escapeRegex, quotePromString } from './escaping';
import { CADVISOR_METRIC } from './metrics';

/** Whether cAdvisor's file-cache series exist for a selection (the editor warns when missing). */
export type FileCacheStatus = 'present' | 'missing' | 'noSeries';

export const FILE_CACHE_MISSING_TEXT = 'file-cache series missing: real used will be estimated from cache';

interface LabelValuesClient {
  labelValues(label: string, match: string[], range?: { start: number; end: number }): Promise<string[]>;
}

/**
 * One cheap request: the metric names (`__name__` values) among the selection's working-set and
 * active-file series. Working set alone means an older cAdvisor (< 0.50) or the kubelet's embedded one.
 */
export async function fileCacheStatus(
  client: LabelValuesClient,
  matchers: string[],
  range?: { start: number; end: number }
): Promise<FileCacheStatus> {
  const names = [CADVISOR_METRIC.workingSet, CADVISOR_METRIC.activeFile];
  const nameMatcher = `__name__=~${quotePromString(names.map(escapeRegex).join('|'))}`;
  const found = new Set(await client.labelValues('__name__', [`{${[nameMatcher, ...matchers].join(', ')}}`], range));
  if (found.has(CADVISOR_METRIC.activeFile)) {
    return 'present';
  }
  return found.has(CADVISOR_METRIC.workingSet) ? 'missing' : 'noSeries';
}
