// Dashboard variables for the sandbox, interpolated like Grafana's TemplateSrv: `$var`,
// `${var}`, `${var:format}`, `[[var]]`; scoped vars first; multi-value and All ("$__all"
// means every option, or the variable's custom all value); a format function receives the
// value (string or array), the variable and the default formatter.
import { ScopedVars, TimeRange, TypedVariableModel } from '@grafana/data';
import { TemplateSrv } from '@grafana/runtime';

export interface SandboxVariable {
  name: string;
  /** The options, in order. */
  values: string[];
  /** A value, a list of values (multi), or '$__all'. */
  current: string | string[];
  multi?: boolean;
  includeAll?: boolean;
  allValue?: string;
}

const VARIABLE_REGEX = /\$(\w+)|\[\[(\w+?)(?::(\w+))?\]\]|\${(\w+)(?:\.([^:^\}]+))?(?::([^\}]+))?}/g;
const REGEX_SPECIALS = /[\\^$*+?.()|[\]{}\/]/g;

type Formatter = (value: string | string[]) => string;
const FORMATS: Record<string, Formatter> = {
  raw: (v) => (Array.isArray(v) ? v.join(',') : v),
  csv: (v) => (Array.isArray(v) ? v.join(',') : v),
  pipe: (v) => (Array.isArray(v) ? v.join('|') : v),
  json: (v) => JSON.stringify(v),
  text: (v) => (Array.isArray(v) ? v.join(' + ') : v),
  glob: (v) => (Array.isArray(v) && v.length > 1 ? `{${v.join(',')}}` : String(v)),
  regex: (v) => {
    const esc = (s: string) => s.replace(REGEX_SPECIALS, '\\$&');
    return Array.isArray(v) ? (v.length === 1 ? esc(v[0]) : `(${v.map(esc).join('|')})`) : esc(v);
  },
};

function toModel(v: SandboxVariable, index: number): TypedVariableModel {
  const values = v.current === '$__all' ? ['$__all'] : Array.isArray(v.current) ? v.current : [v.current];
  const options = [
    ...(v.includeAll ? [{ text: 'All', value: '$__all', selected: v.current === '$__all' }] : []),
    ...v.values.map((x) => ({ text: x, value: x, selected: values.includes(x) })),
  ];
  return {
    type: 'custom',
    id: v.name,
    name: v.name,
    label: v.name,
    rootStateKey: 'sandbox',
    global: false,
    index,
    hide: 0,
    skipUrlSync: false,
    state: 'Done',
    error: null,
    description: null,
    query: v.values.join(','),
    multi: Boolean(v.multi),
    includeAll: Boolean(v.includeAll),
    allValue: v.allValue ?? null,
    current: {
      text: values.map((x) => (x === '$__all' ? 'All' : x)),
      value: v.multi ? values : values[0],
      selected: true,
    },
    options,
  } as unknown as TypedVariableModel;
}

export class SandboxTemplateSrv implements TemplateSrv {
  private range?: TimeRange;
  constructor(private readonly vars: SandboxVariable[]) {}

  getVariables(): TypedVariableModel[] {
    return this.vars.map(toModel);
  }

  containsTemplate(target?: string): boolean {
    if (!target) {
      return false;
    }
    return Array.from(target.matchAll(VARIABLE_REGEX)).some((m) => this.lookup(m[1] || m[2] || m[4]) !== undefined);
  }

  updateTimeRange(timeRange: TimeRange): void {
    this.range = timeRange;
  }

  replace(target?: string, scopedVars?: ScopedVars, format?: string | Function): string {
    if (!target) {
      return target ?? '';
    }
    return target.replace(VARIABLE_REGEX, (match, v1, v2, fmt2, v3, _fieldPath, fmt3) => {
      const name: string = v1 || v2 || v3;
      const fmt: string | Function | undefined = fmt2 || fmt3 || format;
      const scoped = scopedVars?.[name];
      const found = scoped ? { value: scoped.value, variable: undefined, customAll: undefined } : this.lookup(name);
      if (!found) {
        return match;
      }
      // Like Grafana, a custom all value is used as it is, never formatted.
      if (found.customAll !== undefined) {
        return found.customAll;
      }
      const value = found.value as string | string[];
      const defaultFormatter = (x: string | string[]) => FORMATS[Array.isArray(x) ? 'glob' : 'raw'](x);
      if (typeof fmt === 'function') {
        return fmt(value, found.variable, defaultFormatter);
      }
      return (fmt && FORMATS[fmt] ? FORMATS[fmt] : defaultFormatter)(value);
    });
  }

  private lookup(name: string) {
    if ((name === '__from' || name === '__to') && this.range) {
      const t = name === '__from' ? this.range.from : this.range.to;
      return { value: String(t.valueOf()), variable: undefined, customAll: undefined };
    }
    const index = this.vars.findIndex((v) => v.name === name);
    if (index < 0) {
      return undefined;
    }
    const v = this.vars[index];
    const isAll = v.current === '$__all';
    return {
      value: isAll ? v.values : v.current,
      variable: toModel(v, index),
      customAll: isAll ? v.allValue : undefined,
    };
  }
}
