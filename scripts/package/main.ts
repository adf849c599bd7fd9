// `npm run package`: writes <id>-<version>.zip and <id>-<version>.zip.sha1 from the built dist/.
// The same commit gives the same bytes: the archive is dated by the commit (or SOURCE_DATE_EPOCH,
// the reproducible-builds convention), never by the clock.
// Options: --dist <dir> (default dist/), --out <dir> (default: the repository root).
import { execFileSync } from 'child_process';
import crypto from 'crypto';
import fs from 'fs';
import path from 'path';

import { buildPluginArchive } from './pluginArchive';

const REPO = path.resolve(__dirname, '../..');

/** The release date: SOURCE_DATE_EPOCH (seconds) when set, else the last commit's date. */
export function releaseDate(env: NodeJS.ProcessEnv = process.env, cwd = REPO): Date {
  const epoch = env.SOURCE_DATE_EPOCH;
  if (epoch !== undefined && epoch !== '') {
    if (!/^\d+$/.test(epoch)) {
      throw new Error(`SOURCE_DATE_EPOCH must be whole seconds since 1970, not ${JSON.stringify(epoch)}`);
    }
    return new Date(Number(epoch) * 1000);
  }
  let seconds: string;
  try {
    seconds = execFileSync('git', ['log', '-1', '--format=%ct'], {
      cwd,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    }).trim();
  } catch (e: any) {
    throw new Error(
      `Cannot date the archive from git (${String(e.stderr ?? e.message).trim()}): ` +
        'package from a git checkout, or set SOURCE_DATE_EPOCH to the release time in seconds since 1970'
    );
  }
  return new Date(Number(seconds) * 1000);
}

function parseArgs(args: string[]): { dist: string; out: string } {
  const folders: Record<string, string> = { '--dist': path.join(REPO, 'dist'), '--out': REPO };
  for (let i = 0; i < args.length; i += 2) {
    const [name, value] = [args[i], args[i + 1]];
    if (!(name in folders)) {
      throw new Error(`unknown argument ${name} (known: --dist <dir>, --out <dir>)`);
    }
    if (!value || value.startsWith('--')) {
      throw new Error(`${name} needs a folder`);
    }
    folders[name] = value;
  }
  return { dist: path.resolve(folders['--dist']), out: path.resolve(folders['--out']) };
}

export function main(args: string[]): { zipPath: string; sha1: string; bytes: number } {
  const { dist: distDir, out: outDir } = parseArgs(args);
  const { version } = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8'));
  const archive = buildPluginArchive(distDir, path.join(REPO, 'src'), version, releaseDate());
  fs.mkdirSync(outDir, { recursive: true });
  const zipPath = path.join(outDir, archive.fileName);
  fs.writeFileSync(zipPath, archive.bytes);
  const sha1 = crypto.createHash('sha1').update(archive.bytes).digest('hex');
  // The bare hash, as Grafana's packaging action writes it (`sha1sum | cut -f1 -d' '`) and the
  // plugin catalog's submission form expects.
  fs.writeFileSync(`${zipPath}.sha1`, `${sha1}\n`);
  for (const w of archive.warnings) {
    console.warn(`package: warning: ${w}`);
  }
  return { zipPath, sha1, bytes: archive.bytes.length };
}

if (require.main === module) {
  try {
    const { zipPath, sha1, bytes } = main(process.argv.slice(2));
    console.log(`${path.relative(process.cwd(), zipPath) || zipPath}: ${(bytes / 1024).toFixed(1)} KiB, sha1 ${sha1}`);
  } catch (e: any) {
    console.error(`package: ${e.message}`);
    process.exit(1);
  }
}
