import { readdirSync, readFileSync } from 'fs';
import { join, relative } from 'path';

import { MEMORY_VIEWS, VIEWS } from './registry';

const SRC = join(__dirname, '..');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      return sourceFiles(path);
    }
    return /\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) ? [path] : [];
  });
}

/** A comparison of a view's name: `view === 'x'`, `'x' !== query.view`, or a switch on a view. */
const VIEW_COMPARISON = [
  /\bview\s*[!=]==?\s*['"`]/,
  /['"`]\s*[!=]==?\s*[\w.]*\bview\b/,
  /switch\s*\(\s*[\w.]*\bview\s*\)/,
];

function viewComparisons(text: string): string[] {
  return text.split('\n').filter((line) => VIEW_COMPARISON.some((pattern) => pattern.test(line)));
}

/** The registry, and each view's own folder, may name views; nothing else asks which view it is. */
function allowedToCompare(file: string) {
  const path = relative(SRC, file).split('\\').join('/');
  return path === 'views/registry.ts' || MEMORY_VIEWS.some((view) => path.startsWith(`views/${view}/`));
}

describe('the view registry', () => {
  test('no code outside the registry and a view’s own module compares view names', () => {
    const offenders = sourceFiles(SRC)
      .filter((file) => !allowedToCompare(file))
      .flatMap((file) =>
        viewComparisons(readFileSync(file, 'utf8')).map((line) => `${relative(SRC, file)}: ${line.trim()}`)
      );
    expect(offenders).toEqual([]);
  });

  test('the check finds the comparisons it forbids', () => {
    const planted = [
      "const legend = req.view === 'leakCheck';",
      "if ('headroom' !== query.view) {",
      'switch (query.view) {',
      "const fine = definition.kind === 'nodes';",
    ].join('\n');
    expect(viewComparisons(planted)).toHaveLength(3);
  });

  test('every view is complete: a label, a runner and its own editor choice', () => {
    for (const view of MEMORY_VIEWS) {
      const definition = VIEWS[view];
      expect(definition.label).toMatch(/\S/);
      expect(typeof definition.run).toBe('function');
      expect(typeof definition.editor.Choice).toBe('function');
    }
    expect(new Set(MEMORY_VIEWS.map((view) => VIEWS[view].label)).size).toBe(MEMORY_VIEWS.length);
  });
});

describe('file names', () => {
  /** True when a and b differ by one letter added, removed or changed (formula.ts and formulas.ts). */
  function oneLetterApart(a: string, b: string) {
    if (a === b || Math.abs(a.length - b.length) > 1) {
      return false;
    }
    if (a.length === b.length) {
      return [...a].filter((c, i) => c !== b[i]).length === 1;
    }
    const [short, long] = a.length < b.length ? [a, b] : [b, a];
    return [...long].some((_, i) => long.slice(0, i) + long.slice(i + 1) === short);
  }

  test('no two source files are one letter apart', () => {
    const names = [...new Set(sourceFiles(SRC).map((file) => file.replace(/^.*[\\/]/, '').replace(/\.tsx?$/, '')))];
    const pairs = names.flatMap((a, i) =>
      names
        .slice(i + 1)
        .filter((b) => oneLetterApart(a.toLowerCase(), b.toLowerCase()))
        .map((b) => `${a} ~ ${b}`)
    );
    expect(pairs).toEqual([]);
    expect(oneLetterApart('formula', 'formulas')).toBe(true);
  });
});
