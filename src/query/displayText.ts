import { VIEWS, viewOf } from '../views/registry';
import {
  DEFAULT_FORMULA,
  DEFAULT_GROUP_BY,
  DEFAULT_NODE_VIEW,
  FILTER_KEYS,
  FORMULAS,
  Formula,
  NODE_VIEWS,
  RealMemoryQuery,
} from '../types';

/**
 * A query in one line, for Explore's query history: the view, its figure, the filters as typed,
 * then grouping and options that differ from the defaults.
 * e.g. "Headroom (% of limit) · namespace: shop, pod: !/canary-.*\/ · by pod · top 10 · min step 1m"
 */
export function queryDisplayText(query: RealMemoryQuery, defaultFormula: Formula = DEFAULT_FORMULA): string {
  const view = VIEWS[viewOf(query)];
  const formula = FORMULAS.find((f) => f === query.formula) ?? defaultFormula;
  const title = view.label + (view.displayText?.titleSuffix?.(query, formula) ?? '');
  const options = view.displayText?.options?.(query) ?? [];
  const minStep = query.minStep?.trim() ? [`min step ${query.minStep.trim()}`] : [];
  if (view.kind === 'nodes') {
    return [nodesTitle(title, query), nodesSelection(query), ...options, ...minStep].join(' · ');
  }
  const filters = FILTER_KEYS.flatMap((key) => {
    const text = query[key]?.trim();
    return text ? [`${key}: ${text}`] : [];
  });
  const parts = [title, filters.length > 0 ? filters.join(', ') : 'all containers'];
  if (query.groupBy && query.groupBy !== DEFAULT_GROUP_BY) {
    parts.push(`by ${query.groupBy}`);
  }
  if (query.topN) {
    parts.push(`top ${query.topN}`);
  }
  return [...parts, ...options, ...minStep].join(' · ');
}

/** e.g. "Nodes (table)": the node view when it is not the default. */
function nodesTitle(title: string, query: RealMemoryQuery): string {
  const nodeView = NODE_VIEWS.find((v) => v === query.nodeView) ?? DEFAULT_NODE_VIEW;
  return nodeView === DEFAULT_NODE_VIEW ? title : `${title} (${nodeView})`;
}

/** e.g. "cluster: prod, node: /worker-.*\/", or "all nodes". */
function nodesSelection(query: RealMemoryQuery): string {
  const cluster = query.cluster?.trim();
  const node = query.node?.trim();
  return [cluster ? `cluster: ${cluster}` : '', node ? `node: ${node}` : 'all nodes'].filter(Boolean).join(', ');
}
