// Grafana's TemplateSrv over a fixed set of dashboard variables: the one fake for unit,
// integration, fault, load and bench runs and for the sandbox page. As in Grafana: `$var`,
// `${var}`, `${var:format}`, `[[var]]` (the plugin's VARIABLE_PATTERN, which is Grafana's);
// scoped vars first; multi-value and All (`$__all`: every option, or the custom all value, which
// is never formatted); a format function receives the value (a string, or an array for
// multi-value and All), the variable and the default formatter; `$__from`/`$__to` after
// updateTimeRange.
import type { ScopedVars, TimeRange, TypedVariableModel } from '@grafana/data';
import { setTemplateSrv, TemplateSrv } from '@grafana/runtime';

import { VARIABLE_PATTERN } from '../../src/prometheus/escaping';

export interface TestVariable {
  name: string;
  /** Current value: a string, a list (multi-value), or `'$__all'` (All). */
  value: string | string[];
  /** The options, in order; by default the values in `value`. All selects these. */
  options?: string[];
  /** Default: `value` is a list. */
  multi?: boolean;
  /** Default: `value` is All. */
  includeAll?: boolean;
  /** Custom "All" value, sent as it is. */
  allValue?: string;
}

const ALL = '$__all';
const REGEX_SPECIALS = /[\\^$*+?.()|[\]{}/]/g;

type Value = string | string[];
const list = (v: Value) => (Array.isArray(v) ? v : [v]);

/** Grafana's named formats that a data source may meet; an unknown one falls back to glob, as there. */
const FORMATS: Record<string, (v: Value) => string> = {
  raw: (v) => list(v).join(','),
  csv: (v) => list(v).join(','),
  pipe: (v) => list(v).join('|'),
  json: (v) => JSON.stringify(v),
  text: (v) => list(v).join(' + '),
  glob: (v) => (Array.isArray(v) && v.length > 1 ? `{${v.join(',')}}` : list(v).join(',')),
  regex: (v) => {
    const escaped = list(v).map((s) => s.replace(REGEX_SPECIALS, '\\$&'));
    return escaped.length === 1 ? escaped[0] : `(${escaped.join('|')})`;
  },
};

const isAll = (v: TestVariable) => list(v.value).includes(ALL);
const optionsOf = (v: TestVariable) => v.options ?? list(v.value).filter((x) => x !== ALL);

function toModel(v: TestVariable, index: number): TypedVariableModel {
  const selected = isAll(v) ? [ALL] : list(v.value);
  const multi = v.multi ?? Array.isArray(v.value);
  const includeAll = v.includeAll ?? isAll(v);
  const options = [
    ...(includeAll ? [{ text: 'All', value: ALL, selected: isAll(v) }] : []),
    ...optionsOf(v).map((x) => ({ text: x, value: x, selected: selected.includes(x) })),
  ];
  return {
    type: 'custom',
    id: v.name,
    name: v.name,
    label: v.name,
    rootStateKey: 'test',
    global: false,
    index,
    hide: 0,
    skipUrlSync: false,
    state: 'Done',
    error: null,
    description: null,
    query: optionsOf(v).join(','),
    multi,
    includeAll,
    allValue: v.allValue ?? null,
    current: {
      text: selected.map((x) => (x === ALL ? 'All' : x)),
      value: multi ? selected : selected[0],
      selected: true,
    },
    options,
  } as unknown as TypedVariableModel;
}

export class TestTemplateSrv implements TemplateSrv {
  private range?: TimeRange;

  constructor(private readonly variables: TestVariable[] = []) {}

  getVariables(): TypedVariableModel[] {
    return this.variables.map(toModel);
  }

  /** Like Grafana: whether the first variable reference names a known variable. */
  containsTemplate(target?: string): boolean {
    const m = target ? new RegExp(VARIABLE_PATTERN.source).exec(target) : null;
    return Boolean(m && this.lookup(m[1] ?? m[2] ?? m[4]));
  }

  updateTimeRange(timeRange: TimeRange): void {
    this.range = timeRange;
  }

  replace(target?: string, scopedVars?: ScopedVars, format?: string | Function): string {
    if (!target) {
      return target ?? '';
    }
    return target.replace(new RegExp(VARIABLE_PATTERN.source, 'g'), (match, v1, v2, fmt2, v3, _fieldPath, fmt3) => {
      const name: string = v1 ?? v2 ?? v3;
      const fmt: string | Function | undefined = fmt2 ?? fmt3 ?? format;
      const scoped = scopedVars?.[name];
      const found = scoped ? { value: scoped.value, variable: undefined, customAll: undefined } : this.lookup(name);
      if (!found) {
        return match;
      }
      if (found.customAll !== undefined) {
        return found.customAll;
      }
      if (typeof fmt === 'function') {
        return fmt(found.value, found.variable, FORMATS.glob);
      }
      return (FORMATS[fmt ?? 'glob'] ?? FORMATS.glob)(found.value);
    });
  }

  private lookup(name: string) {
    if ((name === '__from' || name === '__to') && this.range) {
      const t = name === '__from' ? this.range.from : this.range.to;
      return { value: String(t.valueOf()), variable: undefined, customAll: undefined };
    }
    const index = this.variables.findIndex((v) => v.name === name);
    if (index < 0) {
      return undefined;
    }
    const v = this.variables[index];
    return {
      value: isAll(v) ? optionsOf(v) : v.value,
      variable: toModel(v, index),
      customAll: isAll(v) ? v.allValue : undefined,
    };
  }
}

export function installTemplateSrv(variables: TestVariable[] = []): TestTemplateSrv {
  const srv = new TestTemplateSrv(variables);
  setTemplateSrv(srv);
  return srv;
}
