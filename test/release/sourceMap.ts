// Reads a source map (version 3) far enough to tell whether it belongs to a given module.js:
// its mappings decoded from Base64 VLQ, and problems found against the generated file.

export interface SourceMap {
  version: number;
  file?: string;
  sources: string[];
  sourcesContent?: Array<string | null>;
  names: string[];
  mappings: string;
}

/** One mapping: generated column, then source index, original line and column, name index (all 0-based). */
export type Segment = [number, number?, number?, number?, number?];

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

function decodeVlq(text: string): number[] {
  const values: number[] = [];
  let value = 0;
  let shift = 0;
  for (const ch of text) {
    const digit = BASE64.indexOf(ch);
    if (digit === -1) {
      throw new Error(`not a Base64 VLQ digit: ${JSON.stringify(ch)}`);
    }
    value += (digit & 31) * 2 ** shift;
    if (digit & 32) {
      shift += 5;
      continue;
    }
    values.push(value % 2 === 1 ? -(value - 1) / 2 : value / 2);
    value = 0;
    shift = 0;
  }
  if (shift !== 0) {
    throw new Error('mappings end inside a VLQ number');
  }
  return values;
}

/** The mappings, one array of segments per generated line, with absolute values. */
export function decodeMappings(mappings: string): Segment[][] {
  const lines: Segment[][] = [];
  let source = 0;
  let line = 0;
  let column = 0;
  let name = 0;
  for (const lineText of mappings.split(';')) {
    const segments: Segment[] = [];
    let generated = 0;
    for (const segmentText of lineText.split(',').filter(Boolean)) {
      const v = decodeVlq(segmentText);
      if (![1, 4, 5].includes(v.length)) {
        throw new Error(`a mapping segment has ${v.length} fields: ${segmentText}`);
      }
      generated += v[0];
      if (v.length === 1) {
        segments.push([generated]);
        continue;
      }
      source += v[1];
      line += v[2];
      column += v[3];
      if (v.length === 5) {
        name += v[4];
        segments.push([generated, source, line, column, name]);
      } else {
        segments.push([generated, source, line, column]);
      }
    }
    lines.push(segments);
  }
  return lines;
}

export interface MapReport {
  problems: string[];
  /** Generated lines holding code that have no mapping. */
  unmappedCodeLines: number[];
  /** Of the mappings that name an identifier, the share whose generated text is that identifier. */
  namesFoundInGenerated: number;
}

/** Checks every mapping against the generated code and the original sources the map carries. */
export function checkSourceMap(map: SourceMap, generated: string): MapReport {
  const problems: string[] = [];
  const genLines = generated.split('\n');
  const lines = decodeMappings(map.mappings);
  if (lines.length > genLines.length) {
    problems.push(`the map has ${lines.length} generated lines, module.js ${genLines.length}`);
  }
  const originals = (map.sourcesContent ?? []).map((c) => (c ?? '').split('\n'));
  let named = 0;
  let namedFound = 0;
  lines.forEach((segments, l) => {
    const genLine = genLines[l] ?? '';
    for (const [col, src, origLine, origCol, nameIdx] of segments) {
      const at = `line ${l + 1}, column ${col}`;
      if (col >= genLine.length) {
        problems.push(`${at}: past the end of module.js's line (${genLine.length} characters)`);
        continue;
      }
      if (src === undefined) {
        continue;
      }
      if (src >= map.sources.length) {
        problems.push(`${at}: source #${src} of ${map.sources.length}`);
        continue;
      }
      const original = originals[src];
      if (original && (origLine! >= original.length || origCol! > original[origLine!].length)) {
        problems.push(`${at}: ${map.sources[src]}:${origLine! + 1}:${origCol} is outside that source`);
      }
      if (nameIdx !== undefined) {
        if (nameIdx >= map.names.length) {
          problems.push(`${at}: name #${nameIdx} of ${map.names.length}`);
          continue;
        }
        named++;
        if (genLine.startsWith(map.names[nameIdx], col)) {
          namedFound++;
        }
      }
    }
  });
  const unmappedCodeLines = genLines
    .map((text, i) => ({ text: text.trim(), i }))
    .filter(({ text, i }) => text && !/^(\/\*.*\*\/|\/\/.*)$/.test(text) && !(lines[i]?.length > 0))
    .map(({ i }) => i + 1);
  return { problems, unmappedCodeLines, namesFoundInGenerated: named ? namedFound / named : 0 };
}
