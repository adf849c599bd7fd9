import { DataSourceJsonData } from '@grafana/data';
import { DataQuery } from '@grafana/schema';

/**
 * The query model. Every key is optional and documented in README ("Query model");
 * keep it backward compatible: add keys, never rename or change the meaning of one.
 */
/** The views are listed in src/views/registry.ts, each declared by its own module. */
import type { MemoryView } from './views/registry';
export type { MemoryView };
/** What the "nodes" view returns: per-node time series, a stacked breakdown, or one table row per node. */
export const NODE_VIEWS = ['memory', 'breakdown', 'table', 'evictionOrder'] as const;
export type NodeView = (typeof NODE_VIEWS)[number];
export const GROUP_BYS = ['container', 'pod', 'namespace'] as const;
export type GroupBy = (typeof GROUP_BYS)[number];
/** Headroom in bytes or in % of the limit: one quantity per line, never both on one panel. */
export const HEADROOM_UNITS = ['bytes', 'percent'] as const;
export type HeadroomUnit = (typeof HEADROOM_UNITS)[number];
/**
 * The label filters of a query, in selector order; each picker is scoped by the ones before it.
 * Adding a filter: one entry here, its label name in LabelNames (prometheus/promql.ts) and one in
 * the query editor's FILTERS.
 */
export const FILTER_KEYS = ['cluster', 'namespace', 'pod', 'container'] as const;
export type FilterKey = (typeof FILTER_KEYS)[number];
import { FORMULAS, type Formula } from './memory/formula';
export { FORMULAS };
export type { Formula };

export interface RealMemoryQuery extends DataQuery {
  /** What to plot. Default 'realVsWorkingSet'. */
  view?: MemoryView;
  /**
   * Filters. Empty = any value. A plain value matches exactly; `/regex/` is an RE2 regex
   * (fully anchored, as in PromQL); `$var` / `${var}` are dashboard variables (multi-value
   * and All), escaped before they reach PromQL. Literal text around variables is exact.
   * A leading `!` excludes: `!kube-system`, `!/kube-.*\/`, `!$ns`.
   * The cluster filter uses the data source's cluster label.
   */
  cluster?: string;
  namespace?: string;
  pod?: string;
  container?: string;
  /** Level at which containers are summed. Default 'container'. */
  groupBy?: GroupBy;
  /** Which "real" figure to plot. Default: the data source's default formula, else 'realUsed'. */
  formula?: Formula;
  /** Also return `usage` in the realVsWorkingSet view. Default false. */
  showUsage?: boolean;
  /**
   * realVsWorkingSet: also return the memory `limit` and `request` as dashed series
   * (cAdvisor's limit, else kube-state-metrics'; three more range queries). Default false.
   */
  showLimits?: boolean;
  /**
   * realVsWorkingSet: also the memory pressure (PSI "some", share of time, right axis) where cAdvisor
   * ≥ 0.52 exports it (cgroup v2, kubelet ≥ 1.34); elsewhere a notice says it is unknown. Default false.
   */
  showPressure?: boolean;
  /** Legend template, e.g. `{{pod}}/{{container}}`. Default: the group's labels joined by '/'. */
  legendFormat?: string;
  /**
   * Keep only the N groups with the most real used (ranked by an instant query). 0 or unset = all.
   * Text only as typed in the editor until it is a whole number (or from YAML): the run names it.
   */
  topN?: number | string;
  /**
   * On a relative range ending now, a refresh fetches only the new points (plus a 10-minute
   * overlap) and merges them into what the last refresh fetched. Default true; false = always
   * fetch the whole range.
   */
  incremental?: boolean;
  /** View "nodes": the nodes to show, in the filter syntax of namespace/pod/container. Empty = all. */
  node?: string;
  /** View "nodes": which node frames to return. Default 'memory'. */
  nodeView?: NodeView;
  /**
   * View "nodes": return, instead of the node frames, one table of the pods on the selected nodes in
   * the order the kubelet would evict them, with real used beside each. Default false.
   */
  showEvictionOrder?: boolean;
  /** Headroom view: room in bytes or in % of the limit. Default 'bytes'. */
  headroomUnit?: HeadroomUnit;
  /**
   * Lower bound of the query step, e.g. `30s`, `1m` (a dashboard variable is allowed). Default:
   * the panel's interval. Use it to match the scrape interval or to lighten wide ranges.
   */
  minStep?: string;
}

export const DEFAULT_GROUP_BY: GroupBy = 'container';
export const DEFAULT_FORMULA: Formula = 'realUsed';
export const DEFAULT_NODE_VIEW: NodeView = 'memory';
/** kube-prometheus(-stack) sets `node` on the kubelet's cAdvisor series; kube-state-metrics' node series carry it too. */
export const DEFAULT_NODE_LABEL = 'node';
/** The kubelet's default hard eviction threshold for memory.available. */
export const DEFAULT_EVICTION_HARD = '100Mi';
export const DEFAULT_HEADROOM_UNIT: HeadroomUnit = 'bytes';

/** Options stored in the data source's jsonData (never secrets). */
export interface RealMemoryOptions extends DataSourceJsonData {
  /** Default formula for new queries. */
  defaultFormula?: Formula;
  /** Label names, for relabeled setups. Defaults: namespace, pod, container, cluster. */
  namespaceLabel?: string;
  podLabel?: string;
  containerLabel?: string;
  clusterLabel?: string;
  /** Extra matchers added to every selector, e.g. `cluster="prod", job="kubelet"`. */
  extraSelector?: string;
  /**
   * Copy of the data source URL, read by the `bearer` route in plugin.json (Grafana's route
   * templates can read jsonData but not the URL). Set by the config editor.
   */
  bearerUrl?: string;
  /**
   * True when the bearer-token auth method is chosen: queries then go through the `bearer` route.
   * (The browser never sees secureJsonFields, so this flag is how the data source knows.)
   */
  bearerAuth?: boolean;
  /** Incremental refresh for relative ranges ending now (see RealMemoryQuery.incremental). Default true. */
  incrementalRefresh?: boolean;
  /** The label holding the node name on cAdvisor's series (e.g. `instance` without kube-prometheus). Default `node`. */
  nodeLabel?: string;
  /** The kubelet's `evictionHard` for memory.available: a quantity (`100Mi`, `500M`) or `5%` of capacity. Default `100Mi`. */
  evictionHard?: string;
  /** The kubelet's `evictionSoft` for memory.available, same syntax; drawn when set. */
  evictionSoft?: string;
}

/** Secrets, stored encrypted by Grafana and only ever read by its proxy. */
export interface RealMemorySecureData {
  bearerToken?: string;
}

/** What a query variable lists. */
export type VariableQueryType = 'namespaces' | 'pods' | 'containers' | 'nodes' | 'labelValues';

/**
 * The query model of this data source's query variables (stored in dashboards; keep it
 * backward compatible). Filters use the panel query's syntax: exact, `/regex/`, `$variable`.
 */
export interface RealMemoryVariableQuery extends DataQuery {
  /** Default 'namespaces'. */
  type?: VariableQueryType;
  /** The label whose values are listed, for type 'labelValues'. */
  label?: string;
  namespace?: string;
  pod?: string;
  container?: string;
  /** Extra matchers, e.g. `job="kubelet", node=~"$node"`. */
  selector?: string;
}
