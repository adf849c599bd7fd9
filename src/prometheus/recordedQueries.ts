import { GroupBy } from '../types';
import { escapeRegex, quotePromString } from './escaping';
import { CADVISOR_METRIC } from './metrics';
import { parseExtraSelector } from './extraSelector';
import { LabelNames, SelectorParts, filterMatchers, groupLabels, selector } from './promql';
import { RECORDED } from './recordedNames';

/**
 * PromQL over the series that Real Memory's recording rules write (rules/real-memory.rules.yml):
 * working set and active file per container, the inputs of the plugin's own derivation. Those are
 * what "real used vs working set" and headroom read when the rules are loaded (src/run/recorded.ts).
 */

/** The recorded series the panels read, all written by the same rule group. */
export const RECORDED_INPUTS = [RECORDED.workingSet, RECORDED.activeFile] as const;

/**
 * Shown first in the executed query: which series were read and how far behind they may be. A
 * recorded sample is the rule group's last evaluation, so each point lags cAdvisor's samples by up
 * to one evaluation interval. A PromQL comment, so the copied text still parses.
 */
export const RECORDED_NOTE =
  '# recorded series: each point is the last rule evaluation, up to one interval behind cAdvisor';

/**
 * The selection as matchers on the recorded series, or undefined when it names a label they do not
 * keep. The rules keep exactly cluster, namespace, pod and container, so filters, ad-hoc filters
 * and extra-selector matchers on those select the same containers there; any other label (`job`,
 * `image`, `id`…) exists only on cAdvisor's series. The rules already excluded what is not a
 * container, so the exclusions are not repeated (`image!=""` would even match nothing there).
 */
export function recordedMatchers(parts: SelectorParts): string[] | undefined {
  const { labels } = parts;
  const kept = new Set([labels.cluster, labels.namespace, labels.pod, labels.container]);
  if ((parts.adHocFilters ?? []).some((f) => !kept.has(f.key))) {
    return undefined;
  }
  const extra = parts.extraSelector?.trim() ? parseExtraSelector(parts.extraSelector) : undefined;
  if (extra && (!extra.ok || extra.matchers.some((m) => !kept.has(m.label)))) {
    return undefined;
  }
  return filterMatchers(parts);
}

/**
 * A recorded series at the chosen level. The rules wrote one series per container (their `max by`
 * already collapsed duplicate scrapes), so the container level is the plain selector and the pod
 * and namespace levels a `sum by`: the plugin's own sum of the same per-container values. A plain
 * selector costs Prometheus far less than the `max by` over raw series it replaces (measured on
 * 100 containers × 720 points: 30 ms against 160 ms).
 */
export function recordedExpr(name: string, matchers: string[], labels: LabelNames, groupBy: GroupBy): string {
  const series = selector(name, matchers);
  return groupBy === 'container' ? series : `sum by (${groupLabels(labels, groupBy).join(', ')}) (${series})`;
}

/** The probe's label saying where it found a recorded series: `end` or `start` of the range. */
export const PROBE_AT_LABEL = 'at';

/**
 * How far behind cAdvisor's samples the rules may be: Prometheus' 5-minute lookback. Rules
 * evaluated less often than that leave gaps in any panel of them.
 */
export const RECORDING_LAG_SECONDS = 300;

/** The recorded series the probe looks for: the data source's selection, with its label names. */
function recordedSelector(labels: LabelNames, recordedMatchers: string[], names: readonly string[]): string {
  const name = `__name__=~${quotePromString(names.map(escapeRegex).join('|'))}`;
  // A rule file generated for other label names records other labels.
  const present = [`${labels.namespace}!=""`, `${labels.pod}!=""`, `${labels.container}!=""`];
  return `{${[name, ...recordedMatchers, ...present].join(', ')}}`;
}

/**
 * The probe's first question, an instant query at the end of a range: the recorded series present
 * there and at the range's start (`offset`), counted by name and labelled `at="end"` / `at="start"`.
 */
export function recordedPresenceExpr(labels: LabelNames, recordedMatchers: string[], spanSeconds: number): string {
  const sel = recordedSelector(labels, recordedMatchers, RECORDED_INPUTS);
  const at = (where: string, offset: string) =>
    `label_replace(count by (__name__) (${sel}${offset}), "${PROBE_AT_LABEL}", "${where}", "", "")`;
  return `${at('end', '')} or ${at('start', ` offset ${Math.max(0, Math.ceil(spanSeconds))}s`)}`;
}

/**
 * The probe's second question, asked only when the rules are recording: how many containers the
 * data source sees among cAdvisor's series (`rawMatchers`: its extra selector and the exclusions)
 * that the rules did not record within a lookback of them. A rule file written for another
 * selection (`npm run rules -- --selector`) or edited misses some; an empty answer means none.
 */
export function unrecordedContainersExpr(
  labels: LabelNames,
  rawMatchers: string[],
  recordedMatchers: string[]
): string {
  const identity = groupLabels(labels, 'container').join(', ');
  const seen = `max by (${identity}) (${selector(CADVISOR_METRIC.workingSet, rawMatchers)} offset ${RECORDING_LAG_SECONDS}s)`;
  const recorded = `last_over_time(${recordedSelector(labels, recordedMatchers, [RECORDED.workingSet])}[${2 * RECORDING_LAG_SECONDS}s])`;
  return `count(${seen} unless on (${identity}) ${recorded})`;
}
