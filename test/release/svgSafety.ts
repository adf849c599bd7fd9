// What makes an SVG unsafe to show in Grafana's plugin catalog and UI, as Grafana's plugin validator
// judges it (its `unsafesvg` analyzer: forbidden elements, `on*` handlers) plus external references,
// which would load something from elsewhere whenever the logo is shown.

// Elements that run code or embed other documents.
const FORBIDDEN_ELEMENTS = new Set([
  'script',
  'foreignobject',
  'iframe',
  'embed',
  'object',
  'audio',
  'video',
  'noscript',
  'template',
  'math',
]);

const TAG = /<\s*([A-Za-z][\w:.-]*)((?:[^>"']|"[^"]*"|'[^']*')*)>/g;
const ATTRIBUTE = /([A-Za-z_:][\w:.-]*)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;
const STYLE_ELEMENT = /<style\b[^>]*>([\s\S]*?)<\/style\s*>/gi;

/** A reference that stays inside the document: `#id`. */
function isLocalReference(value: string): boolean {
  return value.trim().startsWith('#');
}

function cssProblems(css: string, where: string): string[] {
  const problems: string[] = [];
  if (/@import/i.test(css)) {
    problems.push(`${where}: @import loads another style sheet`);
  }
  for (const m of css.matchAll(/url\(\s*(['"]?)([^'")]*)\1\s*\)/gi)) {
    if (!isLocalReference(m[2])) {
      problems.push(`${where}: url(${m[2]}) is an external reference`);
    }
  }
  return problems;
}

/** Why the SVG is unsafe; empty when it is safe. */
export function svgProblems(svg: string): string[] {
  const problems: string[] = [];
  if (/<!ENTITY/i.test(svg)) {
    problems.push('declares an XML entity (can read files or expand without bound)');
  }
  if (!/<svg[\s>]/i.test(svg)) {
    problems.push('has no <svg> element');
  }
  for (const tag of svg.matchAll(TAG)) {
    const element = tag[1].toLowerCase();
    if (FORBIDDEN_ELEMENTS.has(element.replace(/^.*:/, ''))) {
      problems.push(`<${tag[1]}> element`);
    }
    for (const attr of tag[2].matchAll(ATTRIBUTE)) {
      const name = attr[1].toLowerCase();
      const value = attr[2] ?? attr[3] ?? '';
      if (name.startsWith('on')) {
        problems.push(`<${tag[1]} ${attr[1]}>: event handler`);
      } else if ((name === 'href' || name.endsWith(':href')) && !isLocalReference(value)) {
        problems.push(`<${tag[1]} ${attr[1]}="${value}">: external reference`);
      } else if (name === 'style') {
        problems.push(...cssProblems(value, `<${tag[1]} style>`));
      }
    }
  }
  for (const style of svg.matchAll(STYLE_ELEMENT)) {
    problems.push(...cssProblems(style[1], '<style>'));
  }
  return problems;
}
