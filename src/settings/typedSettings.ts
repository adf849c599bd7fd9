import { FORMULAS, Formula } from '../memory/formula';
import { RealMemoryOptions } from '../types';
import { booleanOf, describeValue } from './storedValues';

/**
 * The door every data-source setting passes before anything parses it. `jsonData` is whatever
 * the settings page, provisioning YAML, Terraform or the HTTP API stored: `extraSelector: 42`,
 * `{cluster: prod}` from a YAML flow map, `evictionHard: 1e9` unquoted, `bearerAuth: "no"`.
 * Each key Real Memory reads is checked for its type here, once:
 * - a quantity given as a number becomes its text (YAML reads `1e9` and `500` as numbers);
 * - a boolean given as "true"/"false" becomes that boolean;
 * - anything else of the wrong type is left unset and named in a problem, which makes every query
 *   and "Save & test" fail with it (datasource.ts), so nothing runs with a setting silently dropped.
 * Keys Real Memory does not read (Grafana's own HTTP settings) pass untouched.
 */

type Kind = 'text' | 'quantity' | 'boolean' | 'formula';

/** The settings Real Memory reads, with their title on the settings page and their kind. */
export const SETTING_KINDS = {
  defaultFormula: { title: 'Default formula', kind: 'formula' },
  namespaceLabel: { title: 'Namespace label', kind: 'text' },
  podLabel: { title: 'Pod label', kind: 'text' },
  containerLabel: { title: 'Container label', kind: 'text' },
  clusterLabel: { title: 'Cluster label', kind: 'text' },
  extraSelector: { title: 'Extra selector', kind: 'text' },
  nodeLabel: { title: 'Node label', kind: 'text' },
  evictionHard: { title: 'Eviction hard', kind: 'quantity' },
  evictionSoft: { title: 'Eviction soft', kind: 'quantity' },
  bearerUrl: { title: 'Bearer URL', kind: 'text' },
  bearerAuth: { title: 'Bearer auth', kind: 'boolean' },
  incrementalRefresh: { title: 'Incremental refresh', kind: 'boolean' },
} as const satisfies Partial<Record<keyof RealMemoryOptions, { title: string; kind: Kind }>>;

export type TypedKey = keyof typeof SETTING_KINDS;

export interface TypedSettings {
  /** The settings as their types say; a key of the wrong type is left out. */
  options: RealMemoryOptions;
  /** Per key of the wrong type: "must be text, got a number" (without the title). */
  problems: Partial<Record<TypedKey, string>>;
}

type Typed = { ok: true; value: unknown } | { ok: false; problem: string };

function typed(kind: Kind, value: unknown): Typed {
  switch (kind) {
    case 'text':
      return typeof value === 'string'
        ? { ok: true, value }
        : { ok: false, problem: `must be text, got ${describeValue(value)}` };
    case 'quantity':
      if (typeof value === 'number' && Number.isFinite(value)) {
        return { ok: true, value: String(value) };
      }
      return typeof value === 'string'
        ? { ok: true, value }
        : { ok: false, problem: `must be a quantity such as 100Mi or 5%, got ${describeValue(value)}` };
    case 'boolean': {
      const flag = booleanOf(value);
      return flag !== undefined
        ? { ok: true, value: flag }
        : { ok: false, problem: `must be true or false, got ${describeValue(value)}` };
    }
    case 'formula':
      return FORMULAS.includes(value as Formula)
        ? { ok: true, value }
        : { ok: false, problem: `must be one of ${FORMULAS.join(', ')}, got ${describeValue(value)}` };
  }
}

/** The settings typed at the door (see the header). Never throws, whatever `jsonData` holds. */
export function typedSettings(jsonData: unknown): TypedSettings {
  const stored: Record<string, unknown> =
    typeof jsonData === 'object' && jsonData !== null && !Array.isArray(jsonData) ? { ...jsonData } : {};
  const problems: TypedSettings['problems'] = {};
  for (const [key, { kind }] of Object.entries(SETTING_KINDS) as Array<[TypedKey, { kind: Kind }]>) {
    const value = stored[key];
    if (value === undefined || value === null) {
      delete stored[key];
      continue;
    }
    const result = typed(kind, value);
    if (result.ok) {
      stored[key] = result.value;
    } else {
      delete stored[key];
      problems[key] = result.problem;
    }
  }
  return { options: stored as RealMemoryOptions, problems };
}

/** Every type problem as "<title> <problem>", e.g. "Extra selector must be text, got a number (42)". */
export function typeProblems(problems: TypedSettings['problems']): string[] {
  return (Object.keys(SETTING_KINDS) as TypedKey[]).flatMap((key) =>
    problems[key] === undefined ? [] : [`${SETTING_KINDS[key].title} ${problems[key]}`]
  );
}
