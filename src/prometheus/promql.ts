import { GroupBy } from '../types';
import { FilterMatcher, quotePromString } from './escaping';
import { CADVISOR_METRIC } from './metrics';

const SWAP_METRIC = CADVISOR_METRIC.swap;

/** Label names as the cluster's relabeling left them (configurable in the data source). */
export interface LabelNames {
  namespace: string;
  pod: string;
  container: string;
  cluster: string;
}

export const DEFAULT_LABELS: LabelNames = {
  namespace: 'namespace',
  pod: 'pod',
  container: 'container',
  cluster: 'cluster',
};

export interface AdHocFilter {
  key: string;
  operator: string;
  value: string;
}

export interface SelectorParts {
  labels: LabelNames;
  /** On the data source's cluster label; absent in single-cluster setups. */
  cluster?: FilterMatcher | null;
  namespace: FilterMatcher | null;
  pod: FilterMatcher | null;
  container: FilterMatcher | null;
  /** Validated extra matchers from the data source settings, e.g. `cluster="prod"`. */
  extraSelector?: string;
  adHocFilters?: AdHocFilter[];
}

/** A Prometheus label name: letters, digits and "_", not starting with a digit. */
export const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const AD_HOC_OPERATORS = new Set(['=', '!=', '=~', '!~']);

/**
 * The matchers inside `{…}`: the user's filters, then the exclusions of cgroups that are not
 * containers — the pod-level cgroup (container=""), the pause container (container="POD", or an
 * empty image on containerd) and node/slice cgroups (pod="").
 */
export function buildMatchers(parts: SelectorParts): string[] {
  return [...filterMatchers(parts), ...containerExclusions(parts.labels)];
}

/** The user's part of the selection: filters, ad-hoc filters and the extra selector. */
export function filterMatchers(parts: SelectorParts): string[] {
  const { labels } = parts;
  const matchers: string[] = [];
  const add = (label: string, m: FilterMatcher | null) => {
    if (m) {
      matchers.push(`${label}${m.op}${quotePromString(m.value)}`);
    }
  };
  add(labels.cluster, parts.cluster ?? null);
  add(labels.namespace, parts.namespace);
  add(labels.pod, parts.pod);
  add(labels.container, parts.container);
  matchers.push(...(parts.adHocFilters ?? []).map(adHocMatcher));
  if (parts.extraSelector?.trim()) {
    matchers.push(parts.extraSelector.trim());
  }
  return matchers;
}

function containerExclusions(labels: LabelNames): string[] {
  return [`${labels.container}!=""`, `${labels.container}!="POD"`, `${labels.pod}!=""`, 'image!=""'];
}

/** One ad-hoc filter as a matcher; a key or operator Prometheus would refuse is an error. */
export function adHocMatcher(filter: AdHocFilter): string {
  if (!LABEL_NAME.test(filter.key)) {
    throw new Error(`Ad-hoc filter key "${filter.key}" is not a valid Prometheus label name`);
  }
  if (!AD_HOC_OPERATORS.has(filter.operator)) {
    throw new Error(`Ad-hoc filter operator "${filter.operator}" is not supported (use =, !=, =~ or !~)`);
  }
  return `${filter.key}${filter.operator}${quotePromString(filter.value)}`;
}

export function selector(metric: string, matchers: string[]): string {
  return `${metric}{${withoutImpliedExclusions(matchers).join(', ')}}`;
}

const POSITIVE_MATCHER = /^([a-zA-Z_][a-zA-Z0-9_]*)(=~?)("(?:[^"\\]|\\.)*")$/;

/**
 * The matchers without a `label!=""` that another matcher implies: `pod="x"`, or `pod=~"a|b"` (a
 * top N's narrowing) whose pattern cannot match an empty value. Same series; but Prometheus 2.x
 * resolves `label!=""` by merging the postings of every value the label has (every pod of the
 * cluster), even beside a matcher that leaves a few.
 */
export function withoutImpliedExclusions(matchers: string[]): string[] {
  const nonEmpty = new Set<string>();
  for (const m of matchers) {
    const [, label, op, quoted] = POSITIVE_MATCHER.exec(m) ?? [];
    if (label && !matchesEmpty(op, quoted)) {
      nonEmpty.add(label);
    }
  }
  return nonEmpty.size === 0 ? matchers : matchers.filter((m) => !(m.endsWith('!=""') && nonEmpty.has(m.slice(0, -4))));
}

/** Whether `label<op>quoted` selects an empty value; true (keep the exclusion) when unsure. */
function matchesEmpty(op: string, quoted: string): boolean {
  try {
    const value: string = JSON.parse(quoted);
    return op === '=' ? value === '' : new RegExp(`^(?:${value})$`).test('');
  } catch {
    return true;
  }
}

/** Labels that identify one group at the chosen level; cluster is harmless when absent. */
export function groupLabels(labels: LabelNames, groupBy: GroupBy): string[] {
  switch (groupBy) {
    case 'namespace':
      return [labels.cluster, labels.namespace];
    case 'pod':
      return [labels.cluster, labels.namespace, labels.pod];
    default:
      return [labels.cluster, labels.namespace, labels.pod, labels.container];
  }
}

/**
 * One container's series summed into its pod or namespace, each timestamp's figures from the
 * scrape of it with the most real used (else, where no scrape of it has an active-file series,
 * the most working set), as the plugin does per container (memory/duplicateScrapes.ts):
 *
 *   sum by (group) (avg by (identity) (metric and (R == on (identity) group_left max by (identity) (R))))
 *   R = ws - active or on (identity) ws
 *
 * Two jobs scraping one container can disagree (ws 200 / active 10 MB against ws 150 / active
 * 100 MB); the largest of each metric taken apart gives a real used no scrape reported (100 MB).
 * `==` keeps the scrapes with the most real used and `and` their series of `metric` (same labels
 * but the name). Scrapes that tie on real used are averaged, which keeps real used exact: `topk`
 * would pick one at random per query, a working set from one scrape and an active file from the
 * other (Prometheus orders a range query's series by hash). Five selectors instead of one:
 * measured on the bench cluster (720 points), 0.2 → 0.6 s for a namespace of 100 containers by
 * pod, 1.7 → 12 s for 2,000 containers by namespace. So range queries use it only where a probe
 * found a container scraped twice (`duplicateScrapesProbeExpr`, 0.15 s for the 2,000).
 *
 * At container level (the recording rules, the ranking, the swap range query) `avg by` is the group.
 */
export function groupedExpr(metric: string, matchers: string[], labels: LabelNames, groupBy: GroupBy): string {
  const identity = groupLabels(labels, 'container').join(', ');
  const perContainer = `avg by (${identity}) (${selector(metric, matchers)} and ${mostRealUsed(matchers, identity)})`;
  return groupBy === 'container'
    ? perContainer
    : `sum by (${groupLabels(labels, groupBy).join(', ')}) (${perContainer})`;
}

/** The scrapes of each container with the most real used, else the most working set (`groupedExpr`). */
function mostRealUsed(matchers: string[], identity: string): string {
  const ws = selector(CADVISOR_METRIC.workingSet, matchers);
  const realUsed = `(${ws} - ${selector(CADVISOR_METRIC.activeFile, matchers)} or on (${identity}) ${ws})`;
  return `(${realUsed} == on (${identity}) group_left max by (${identity}) ${realUsed})`;
}

/** A query, and which of its series the plugin keeps (see `plainSelector`). */
export interface SeriesQuery {
  expr: string;
  keep?: (labels: Record<string, string>) => boolean;
}

/**
 * Shown before the plain selectors in the executed query: what they leave out. A PromQL comment,
 * so the copied text still parses.
 */
export const PLAIN_SELECTOR_NOTE =
  '# series without a pod or an image label are dropped by the plugin, as pod!="", image!="" would';

/** Exclusions a plain selector leaves to the plugin. */
const plainExclusions = (labels: LabelNames) => [labels.pod, 'image'];

/**
 * A plain selector without `pod!=""` and `image!=""`, and the check that stands in for them.
 * Prometheus 2.x resolves `label!=""` by merging the index entries of every value the label has —
 * every pod and every image of the cluster — which costs more than reading one namespace's series
 * (bench: 41 → 21 ms for 100 containers over 6 h, 14 → 6 ms for a refresh's last 11 minutes). A
 * plain selector's series carry their labels, so the plugin drops those without a pod or an image
 * itself: the same series, the same answer. `container!=""` stays with Prometheus: it keeps out
 * each pod's own cgroup, a series per pod. Aggregations keep every exclusion: their series are sums.
 */
export function plainSelector(metric: string, matchers: string[], labels: LabelNames): SeriesQuery {
  const dropped = plainExclusions(labels).filter((label) => matchers.includes(`${label}!=""`));
  if (dropped.length === 0) {
    return { expr: selector(metric, matchers) };
  }
  const left = new Set(dropped.map((label) => `${label}!=""`));
  return {
    expr: selector(
      metric,
      matchers.filter((m) => !left.has(m))
    ),
    keep: (series) => dropped.every((label) => !!series[label]),
  };
}

/**
 * The range query of one memory metric for the groups at `groupBy`. Above the container level,
 * Prometheus sums the containers: `groupedExpr` where some container of the selection is scraped
 * more than once (`duplicates`), else the cheaper `max by` (the same answer for one scrape).
 * At the container level the series are fetched as they are (`plainSelector`) and the plugin
 * collapses duplicate scrapes itself, each timestamp's figures from one scrape
 * (memory/duplicateScrapes.ts). Fetching plain series is also faster: Prometheus 2.x evaluates an
 * aggregation over a range step by step, ~10× slower than the plain selector (bench: 0.20 s
 * against 0.02 s for 100 containers × 720 points, 4.3 s against 0.27 s for 2,000). The price is a
 * few label bytes per series, and twice the bytes for a container that two jobs scrape.
 */
export function rangeQuery(
  metric: string,
  matchers: string[],
  labels: LabelNames,
  groupBy: GroupBy,
  duplicates: boolean
): SeriesQuery {
  if (groupBy === 'container') {
    return plainSelector(metric, matchers, labels);
  }
  if (duplicates) {
    return { expr: groupedExpr(metric, matchers, labels, groupBy) };
  }
  const identity = groupLabels(labels, 'container').join(', ');
  const group = groupLabels(labels, groupBy).join(', ');
  return { expr: `sum by (${group}) (max by (${identity}) (${selector(metric, matchers)}))` };
}

/**
 * Containers of the selection scraped more than once in the window (by two jobs, two instances):
 * label sets that differ in more than the cgroup's own labels (a restart changes only those).
 */
export function duplicateScrapesProbeExpr(matchers: string[], labels: LabelNames, windowSeconds: number): string {
  const identity = groupLabels(labels, 'container').join(', ');
  const ws = selector(CADVISOR_METRIC.workingSet, matchers);
  return `count by (${identity}) (count without (id, name, image) (last_over_time(${ws}[${windowSeconds}s]))) > 1`;
}

/**
 * Few containers ever swap, yet a range query costs as much as any other metric's. One instant
 * probe over the whole range (a single evaluation) finds the groups that swapped; only those get
 * a range query (`swappedExpr`), filtered to non-zero values.
 */
export function swapProbeExpr(matchers: string[], labels: LabelNames, groupBy: GroupBy, windowSeconds: number): string {
  const identity = groupLabels(labels, 'container').join(', ');
  const group = groupLabels(labels, groupBy).join(', ');
  return `sum by (${group}) (max by (${identity}) (max_over_time(${selector(SWAP_METRIC, matchers)}[${windowSeconds}s]))) > 0`;
}

export function swappedExpr(matchers: string[], labels: LabelNames, groupBy: GroupBy): string {
  return groupedExpr(SWAP_METRIC, matchers, labels, groupBy) + ' > 0';
}

/**
 * PSI "some" as the share of time under memory pressure, per group: the most pressured container
 * of the group (a pod stalls when one of its containers does). The window holds at least two
 * samples at scrape intervals up to a minute.
 */
export function pressureQuery(
  matchers: string[],
  labels: LabelNames,
  groupBy: GroupBy,
  stepSeconds: number
): SeriesQuery {
  const group = groupLabels(labels, groupBy).join(', ');
  const window = `${Math.max(2 * stepSeconds, 120)}s`;
  // Per container, the max of duplicate scrapes is taken by the plugin, as for rangeQuery.
  if (groupBy === 'container') {
    const plain = plainSelector(CADVISOR_METRIC.pressure, matchers, labels);
    return { ...plain, expr: `rate(${plain.expr}[${window}])` };
  }
  return { expr: `max by (${group}) (rate(${selector(CADVISOR_METRIC.pressure, matchers)}[${window}]))` };
}
