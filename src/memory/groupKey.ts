/** How a series is keyed to its group: the values of the labels that identify a group, joined. */
export type KeyOf = (labels: Record<string, string>) => string;

/** The key function for groups identified by `names` (a missing label counts as empty). */
export function groupKeyOf(names: string[]): KeyOf {
  return (labels) => names.map((n) => labels[n] ?? '').join('\u0000');
}

/** The labels of `names` that the series has and that are not empty: a frame's labels. */
export function pickLabels(labels: Record<string, string>, names: string[]): Record<string, string> {
  const result: Record<string, string> = {};
  for (const name of names) {
    if (labels[name] !== undefined && labels[name] !== '') {
      result[name] = labels[name];
    }
  }
  return result;
}
