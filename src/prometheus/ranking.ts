import { CADVISOR_METRIC } from './metrics';
import { escapeRegex, quotePromString } from './escaping';
import { LabelNames, groupLabels, groupedExpr, selector } from './promql';
import { GroupBy } from '../types';

/**
 * Ranking for large selections: one instant query picks the N groups with the most real used,
 * then the range queries fetch only those (docs/architecture.md, "Data flow"). Groups without the file-cache
 * series are ranked by the fallback estimate: active file ≈ cache − (usage − working set).
 */
export function topRealUsedExpr(n: number, matchers: string[], labels: LabelNames, groupBy: GroupBy): string {
  const g = (metric: keyof typeof CADVISOR_METRIC) => groupedExpr(CADVISOR_METRIC[metric], matchers, labels, groupBy);
  const estimatedActive = `clamp_min(${g('cache')} - (${g('usage')} - ${g('workingSet')}), 0)`;
  return `topk(${Math.floor(n)}, ${g('workingSet')} - (${g('activeFile')} or ${estimatedActive}))`;
}

/**
 * How many groups had samples anywhere in the range (not only at its end, where the ranking looks),
 * so the notice also tells when a container that stopped mid-range was left out.
 */
export function groupCountExpr(matchers: string[], labels: LabelNames, groupBy: GroupBy, rangeSeconds: number): string {
  const window = `${Math.max(1, Math.ceil(rangeSeconds))}s`;
  return `count(count by (${groupLabels(labels, groupBy).join(', ')}) (last_over_time(${selector(CADVISOR_METRIC.workingSet, matchers)}[${window}])))`;
}

/** Matchers that narrow a selector to the ranked groups (a superset; exact groups are kept afterwards). */
export function matchersForGroups(groups: Array<Record<string, string>>, labels: LabelNames, groupBy: GroupBy): string[] {
  return groupLabels(labels, groupBy)
    .filter((name) => groups.some((g) => g[name]))
    .map((name) => {
      const values = Array.from(new Set(groups.map((g) => g[name] ?? '')));
      return `${name}=~${quotePromString(values.map(escapeRegex).join('|'))}`;
    });
}
