// The release archive Grafana installs from (`grafana cli --pluginUrl`, the plugin catalog):
// the built dist/ under one folder named after the plugin id, as Grafana's packaging guide
// does with `mv dist <id> && zip -r <id>-<version>.zip <id>`, but reproducible: entries in
// byte order, one fixed date (the release's, not the build's), fixed permissions.
// A signed dist/ (MANIFEST.txt, from @grafana/sign-plugin) is packed byte for byte: the
// manifest holds the hash of every file.
import fs from 'fs';
import path from 'path';

import { builtPictureProblems } from './pictures';
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
  /** Things to fix before publishing that do not stop a local install. */
  warnings: string[];
}

/** Files and folders under `dir`, "/"-separated and relative; folders end with "/". */
function listFiles(dir: string, prefix = ''): Array<{ rel: string; isDir: boolean }> {
  const out: Array<{ rel: string; isDir: boolean }> = [];
  for (const name of fs.readdirSync(dir)) {
    const full = path.join(dir, name);
    const stat = fs.lstatSync(full);
    const rel = prefix + name;
    if (stat.isDirectory()) {
      out.push({ rel: rel + '/', isDir: true });
      out.push(...listFiles(full, rel + '/'));
    } else if (stat.isFile()) {
      out.push({ rel, isDir: false });
    } else {
      throw new Error(
        `${full}: only plain files and folders can be packaged (Grafana drops links that leave the plugin)`
      );
    }
  }
  return out;
}

/** plugin.json text with `info.updated` set to `day` (YYYY-MM-DD). */
export function datedPluginJson(text: string, day: string): string {
  const field = /("updated"\s*:\s*)"[^"]*"/g;
  const count = (text.match(field) ?? []).length;
  if (count !== 1) {
    throw new Error(`plugin.json must hold one "updated" field (info.updated), found ${count}`);
  }
  return text.replace(field, `$1"${day}"`);
}

/**
 * Dates dist/plugin.json by the release instead of the build's day (the webpack config fills
 * %TODAY%). Done in dist/ itself, before any signing, so that a signature covers the dated file.
 */
export function dateBuiltPlugin(distDir: string, released: Date) {
  const file = path.join(distDir, 'plugin.json');
  const text = fs.readFileSync(file, 'utf8');
  const day = released.toISOString().slice(0, 10);
  const dated = datedPluginJson(text, day);
  if (dated === text) {
    return;
  }
  if (fs.existsSync(path.join(distDir, 'MANIFEST.txt'))) {
    throw new Error(
      `${distDir}/MANIFEST.txt signs a plugin.json dated ${JSON.parse(text).info?.updated}, not the release (${day}): ` +
        'run "npm run package" before signing (it dates plugin.json), sign, then run it again'
    );
  }
  fs.writeFileSync(file, dated);
}

/** Packs a built plugin folder (dist/), built from `srcDir`, as Grafana's release tooling lays it out. */
export function buildPluginArchive(distDir: string, srcDir: string, version: string, released: Date): PluginArchive {
  const pluginJsonPath = path.join(distDir, 'plugin.json');
  if (!fs.existsSync(path.join(distDir, 'module.js')) || !fs.existsSync(pluginJsonPath)) {
    throw new Error(`${distDir} holds no built plugin (module.js, plugin.json): run "npm run build" first`);
  }
  const meta = JSON.parse(fs.readFileSync(pluginJsonPath, 'utf8'));
  const pluginId: string = meta.id;
  if (meta.info?.version !== version) {
    throw new Error(
      `${pluginJsonPath} says version ${meta.info?.version}, package.json ${version}: rebuild with "npm run build"`
    );
  }
  // The catalog shows these pictures as the plugin: they must be of the source being packaged.
  const stale = builtPictureProblems(distDir, srcDir);
  if (stale.length > 0) {
    throw new Error(`refused, the catalog pictures are not of this source:\n  ${stale.join('\n  ')}`);
  }
  // Grafana lists an included dashboard on the data source's Dashboards tab and reads it from here.
  for (const include of meta.includes ?? []) {
    if (include.type === 'dashboard' && !fs.existsSync(path.join(distDir, include.path))) {
      throw new Error(
        `plugin.json includes the dashboard ${include.path}, which ${distDir} lacks: run "npm run build"`
      );
    }
  }
  dateBuiltPlugin(distDir, released);
  const entries: ZipEntry[] = [{ path: `${pluginId}/`, mode: DIR_MODE }];
  // Byte order of the whole path (not the file system's, nor the locale's): a folder comes
  // right before its contents.
  const files = listFiles(distDir).sort((x, y) => Buffer.compare(Buffer.from(x.rel), Buffer.from(y.rel)));
  for (const { rel, isDir } of files) {
    const archivePath = `${pluginId}/${rel}`;
    entries.push(
      isDir
        ? { path: archivePath, mode: DIR_MODE }
        : { path: archivePath, data: fs.readFileSync(path.join(distDir, rel)), mode: FILE_MODE }
    );
  }
  return {
    fileName: `${pluginId}-${version}.zip`,
    bytes: zip(entries, released),
    pluginId,
    version,
    warnings: placeholderLinks(meta),
  };
}

/** Links on a reserved .invalid host: to be replaced by the project's own before publishing. */
function placeholderLinks(meta: { info?: { links?: Array<{ name: string; url: string }> } }): string[] {
  return (meta.info?.links ?? [])
    .filter((l) => /^https?:\/\/[^/]*\.invalid(\/|$)/.test(l.url))
    .map(
      (l) =>
        `plugin.json link "${l.name}" is a placeholder (${l.url}): point it at the project's own page before publishing`
    );
}
