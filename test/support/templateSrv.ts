// A minimal TemplateSrv for tests: resolves $var, ${var}, ${var:format} and [[var]] from a fixed
// set of variables (or scopedVars), passing each value through `format` as Grafana does: a
// function gets the value (an array for multi-value / All), a few named formats are known.
import { ScopedVars, TypedVariableModel } from '@grafana/data';
import { setTemplateSrv, TemplateSrv } from '@grafana/runtime';

export interface TestVariable {
  name: string;
  /** Current value; an array for multi-value. `'$__all'` selects every option. */
  value: string | string[];
  /** Options, used when the value is `$__all`. */
  options?: string[];
  /** Custom "All" value, sent as is (not formatted) like Grafana does. */
  allValue?: string;
}

const PATTERN = /\$(\w+)|\[\[(\w+?)(?::(\w+))?\]\]|\${(\w+)(?::([^}]+))?}/g;

function namedFormat(value: string | string[], format: string): string {
  const values = Array.isArray(value) ? value : [value];
  switch (format) {
    case 'pipe':
      return values.join('|');
    case 'csv':
      return values.join(',');
    case 'raw':
      return values.join(',');
    case 'regex': {
      const esc = values.map((v) => v.replace(/[\\^$*+?.()|[\]{}]/g, '\\$&'));
      return esc.length === 1 ? esc[0] : `(${esc.join('|')})`;
    }
    default:
      return Array.isArray(value) ? `{${values.join(',')}}` : value;
  }
}

export class TestTemplateSrv implements TemplateSrv {
  constructor(private readonly variables: TestVariable[] = []) {}

  getVariables(): TypedVariableModel[] {
    return this.variables.map(
      (v) => ({ name: v.name, type: 'custom', current: { value: v.value } }) as unknown as TypedVariableModel
    );
  }

  containsTemplate(target?: string): boolean {
    return Boolean(target && new RegExp(PATTERN.source).test(target));
  }

  updateTimeRange(): void {}

  replace(target?: string, scopedVars?: ScopedVars, format?: string | Function): string {
    if (!target) {
      return target ?? '';
    }
    return target.replace(PATTERN, (match, v1, v2, fmt2, v3, fmt3) => {
      const name = v1 ?? v2 ?? v3;
      const fmt = fmt2 ?? fmt3 ?? format;
      const scoped = scopedVars?.[name];
      if (scoped) {
        return this.format(scoped.value, fmt);
      }
      const variable = this.variables.find((v) => v.name === name);
      if (!variable) {
        return match;
      }
      const isAll = variable.value === '$__all' || (Array.isArray(variable.value) && variable.value.includes('$__all'));
      if (isAll && variable.allValue !== undefined) {
        return variable.allValue;
      }
      return this.format(isAll ? (variable.options ?? []) : variable.value, fmt);
    });
  }

  private format(value: any, format?: string | Function): string {
    if (typeof format === 'function') {
      return format(value);
    }
    return namedFormat(value, format ?? 'glob');
  }
}

export function installTemplateSrv(variables: TestVariable[] = []): TestTemplateSrv {
  const srv = new TestTemplateSrv(variables);
  setTemplateSrv(srv);
  return srv;
}
