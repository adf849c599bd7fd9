import { CoreApp } from '@grafana/data';

import { FORMULA_LABEL } from './memory/formula';
import { parseStepSeconds } from './prometheus/step';
import {
  DEFAULT_FORMULA,
  DEFAULT_GROUP_BY,
  DEFAULT_HEADROOM_UNIT,
  DEFAULT_VIEW,
  FILTER_KEYS,
  FORMULAS,
  Formula,
  GROUP_BYS,
  GroupBy,
  HEADROOM_UNITS,
  HeadroomUnit,
  MEMORY_VIEWS,
  MemoryView,
  RealMemoryQuery,
} from './types';

/**
 * The stored query model, checked in one place. Queries come from dashboards saved by other
 * versions, hand-edited JSON and provisioning files: an unknown value gets an error naming the key
 * and the allowed values, never a silent default. Missing keys take their defaults, so old
 * queries keep loading when keys are added.
 */

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

/** The keys a runner reads, with defaults applied. */
export interface ValidQuery {
  view: MemoryView;
  groupBy: GroupBy;
  formula: Formula;
  topN: number;
  showUsage: boolean;
  showLimits: boolean;
  legendFormat?: string;
  headroomUnit: HeadroomUnit;
  /** 0 = no lower bound: the panel's interval decides. */
  minStepSeconds: number;
}

export type QueryCheck = { ok: true; query: ValidQuery } | { ok: false; error: string };

const unset = (value: unknown) => value === undefined || value === null || value === '';

type Checked<T> = { value: T; error?: undefined } | { error: string };

function oneOf<T extends string>(key: string, value: unknown, allowed: readonly T[], fallback: T): Checked<T> {
  if (unset(value)) {
    return { value: fallback };
  }
  const found = allowed.find((a) => a === value);
  return found !== undefined
    ? { value: found }
    : {
        error: `Unknown ${key} ${JSON.stringify(value)} in this query; allowed: ${allowed.join(', ')}. It may come from a newer version of Real Memory or a hand-edited dashboard.`,
      };
}

function topNOf(value: unknown): Checked<number> {
  if (unset(value)) {
    return { value: 0 };
  }
  // Provisioning YAML may quote numbers.
  const n = typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : value;
  return typeof n === 'number' && Number.isInteger(n) && n >= 0
    ? { value: n }
    : { error: `topN must be a whole number ≥ 0 (0 = all), not ${JSON.stringify(value)}.` };
}

/** The min step, already interpolated: a Prometheus duration such as 30s or 1m. */
function minStepOf(value: unknown): Checked<number> {
  if (unset(value) || (typeof value === 'string' && value.trim() === '')) {
    return { value: 0 };
  }
  const seconds = typeof value === 'number' && value > 0 ? value : parseStepSeconds(String(value));
  return seconds !== null
    ? { value: seconds }
    : { error: `minStep must be a duration such as 30s, 1m or 1h, not ${JSON.stringify(value)}.` };
}

/** The query's keys with defaults applied, or an error naming each bad key and what is allowed. */
export function validateQuery(query: RealMemoryQuery, defaultFormula: Formula = DEFAULT_FORMULA): QueryCheck {
  const view = oneOf('view', query.view, MEMORY_VIEWS, DEFAULT_VIEW);
  const groupBy = oneOf('groupBy', query.groupBy, GROUP_BYS, DEFAULT_GROUP_BY);
  const formula = oneOf('formula', query.formula, FORMULAS, defaultFormula);
  const headroomUnit = oneOf('headroomUnit', query.headroomUnit, HEADROOM_UNITS, DEFAULT_HEADROOM_UNIT);
  const topN = topNOf(query.topN);
  const minStep = minStepOf(query.minStep);
  if (
    view.error !== undefined ||
    groupBy.error !== undefined ||
    formula.error !== undefined ||
    headroomUnit.error !== undefined ||
    topN.error !== undefined ||
    minStep.error !== undefined
  ) {
    const errors = [view, groupBy, formula, headroomUnit, topN, minStep].flatMap((c) =>
      c.error !== undefined ? [c.error] : []
    );
    return { ok: false, error: errors.join(' ') };
  }
  return {
    ok: true,
    query: {
      view: view.value,
      groupBy: groupBy.value,
      formula: formula.value,
      topN: topN.value,
      showUsage: Boolean(query.showUsage),
      showLimits: Boolean(query.showLimits),
      legendFormat: query.legendFormat,
      headroomUnit: headroomUnit.value,
      minStepSeconds: minStep.value,
    },
  };
}

/** What each view is called in the editor and in Explore's history. */
export const VIEW_LABEL: Record<MemoryView, string> = {
  realVsWorkingSet: 'Real used vs working set',
  breakdown: 'Breakdown',
  headroom: 'Headroom',
  leakCheck: 'Leak check',
};

/**
 * A query in one line, for Explore's query history: the view, its figure, the filters as typed,
 * then grouping and options that differ from the defaults.
 * e.g. "Headroom (% of limit) · namespace: shop, pod: !/canary-.*\/ · by pod · top 10 · min step 1m"
 */
export function queryDisplayText(query: RealMemoryQuery, defaultFormula: Formula = DEFAULT_FORMULA): string {
  const view = MEMORY_VIEWS.find((v) => v === query.view) ?? DEFAULT_VIEW;
  const formula = FORMULAS.find((f) => f === query.formula) ?? defaultFormula;
  let title = VIEW_LABEL[view];
  if (view === 'realVsWorkingSet' && formula !== DEFAULT_FORMULA) {
    title += ` (${FORMULA_LABEL[formula]})`;
  }
  if (view === 'headroom' && query.headroomUnit === 'percent') {
    title += ' (% of limit)';
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
  if (query.minStep?.trim()) {
    parts.push(`min step ${query.minStep.trim()}`);
  }
  return parts.join(' · ');
}
