const PLACEHOLDER = /\{\{\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*\}\}/g;

/** The label names a legend template refers to, e.g. ["pod", "container"] for `{{pod}}/{{container}}`. */
export function legendLabelNames(template: string | undefined): string[] {
  return Array.from((template ?? '').matchAll(PLACEHOLDER), (m) => m[1]);
}

/**
 * Labels the template names that groups at this level do not have: a namespace has no pod. The
 * editor warns about them, and such a template falls back to the default legend rather than
 * rendering "working set ()".
 */
export function unknownLegendLabels(template: string | undefined, groupLabelNames: string[]): string[] {
  return [...new Set(legendLabelNames(template).filter((name) => !groupLabelNames.includes(name)))];
}

/**
 * Renders a legend template like `{{pod}}/{{container}}` from the group's own labels only (a Map
 * of them, so `{{constructor}}` is not read off Object.prototype). Default, and the fallback for a
 * template naming labels the level does not have: the group's label values joined by '/', without
 * those the selection fixes to one value (`fixed`: namespace="shop" makes every line's "shop/"
 * noise), unless nothing else is left.
 */
export function renderLegend(
  template: string | undefined,
  labels: Record<string, string>,
  groupLabelNames: string[],
  fixed: ReadonlySet<string> = new Set()
): string {
  const own = new Map(
    groupLabelNames.filter((name) => Object.hasOwn(labels, name)).map((name) => [name, labels[name]])
  );
  if (template && template.trim() && unknownLegendLabels(template, groupLabelNames).length === 0) {
    return template.replace(PLACEHOLDER, (_, name: string) => own.get(name) ?? '');
  }
  const present = groupLabelNames.filter((name) => own.get(name));
  const varying = present.filter((name) => !fixed.has(name));
  const shown = varying.length > 0 ? varying : present.slice(-1);
  return shown.map((name) => own.get(name)).join('/') || 'all';
}

/** Labels an equality matcher of the selection fixes to one value, e.g. `namespace="shop"`. */
export function fixedLabels(matchers: string[]): Set<string> {
  return new Set(matchers.flatMap((m) => /^([a-zA-Z_][a-zA-Z0-9_]*)="/.exec(m)?.[1] ?? []));
}

/** Why a legend template is not used at this level, or undefined when it is. */
export function legendProblem(
  template: string | undefined,
  groupLabelNames: string[],
  level: string
): string | undefined {
  const unknown = unknownLegendLabels(template, groupLabelNames);
  if (unknown.length === 0) {
    return undefined;
  }
  const names = unknown.map((n) => `{{${n}}}`).join(', ');
  return `Legend ${names}: no such label when grouped by ${level} (labels here: ${groupLabelNames.join(', ')}); the default legend is used.`;
}
