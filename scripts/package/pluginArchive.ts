// The release archive Grafana installs from (`grafana cli --pluginUrl`, the plugin catalog):
// the built dist/ under one folder named after the plugin id, as Grafana's packaging guide
// does with `mv dist <id> && zip -r <id>-<version>.zip <id>`, but reproducible: entries in
// byte order, one fixed date (the release's, not the build's), fixed permissions.
import fs from 'fs';
import path from 'path';

import { ZipEntry, zip } from './zip';

// Readable by the Grafana server's user whatever the umask of the machine that packaged it.
// Grafana's installer keeps these modes (a frontend-only plugin has no executables).
const FILE_MODE = 0o644;
const DIR_MODE = 0o755;

export interface PluginArchive {
  /** `<id>-<version>.zip` */
  fileName: string;
  bytes: Buffer;
  pluginId: string;
  version: string;
}

/** Files under `dir`, "/"-separated and relative, in byte order (not the locale's). */
function listFiles(dir: string, prefix = ''): Array<{ rel: string; isDir: boolean }> {
  const out: Array<{ rel: string; isDir: boolean }> = [];
  const names = fs.readdirSync(dir).sort(byteOrder);
  for (const name of names) {
    const full = path.join(dir, name);
    const stat = fs.lstatSync(full);
    const rel = prefix + name;
    if (stat.isDirectory()) {
      out.push({ rel: rel + '/', isDir: true });
      out.push(...listFiles(full, rel + '/'));
    } else if (stat.isFile()) {
      out.push({ rel, isDir: false });
    } else {
      throw new Error(`${full}: only plain files and folders can be packaged (Grafana drops links that leave the plugin)`);
    }
  }
  return out;
}

function byteOrder(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

/** plugin.json with `info.updated` set to the release date; the build wrote the build's day. */
export function datedPluginJson(text: string, day: string): string {
  const field = /("updated"\s*:\s*)"[^"]*"/g;
  const count = (text.match(field) ?? []).length;
  if (count !== 1) {
    throw new Error(`plugin.json must hold one "updated" field (info.updated), found ${count}`);
  }
  return text.replace(field, `$1"${day}"`);
}

/** Packs a built plugin folder (dist/) as Grafana's release tooling lays it out. */
export function buildPluginArchive(distDir: string, version: string, released: Date): PluginArchive {
  const pluginJsonPath = path.join(distDir, 'plugin.json');
  if (!fs.existsSync(path.join(distDir, 'module.js')) || !fs.existsSync(pluginJsonPath)) {
    throw new Error(`${distDir} holds no built plugin (module.js, plugin.json): run "npm run build" first`);
  }
  const pluginJsonText = fs.readFileSync(pluginJsonPath, 'utf8');
  const meta = JSON.parse(pluginJsonText);
  const pluginId: string = meta.id;
  if (meta.info?.version !== version) {
    throw new Error(
      `${pluginJsonPath} says version ${meta.info?.version}, package.json ${version}: rebuild with "npm run build"`
    );
  }
  const day = released.toISOString().slice(0, 10);
  const entries: ZipEntry[] = [{ path: `${pluginId}/`, mode: DIR_MODE }];
  for (const { rel, isDir } of listFiles(distDir)) {
    const archivePath = `${pluginId}/${rel}`;
    if (isDir) {
      entries.push({ path: archivePath, mode: DIR_MODE });
      continue;
    }
    const data =
      rel === 'plugin.json'
        ? Buffer.from(datedPluginJson(pluginJsonText, day), 'utf8')
        : fs.readFileSync(path.join(distDir, rel));
    entries.push({ path: archivePath, data, mode: FILE_MODE });
  }
  return { fileName: `${pluginId}-${version}.zip`, bytes: zip(entries, released), pluginId, version };
}
