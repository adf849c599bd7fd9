import { breakdown } from './breakdown';
import { headroom } from './headroom';
import { leakCheck } from './leakCheck';
import { nodes } from './nodes';
import { realVsWorkingSet } from './realVsWorkingSet';
import { ViewDefinition } from './view';

/**
 * Every view, in the order of the view picker. Adding a view: its module in src/views/<name>/
 * (a ViewDefinition) and one line here; the query model, the data source, the editor and
 * Explore's history ask this table (docs/architecture.md, "Adding a view").
 */
export const VIEWS = {
  realVsWorkingSet,
  breakdown,
  headroom,
  leakCheck,
  nodes,
} satisfies Record<string, ViewDefinition>;

/** The `view` key's values, stored in dashboards: never rename one. */
export type MemoryView = keyof typeof VIEWS;
export const MEMORY_VIEWS = Object.keys(VIEWS) as MemoryView[];
export const DEFAULT_VIEW: MemoryView = 'realVsWorkingSet';

/** The query's view; the default when unset or unknown (validation names an unknown one). */
export function viewOf(query: { view?: unknown }): MemoryView {
  return MEMORY_VIEWS.find((v) => v === query.view) ?? DEFAULT_VIEW;
}
