/** @jest-environment node */
// The README and docs/ link to each other, to pictures and to headings: each relative link must
// reach a file, and each #anchor a heading of that file (GitHub's slugs), or a reader of the
// shortened README lands on nothing. Web links are not followed (no network here).
import fs from 'fs';
import path from 'path';

const REPO = path.resolve(__dirname, '../..');
const DOCS = [
  'README.md',
  'CHANGELOG.md',
  ...fs
    .readdirSync(path.join(REPO, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
];

/** GitHub's heading anchor: lower case, punctuation dropped, spaces to hyphens. */
export const slug = (heading: string) =>
  heading
    .trim()
    .toLowerCase()
    .replace(/[`*_]/g, '')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/[^\p{L}\p{N}\s-]/gu, '')
    .replace(/\s/g, '-');

function anchorsOf(file: string): Set<string> {
  const text = fs.readFileSync(file, 'utf8').replace(/```[\s\S]*?```/g, '');
  const seen = new Map<string, number>();
  const anchors = new Set<string>();
  for (const m of text.matchAll(/^#{1,6} (.+)$/gm)) {
    const base = slug(m[1]);
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    anchors.add(n === 0 ? base : `${base}-${n}`);
  }
  return anchors;
}

function linksOf(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8').replace(/```[\s\S]*?```/g, '');
  return [...text.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)].map((m) => m[1]);
}

it('the slug rule is GitHub’s', () => {
  expect(slug('Install into Grafana (12.3 or newer)')).toBe('install-into-grafana-123-or-newer');
  expect(slug('Nodes: the kubelet’s eviction signal')).toBe('nodes-the-kubelets-eviction-signal');
});

it('the README links to docs/ and its own headings (so the check below has something to check)', () => {
  const links = linksOf(path.join(REPO, 'README.md'));
  expect(links.filter((l) => l.startsWith('docs/')).length).toBeGreaterThan(5);
  expect(links.filter((l) => l.startsWith('#')).length).toBeGreaterThan(2);
});

describe.each(DOCS)('%s', (doc) => {
  const file = path.join(REPO, doc);
  const relative = linksOf(file).filter((l) => !/^[a-z]+:/i.test(l));

  it('every relative link reaches a file, every #anchor a heading', () => {
    const broken = relative.filter((link) => {
      const [target, anchor] = link.split('#');
      const targetFile = target ? path.resolve(path.dirname(file), decodeURIComponent(target)) : file;
      if (!fs.existsSync(targetFile)) {
        return true;
      }
      return anchor !== undefined && targetFile.endsWith('.md') && !anchorsOf(targetFile).has(anchor);
    });
    expect(broken).toEqual([]);
  });
});
