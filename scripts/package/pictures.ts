// Catalog pictures no older than the bundle. `npm run screenshots` records in src/img/screenshots.json
// a hash of the source the pictures were taken from (src/**/*.ts(x), tests left out) and a hash of each
// picture; `npm run package` refuses a dist/ whose record does not match the source or its pictures.
// File times cannot tell: a fresh clone gives every file the same one.
//   node -r ts-node/register/transpile-only scripts/package/pictures.ts source   prints the source's hash
//   node -r ts-node/register/transpile-only scripts/package/pictures.ts record <source hash>
//     writes the record for the pictures now in src/img/, taken from the source of that hash
import crypto from 'crypto';
import fs from 'fs';
import path from 'path';

const REPO = path.resolve(__dirname, '../..');
/** The record, relative to the plugin's folder (src/, and dist/ once built). */
export const RECORD = 'img/screenshots.json';
export const RETAKE = 'run npm run screenshots';

export interface PictureRecord {
  /** sourceHash() of the source the pictures were taken from. */
  source: string;
  /** sha256 of each catalog picture, by its path in plugin.json. */
  pictures: Record<string, string>;
}

const sha256 = (data: Buffer | string) => crypto.createHash('sha256').update(data).digest('hex');

/** The bundle's own source: .ts and .tsx files under `srcDir`, without what jest takes for tests. */
export function sourceFiles(srcDir: string): string[] {
  return (fs.readdirSync(srcDir, { recursive: true }) as string[])
    .map((f) => f.split(path.sep).join('/'))
    .filter((f) => /\.tsx?$/.test(f) && !/(^|\/)__tests__\/|\.(spec|test|jest)\.tsx?$/.test(f))
    .sort();
}

/** One hash of every source file's path and content. */
export function sourceHash(srcDir: string): string {
  const hash = crypto.createHash('sha256');
  for (const f of sourceFiles(srcDir)) {
    hash
      .update(`${f}\0`)
      .update(fs.readFileSync(path.join(srcDir, f)))
      .update('\0');
  }
  return hash.digest('hex');
}

/** The catalog pictures plugin.json names, hashed, in a plugin folder (src/ or dist/). */
export function pictureHashes(pluginDir: string): Record<string, string | undefined> {
  const meta = JSON.parse(fs.readFileSync(path.join(pluginDir, 'plugin.json'), 'utf8'));
  const paths: string[] = (meta.info?.screenshots ?? []).map((s: { path: string }) => s.path);
  return Object.fromEntries(
    paths.map((p) => {
      const file = path.join(pluginDir, p);
      return [p, fs.existsSync(file) ? sha256(fs.readFileSync(file)) : undefined];
    })
  );
}

/** Why the pictures are not those of `source` (none: they are). */
export function pictureProblems(
  record: PictureRecord | undefined,
  source: string,
  pictures: Record<string, string | undefined>
): string[] {
  if (!record) {
    return [`no record of the source the catalog pictures were taken from (${RECORD}): ${RETAKE}`];
  }
  const problems: string[] = [];
  if (record.source !== source) {
    problems.push(`catalog pictures were taken from an older build; ${RETAKE}`);
  }
  for (const [p, hash] of Object.entries(pictures)) {
    if (hash === undefined) {
      problems.push(`${p} is missing; ${RETAKE}`);
    } else if (record.pictures[p] !== hash) {
      problems.push(`${p} is not the picture recorded in ${RECORD}; ${RETAKE}`);
    }
  }
  return problems;
}

/** pictureProblems for a built plugin folder, against the source in `srcDir`. */
export function builtPictureProblems(distDir: string, srcDir: string): string[] {
  const file = path.join(distDir, RECORD);
  const record = fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as PictureRecord) : undefined;
  return pictureProblems(record, sourceHash(srcDir), pictureHashes(distDir));
}

if (require.main === module) {
  const [command, source] = process.argv.slice(2);
  const srcDir = path.join(REPO, 'src');
  if (command === 'source') {
    console.log(sourceHash(srcDir));
  } else if (command === 'record' && /^[0-9a-f]{64}$/.test(source ?? '')) {
    const pictures = pictureHashes(srcDir);
    const missing = Object.keys(pictures).filter((p) => pictures[p] === undefined);
    if (missing.length > 0) {
      console.error(`pictures: missing in src/: ${missing.join(', ')}`);
      process.exit(1);
    }
    const record: PictureRecord = { source, pictures: pictures as Record<string, string> };
    fs.writeFileSync(path.join(srcDir, RECORD), JSON.stringify(record, null, 2) + '\n');
    console.log(`src/${RECORD}: ${Object.keys(pictures).length} pictures of source ${source.slice(0, 12)}`);
  } else {
    console.error(
      'usage: pictures.ts source | pictures.ts record <source hash> (see the header of scripts/package/pictures.ts)'
    );
    process.exit(2);
  }
}
