// The release archive that `npm run package` wrote, read with Info-ZIP's zipinfo and unzip
// (Debian's `unzip` package): readers independent of the writer in scripts/package/.
import { execFileSync } from 'child_process';
import fs from 'fs';
import path from 'path';

export const REPO = path.resolve(__dirname, '../..');
const PACKAGE_SCRIPT = path.join(REPO, 'scripts', 'package', 'main.ts');

export interface ReleaseInfo {
  pluginId: string;
  version: string;
  zipPath: string;
}

/** Where `npm run package` put the archive for the current package.json and src/plugin.json. */
export function releaseArchive(): ReleaseInfo {
  const { version } = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8'));
  const { id } = JSON.parse(fs.readFileSync(path.join(REPO, 'src', 'plugin.json'), 'utf8'));
  const zipPath = path.join(REPO, `${id}-${version}.zip`);
  if (!fs.existsSync(zipPath)) {
    throw new Error(`${zipPath} is missing: run "npm run build && npm run package" first (scripts/test.sh does).`);
  }
  return { pluginId: id, version, zipPath };
}

function infoZip(tool: 'zipinfo' | 'unzip', args: string[]): string {
  try {
    return execFileSync(tool, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  } catch (e: any) {
    if (e.code === 'ENOENT') {
      throw new Error(`${tool} is missing: install Debian's "unzip" package (scripts/setup.sh does).`);
    }
    throw new Error(`${tool} ${args.join(' ')} failed: ${e.stderr || e.message}`);
  }
}

export interface ArchiveEntry {
  path: string;
  /** As `ls -l` shows it, e.g. "-rw-r--r--". */
  permissions: string;
  /** "unx" when the entry carries Unix permissions. */
  system: string;
  /** "defN" (deflated) or "stor" (stored). */
  method: string;
  size: number;
  /** yyyymmdd.hhmmss */
  time: string;
}

/** The archive's entries in stored order (`zipinfo -l -T`). */
export function listArchive(zipPath: string): ArchiveEntry[] {
  const lines = infoZip('zipinfo', ['-l', '-T', zipPath]).split('\n');
  const entry = /^([-dl][-rwxsStT]{9})\s+\S+\s+(\S+)\s+(\d+)\s+\S+\s+\d+\s+(\S+)\s+(\d{8}\.\d{6})\s(.+)$/;
  return lines.flatMap((line) => {
    const m = entry.exec(line);
    return m ? [{ permissions: m[1], system: m[2], size: Number(m[3]), method: m[4], time: m[5], path: m[6] }] : [];
  });
}

/** Checks every entry's CRC (`unzip -t`); throws with unzip's report when one is damaged. */
export function testArchive(zipPath: string): string {
  return infoZip('unzip', ['-t', zipPath]);
}

/** Unpacks the archive into `dir`, as unzipping into Grafana's plugins folder would. */
export function unpack(zipPath: string, dir: string): void {
  fs.mkdirSync(dir, { recursive: true });
  infoZip('unzip', ['-q', zipPath, '-d', dir]);
}

/** Runs `npm run package`'s script with other options and environment; returns the archive's bytes. */
export function packageAgain(distDir: string, outDir: string, env: NodeJS.ProcessEnv = {}): Buffer {
  execFileSync(
    process.execPath,
    ['-r', 'ts-node/register/transpile-only', PACKAGE_SCRIPT, '--dist', distDir, '--out', outDir],
    {
      cwd: REPO,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    }
  );
  const zips = fs.readdirSync(outDir).filter((f) => f.endsWith('.zip'));
  if (zips.length !== 1) {
    throw new Error(`${outDir} holds ${zips.length} archives after packaging`);
  }
  return fs.readFileSync(path.join(outDir, zips[0]));
}
