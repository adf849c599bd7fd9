import { CoreApp } from '@grafana/data';

import { DEFAULT_VIEW } from '../views/registry';
import { DEFAULT_FORMULA, DEFAULT_GROUP_BY, Formula, RealMemoryQuery } from '../types';

/** A new query in Explore answers "what uses the most memory?" without a selection, bounded. */
export const EXPLORE_TOP_N = 10;

export function defaultQuery(app: CoreApp | string | undefined, defaultFormula?: Formula): Partial<RealMemoryQuery> {
  const base: Partial<RealMemoryQuery> = {
    view: DEFAULT_VIEW,
    groupBy: DEFAULT_GROUP_BY,
    formula: defaultFormula ?? DEFAULT_FORMULA,
  };
  return app === CoreApp.Explore ? { ...base, topN: EXPLORE_TOP_N } : base;
}
