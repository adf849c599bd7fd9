import { EvictionThreshold, parseEvictionThreshold } from '../memory/quantity';
import { settingProblem } from '../settings/settingProblems';
import { parseStepSeconds } from '../prometheus/step';
import {
  DEFAULT_EVICTION_HARD,
  DEFAULT_FORMULA,
  DEFAULT_GROUP_BY,
  DEFAULT_NODE_LABEL,
  DEFAULT_NODE_VIEW,
  DEFAULT_HEADROOM_UNIT,
  FORMULAS,
  Formula,
  GROUP_BYS,
  GroupBy,
  HEADROOM_UNITS,
  HeadroomUnit,
  MemoryView,
  NODE_VIEWS,
  NodeView,
  RealMemoryOptions,
  RealMemoryQuery,
} from '../types';
import { DEFAULT_VIEW, MEMORY_VIEWS, VIEWS } from '../views/registry';

/**
 * The stored query model, checked in one place. Queries come from dashboards saved by other
 * versions, hand-edited JSON and provisioning files: an unknown value gets an error naming the key
 * and the allowed values, never a silent default. Missing keys take their defaults, so old
 * queries keep loading when keys are added.
 */

/** The keys a runner reads, with defaults applied. */
export interface ValidQuery {
  view: MemoryView;
  groupBy: GroupBy;
  formula: Formula;
  topN: number;
  showUsage: boolean;
  showLimits: boolean;
  /** realVsWorkingSet: also the PSI memory pressure (percentunit, right axis). */
  showPressure: boolean;
  legendFormat?: string;
  /** Incremental refresh allowed for this query (the data source option can still turn it off). */
  incremental: boolean;
  /** Only for view "nodes" (groupBy is ignored there). */
  nodes?: { nodeView: NodeView; showEvictionOrder: boolean };
  headroomUnit: HeadroomUnit;
  /** 0 = no lower bound: the panel's interval decides. */
  minStepSeconds: number;
}

export type QueryCheck = { ok: true; query: ValidQuery } | { ok: false; error: string };

const unset = (value: unknown) => value === undefined || value === null || value === '';

/** A checked value, or why it was refused. */
export type Checked<T> = { value: T; error?: undefined } | { error: string };

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

/**
 * The query editor's labels of the keys a user types. The run and the editor check these keys with
 * the same functions and name them the same way, so the panel's error and the field's agree.
 */
export const FIELD_LABELS = { topN: 'Top', minStep: 'Min step' } as const;

const MAX_TOP_N = 100000;

/** Top N: a whole number, 0 (or unset) for all. `label` names the field in the message. */
export function topNOf(value: unknown, label: string): Checked<number> {
  if (unset(value)) {
    return { value: 0 };
  }
  // Provisioning YAML may quote numbers.
  const n = typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : value;
  // Bounded: PromQL's topk takes an int64, and no panel shows more groups than this.
  return typeof n === 'number' && Number.isInteger(n) && n >= 0 && n <= MAX_TOP_N
    ? { value: n }
    : { error: `${label} must be a whole number from 0 (all) to ${MAX_TOP_N}, not ${JSON.stringify(value)}.` };
}

/** The min step, already interpolated: a Prometheus duration such as 30s or 1m; unset for none. */
export function minStepOf(value: unknown, label: string): Checked<number> {
  if (unset(value) || (typeof value === 'string' && value.trim() === '')) {
    return { value: 0 };
  }
  const seconds = typeof value === 'number' && value > 0 ? value : parseStepSeconds(String(value));
  return seconds !== null
    ? { value: seconds }
    : { error: `${label} must be a duration such as 30s, 1m or 1h, not ${JSON.stringify(value)}.` };
}

/** The query's keys with defaults applied, or an error naming each bad key and what is allowed. */
export function validateQuery(query: RealMemoryQuery, defaultFormula: Formula = DEFAULT_FORMULA): QueryCheck {
  const view = oneOf('view', query.view, MEMORY_VIEWS, DEFAULT_VIEW);
  const groupBy = oneOf('groupBy', query.groupBy, GROUP_BYS, DEFAULT_GROUP_BY);
  const formula = oneOf('formula', query.formula, FORMULAS, defaultFormula);
  const headroomUnit = oneOf('headroomUnit', query.headroomUnit, HEADROOM_UNITS, DEFAULT_HEADROOM_UNIT);
  const topN = topNOf(query.topN, FIELD_LABELS.topN);
  const nodeView = oneOf('nodeView', query.nodeView, NODE_VIEWS, DEFAULT_NODE_VIEW);
  const minStep = minStepOf(query.minStep, FIELD_LABELS.minStep);
  if (
    view.error !== undefined ||
    groupBy.error !== undefined ||
    formula.error !== undefined ||
    headroomUnit.error !== undefined ||
    topN.error !== undefined ||
    minStep.error !== undefined ||
    nodeView.error !== undefined
  ) {
    const errors = [view, groupBy, formula, headroomUnit, topN, minStep, nodeView].flatMap((c) =>
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
      showPressure: Boolean(query.showPressure),
      legendFormat: query.legendFormat,
      headroomUnit: headroomUnit.value,
      minStepSeconds: minStep.value,
      incremental: query.incremental !== false,
      ...(VIEWS[view.value].kind === 'nodes'
        ? {
            nodes: {
              nodeView: nodeView.value,
              // The fourth "Show" choice, or the switch it replaced (stored dashboards).
              showEvictionOrder: nodeView.value === 'evictionOrder' || Boolean(query.showEvictionOrder),
            },
          }
        : {}),
    },
  };
}

/** The data source's node options, checked and with defaults applied. */
export interface NodeSettings {
  nodeLabel: string;
  evictionHard: EvictionThreshold;
  evictionSoft?: EvictionThreshold;
}

export type NodeOptionKey = 'nodeLabel' | 'evictionHard' | 'evictionSoft';

/**
 * nodeLabel, evictionHard and evictionSoft from the data source settings (stored JSON, provisioning
 * YAML), or an error naming each bad field: a wrong threshold would draw a wrong eviction line.
 */
export function validateNodeOptions(
  options: RealMemoryOptions
): { ok: true; settings: NodeSettings } | { ok: false; error: string } {
  const keys: NodeOptionKey[] = ['nodeLabel', 'evictionHard', 'evictionSoft'];
  const errors = keys.flatMap((key) => {
    const value = options[key];
    if (value !== undefined && value !== null && typeof value !== 'string') {
      return [`The data source option ${key} must be text, not ${JSON.stringify(value)}.`];
    }
    const problem = settingProblem(key, value);
    return problem ? [`The data source option ${key}: ${problem}${/[.?!]$/.test(problem) ? '' : '.'}`] : [];
  });
  if (errors.length > 0) {
    return { ok: false, error: `${errors.join(' ')} Fix it in the data source settings (Nodes).` };
  }
  const threshold = (text: string) => {
    const parsed = parseEvictionThreshold(text);
    return parsed.ok ? parsed.threshold : undefined;
  };
  return {
    ok: true,
    settings: {
      nodeLabel: options.nodeLabel?.trim() || DEFAULT_NODE_LABEL,
      evictionHard: threshold(options.evictionHard?.trim() || DEFAULT_EVICTION_HARD)!,
      evictionSoft: options.evictionSoft?.trim() ? threshold(options.evictionSoft) : undefined,
    },
  };
}
