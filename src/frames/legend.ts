/** Renders a legend template like `{{pod}}/{{container}}`; default: the group's label values joined by '/'. */
export function renderLegend(template: string | undefined, labels: Record<string, string>, groupLabelNames: string[]): string {
  if (template && template.trim()) {
    return template.replace(/\{\{\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*\}\}/g, (_, name) => labels[name] ?? '');
  }
  const parts = groupLabelNames.map((name) => labels[name]).filter((v) => v !== undefined && v !== '');
  return parts.join('/') || 'all';
}
