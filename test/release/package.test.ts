/** @jest-environment node */
// The release archive as a reviewer sees it: the zip `npm run package` wrote, read with Info-ZIP
// (not with our writer), and the checks Grafana's plugin validator makes that apply to a frontend
// data source — its analyzer names in brackets. The validator downloads its own binary and cannot
// run here; where it checks less than this (URLs in module.js, SVG references) the stricter rule
// is kept.
import { execFileSync } from 'child_process';
import crypto from 'crypto';
import fs from 'fs';
import os from 'os';
import path from 'path';
import semver from 'semver';

import { PictureRecord, RECORD, pictureHashes, pictureProblems, sourceHash } from '../../scripts/package/pictures';
import { DS_INPUT, expectedIncludedDashboard } from '../../scripts/package/pluginDashboard';
import { ArchiveEntry, REPO, listArchive, packageAgain, releaseArchive, testArchive, unpack } from './archive';
import { SourceMap, checkSourceMap } from './sourceMap';
import { svgProblems } from './svgSafety';

// Text in module.js that looks like a URL but is only shown, never requested. Anything else is a
// failure: the plugin talks to Prometheus only through Grafana's data-source proxy.
const TEXT_URLS: Record<string, string> = {
  'http://prometheus:9090': 'placeholder of the Prometheus URL field (src/components/ConfigEditor.tsx)',
  'https://example.com:8080': "example in @grafana/plugin-ui's URL field help text",
};
// A script element: webpack's chunk loader makes one, in module.js, for its own chunks only.
const SCRIPT_ELEMENT = /createElement\(\s*["']script["']/;
// Browser APIs that load or send something without going through Grafana's backend service.
const LOADING_APIS = [
  /\bsendBeacon\b/,
  /\bimportScripts\s*\(/,
  /\bnew\s+(WebSocket|EventSource|Image|Worker)\s*\(/,
  /\bXMLHttpRequest\b/,
  SCRIPT_ELEMENT,
  /createElement\(\s*["'](iframe|link|img)["']/,
];
// What an operator types into the catalog's search box.
const SEARCH_TERMS = ['working set', 'page cache', 'OOM', 'memory leak', 'cAdvisor', 'Kubernetes'];
// Grafana's plugin.json schema: `<org>-<name>-<type>` (or `<org>-<type>`), lower case and digits.
const PLUGIN_ID = /^[0-9a-z]+-([0-9a-z]+-)?(app|panel|datasource)$/;
// The create-plugin template's README, which the validator rejects [templatereadme].
const TEMPLATE_README = /Grafana (Panel|Data Source|Datasource|App|Data Source Backend) Plugin Template/i;
// The oldest Grafana the levitate check proves (scripts/levitate.sh) and the one the tests run.
const GRAFANA_OLDEST = '12.3.0';
const GRAFANA_TESTED = '13.2.3';

let release: ReturnType<typeof releaseArchive>;
let entries: ArchiveEntry[];
let tmp: string;
let root: string; // the unpacked plugin folder
let pluginJson: any;
let releaseDay: string;

const read = (rel: string) => fs.readFileSync(path.join(root, rel), 'utf8');
/** The .js files beside module.js: webpack's chunks. */
const chunkFiles = () =>
  fs
    .readdirSync(root)
    .filter((f) => f.endsWith('.js') && f !== 'module.js')
    .sort();

/** The release's date as the packaging rule states it: SOURCE_DATE_EPOCH, else the last commit's. */
function expectedReleaseDate(): Date {
  if (process.env.SOURCE_DATE_EPOCH) {
    return new Date(Number(process.env.SOURCE_DATE_EPOCH) * 1000);
  }
  return new Date(execFileSync('git', ['show', '-s', '--format=%cI', 'HEAD'], { cwd: REPO, encoding: 'utf8' }).trim());
}

beforeAll(() => {
  release = releaseArchive();
  entries = listArchive(release.zipPath);
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'realmemory-release-'));
  unpack(release.zipPath, path.join(tmp, 'unpacked'));
  root = path.join(tmp, 'unpacked', release.pluginId);
  pluginJson = JSON.parse(read('plugin.json'));
  releaseDay = expectedReleaseDate().toISOString().slice(0, 10);
});

afterAll(() => {
  if (tmp) {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});

describe('the archive', () => {
  test('is <id>-<version>.zip with its SHA-1 beside it, and every entry is intact', () => {
    expect(path.basename(release.zipPath)).toBe(`${release.pluginId}-${release.version}.zip`);
    const sha1 = crypto.createHash('sha1').update(fs.readFileSync(release.zipPath)).digest('hex');
    expect(fs.readFileSync(`${release.zipPath}.sha1`, 'utf8')).toBe(`${sha1}\n`);
    expect(testArchive(release.zipPath)).toMatch(/No errors detected/);
  });

  test('holds one folder named after the plugin id, with the files Grafana and its catalog read [archive, archivename, modulejs]', () => {
    const paths = entries.map((e) => e.path);
    expect(paths[0]).toBe(`${release.pluginId}/`);
    // Grafana refuses entries outside the plugins folder (zip slip) and renames the top folder.
    for (const p of paths) {
      expect(p.startsWith(`${release.pluginId}/`) && !p.split('/').includes('..')).toBe(true);
    }
    const inside = paths.map((p) => p.slice(release.pluginId.length + 1));
    for (const required of [
      'module.js',
      'module.js.map',
      'plugin.json',
      'README.md',
      'CHANGELOG.md',
      'LICENSE',
      'img/',
    ]) {
      expect(inside).toContain(required);
    }
    expect(inside.some((p) => p.startsWith('dist/'))).toBe(false);
    // Byte order, so the order never depends on the file system or the locale.
    expect([...paths].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)))).toEqual(paths);
  });

  test('every entry carries the release date and Unix permissions Grafana keeps: files 0644, folders 0755', () => {
    const when = expectedReleaseDate();
    const dosTime = (d: Date) =>
      `${d.getUTCFullYear()}${String(d.getUTCMonth() + 1).padStart(2, '0')}${String(d.getUTCDate()).padStart(2, '0')}.` +
      `${String(d.getUTCHours()).padStart(2, '0')}${String(d.getUTCMinutes()).padStart(2, '0')}${String(d.getUTCSeconds() & ~1).padStart(2, '0')}`;
    for (const e of entries) {
      expect({ path: e.path, time: e.time, system: e.system }).toEqual({
        path: e.path,
        time: dosTime(when),
        system: 'unx',
      });
      expect({ path: e.path, permissions: e.permissions }).toEqual({
        path: e.path,
        permissions: e.path.endsWith('/') ? 'drwxr-xr-x' : '-rw-r--r--',
      });
    }
  });

  test('the same commit gives the same bytes, whatever the build files’ times and modes or the time zone', () => {
    const artefact = fs.readFileSync(release.zipPath);
    const copies = [
      { tz: 'Pacific/Chatham', mtime: new Date('2031-05-04T03:02:01Z'), mode: 0o600 },
      { tz: 'America/St_Johns', mtime: new Date('1999-12-31T23:59:59Z'), mode: 0o664 },
    ].map(({ tz, mtime, mode }, i) => {
      const dist = path.join(tmp, `dist-${i}`);
      fs.cpSync(path.join(REPO, 'dist'), dist, { recursive: true });
      for (const f of fs.readdirSync(dist, { recursive: true }) as string[]) {
        const file = path.join(dist, f);
        fs.utimesSync(file, mtime, mtime);
        if (fs.statSync(file).isFile()) {
          fs.chmodSync(file, mode);
        }
      }
      return packageAgain(dist, path.join(tmp, `out-${i}`), { TZ: tz });
    });
    const sha1 = (b: Buffer) => crypto.createHash('sha1').update(b).digest('hex');
    expect(sha1(copies[1])).toBe(sha1(copies[0]));
    // The published archive is the one the current dist/ gives (else: npm run build && npm run package).
    expect(sha1(artefact)).toBe(sha1(copies[0]));
  });

  test('is refused when its catalog pictures were taken from another source', () => {
    const dist = path.join(tmp, 'dist-stale');
    fs.cpSync(path.join(REPO, 'dist'), dist, { recursive: true });
    const record: PictureRecord = JSON.parse(fs.readFileSync(path.join(dist, RECORD), 'utf8'));
    fs.writeFileSync(path.join(dist, RECORD), JSON.stringify({ ...record, source: '0'.repeat(64) }));
    let stderr = '';
    try {
      packageAgain(dist, path.join(tmp, 'out-stale'));
    } catch (e: any) {
      stderr = String(e.stderr);
    }
    expect(stderr).toContain('catalog pictures were taken from an older build; run npm run screenshots');
    expect(fs.existsSync(path.join(tmp, 'out-stale'))).toBe(false);
  });
});

describe('plugin.json', () => {
  test('has the fields Grafana requires, a valid id and type [metadata, metadatavalid, pluginname, typesuffix]', () => {
    for (const key of ['type', 'name', 'id', 'info', 'dependencies']) {
      expect(pluginJson).toHaveProperty(key);
    }
    for (const key of ['logos', 'version', 'updated', 'keywords']) {
      expect(pluginJson.info).toHaveProperty(key);
    }
    expect(pluginJson.id).toBe(release.pluginId);
    expect(pluginJson.id).toMatch(PLUGIN_ID);
    expect(pluginJson.type).toBe('datasource');
    expect(pluginJson.id.endsWith(`-${pluginJson.type}`)).toBe(true);
    expect(pluginJson.name).not.toBe(pluginJson.id);
  });

  test('carries the package version and the release date, not the build day', () => {
    expect(pluginJson.info.version).toBe(release.version);
    expect(pluginJson.info.updated).toBe(releaseDay);
  });

  test('depends on a range of Grafana releases that includes the checked oldest and the tested one [grafanadependency, restrictivedep]', () => {
    const dep: string = pluginJson.dependencies.grafanaDependency;
    expect(semver.validRange(dep)).not.toBeNull();
    expect(dep).not.toMatch(/^\d+\.\d+\.(\d+|x)$/);
    expect(semver.satisfies(GRAFANA_OLDEST, dep)).toBe(true);
    expect(semver.satisfies(GRAFANA_TESTED, dep)).toBe(true);
  });

  test('description and keywords hold what operators search for [discoverability]', () => {
    const words = `${pluginJson.info.description} ${pluginJson.info.keywords.join(' ')}`.toLowerCase();
    for (const term of SEARCH_TERMS) {
      expect({ term, found: words.includes(term.toLowerCase()) }).toEqual({ term, found: true });
    }
  });

  test('links are absolute URLs, with documentation and an issue tracker [metadatavalid: format uri]', () => {
    const links: Array<{ name: string; url: string }> = pluginJson.info.links;
    for (const l of links) {
      expect(new URL(l.url).protocol).toMatch(/^https?:$/);
      expect(l.name.trim()).not.toBe('');
    }
    expect(links.some((l) => /documentation/i.test(l.name))).toBe(true);
    expect(links.some((l) => /issue/i.test(l.name))).toBe(true);
  });

  test('includes the dashboard the archive holds, bound to the data source it is imported from', () => {
    const dashboards = (pluginJson.includes ?? []).filter((i: { type: string }) => i.type === 'dashboard');
    expect(dashboards).toEqual([
      { type: 'dashboard', name: 'Container memory: real used vs working set', path: 'dashboards/real-memory.json' },
    ]);
    const inside = entries.map((e) => e.path.slice(release.pluginId.length + 1));
    expect(inside).toContain(dashboards[0].path);
    const dashboard = JSON.parse(read(dashboards[0].path));
    expect(dashboard).toEqual(JSON.parse(expectedIncludedDashboard()));
    expect(dashboard.title).toBe(dashboards[0].name);
    expect(dashboard.__inputs).toEqual([
      expect.objectContaining({ name: DS_INPUT, type: 'datasource', pluginId: release.pluginId }),
    ]);
  });

  test('screenshots are those recorded with the source this bundle was built from', () => {
    const record: PictureRecord = JSON.parse(read(RECORD));
    expect(pictureProblems(record, sourceHash(path.join(REPO, 'src')), pictureHashes(root))).toEqual([]);
  });

  test('logos and screenshots are relative paths to images in the archive, of the type their name says [logos, screenshots, metadatapaths]', () => {
    const images = [
      pluginJson.info.logos.small,
      pluginJson.info.logos.large,
      ...pluginJson.info.screenshots.map((s: { name: string; path: string }) => s.path),
    ];
    expect(pluginJson.info.screenshots.length).toBeGreaterThan(0);
    for (const s of pluginJson.info.screenshots) {
      expect(s.name.trim()).not.toBe('');
    }
    const magic: Record<string, (b: Buffer) => boolean> = {
      '.png': (b) => b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])),
      '.jpg': (b) => b[0] === 0xff && b[1] === 0xd8,
      '.gif': (b) => b.subarray(0, 4).toString('latin1') === 'GIF8',
      '.svg': (b) => b.subarray(0, 512).toString('utf8').includes('<svg'),
    };
    for (const p of images) {
      expect(p).not.toMatch(/^[./]|^[a-z]+:/i);
      const file = path.join(root, p);
      expect({ p, exists: fs.existsSync(file) }).toEqual({ p, exists: true });
      const check = magic[path.extname(p).toLowerCase()];
      expect({ p, knownType: Boolean(check) }).toEqual({ p, knownType: true });
      expect({ p, typeMatches: check(fs.readFileSync(file)) }).toEqual({ p, typeMatches: true });
    }
  });
});

describe('images', () => {
  test('every SVG in the archive is safe: no scripts, handlers or external references [unsafesvg]', () => {
    const svgs = entries.filter((e) => e.path.endsWith('.svg'));
    expect(svgs.length).toBeGreaterThan(0);
    for (const e of svgs) {
      const rel = e.path.slice(release.pluginId.length + 1);
      expect({ svg: rel, problems: svgProblems(read(rel)) }).toEqual({ svg: rel, problems: [] });
    }
  });

  test.each([
    ['a script', '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'],
    ['an event handler', '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"></svg>'],
    ['an external image', '<svg xmlns="http://www.w3.org/2000/svg"><image href="https://t.example/p.png"/></svg>'],
    [
      'an external xlink',
      '<svg xmlns:xlink="http://www.w3.org/1999/xlink"><use xlink:href="//t.example/a.svg#x"/></svg>',
    ],
    ['a CSS import', '<svg><style>@import url(https://t.example/a.css);</style></svg>'],
    ['an external fill', '<svg><rect style="fill: url(\'https://t.example/f\')"/></svg>'],
    ['embedded HTML', '<svg><foreignObject><div>x</div></foreignObject></svg>'],
    ['an entity', '<!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]><svg>&x;</svg>'],
  ])('the SVG check finds %s', (_, svg) => {
    expect(svgProblems(svg).length).toBeGreaterThan(0);
  });
});

describe('documents', () => {
  test("the README is the plugin's own, for operators: no template text, no relative links, no developer jargon [templatereadme, brokenlinks, jargon]", () => {
    const readme = read('README.md');
    expect(readme).not.toMatch(TEMPLATE_README);
    expect(readme).not.toMatch(/%(VERSION|TODAY|PLUGIN_ID)%/);
    // The catalog shows the README away from the archive: a relative link leads nowhere.
    for (const m of readme.matchAll(/\[[^\]]*\]\(([^)\s]+)/g)) {
      expect(m[1]).toMatch(/^(https?:\/\/|#|mailto:)/);
    }
    expect(readme).not.toMatch(/\b(yarn|nodejs)\b/);
  });

  test('the README tells how to install this archive and allow the unsigned plugin', () => {
    const readme = read('README.md');
    expect(readme).toContain(`${release.pluginId}-${release.version}.zip`);
    expect(readme).toMatch(new RegExp(`grafana cli --pluginUrl .* plugins install ${release.pluginId}`));
    expect(readme).toContain(`allow_loading_unsigned_plugins = ${release.pluginId}`);
    expect(readme).toContain(`GF_PLUGINS_ALLOW_LOADING_UNSIGNED_PLUGINS=${release.pluginId}`);
    expect(readme).toContain('npx @grafana/sign-plugin');
  });

  test('the changelog has an entry for this version [changelog]', () => {
    const changelog = read('CHANGELOG.md');
    const heading = new RegExp(`^## ${release.version.replace(/\./g, '\\.')}\\b.*$`, 'm');
    expect(changelog).toMatch(heading);
    const entry = changelog.slice(changelog.search(heading)).split(/\n## /)[0];
    expect(entry.split('\n').filter((l) => l.startsWith('- ')).length).toBeGreaterThan(0);
  });

  test('the licence is the Apache License 2.0 that package.json declares [license]', () => {
    expect(JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')).license).toBe('Apache-2.0');
    expect(read('LICENSE')).toMatch(/Apache License\s+Version 2\.0/);
  });
});

describe('module.js', () => {
  let code: string;
  let map: SourceMap;
  beforeAll(() => {
    code = read('module.js');
    map = JSON.parse(read('module.js.map'));
  });

  test('points at its source map, which carries the sources this repository holds [jsMap]', () => {
    expect(code.trimEnd().split('\n').pop()).toBe('//# sourceMappingURL=module.js.map');
    expect(map.version).toBe(3);
    expect(map.file).toBe('module.js');
    expect(map.sourcesContent?.length).toBe(map.sources.length);
    expect(map.sourcesContent!.every((c) => typeof c === 'string')).toBe(true);
    // Webpack names the plugin's own files webpack://<id>/./<path under src/>; ./node_modules/ there
    // is the webpack config's virtual public-path module, which no file holds.
    const own = `webpack://${release.pluginId}/./`;
    const ours = map.sources
      .map((s, i) => ({ s, i }))
      .filter(({ s }) => s.startsWith(own) && !s.startsWith(`${own}node_modules/`));
    expect(ours.map(({ s }) => s)).toContain(`${own}module.ts`);
    for (const { s, i } of ours) {
      const file = path.join(REPO, 'src', s.slice(own.length));
      const same = fs.existsSync(file) && fs.readFileSync(file, 'utf8') === map.sourcesContent![i];
      expect({ source: s, sameAsRepository: same }).toEqual({ source: s, sameAsRepository: true });
    }
  });

  test("the source map's mappings fit module.js and cover all of its code", () => {
    const report = checkSourceMap(map, code);
    expect(report.problems.slice(0, 5)).toEqual([]);
    expect(report.unmappedCodeLines).toEqual([]);
    // Identifiers the minifier kept (properties, exports) sit where the map says.
    expect(report.namesFoundInGenerated).toBeGreaterThan(0.25);
  });

  test('the source map check catches a map from another build (code shifted or cut)', () => {
    const lines = code.split('\n');
    const longest = lines.reduce((a, l, i) => (l.length > lines[a].length ? i : a), 0);
    const middle = Math.floor(lines[longest].length / 2);
    const shifted = lines.map((l, i) =>
      i === longest ? l.slice(0, middle) + 'var shifted=1;'.repeat(4) + l.slice(middle) : l
    );
    expect(checkSourceMap(map, shifted.join('\n')).namesFoundInGenerated).toBeLessThan(0.25);
    const cut = lines.map((l, i) => (i === longest ? l.slice(0, middle) : l));
    expect(checkSourceMap(map, cut.join('\n')).problems.length).toBeGreaterThan(0);
  });

  test('loads nothing from elsewhere: its only URLs are text shown to users, and it uses no loading or tracking API [trackingscripts]', () => {
    for (const file of ['module.js', ...chunkFiles()]) {
      const text = read(file);
      const urls = Array.from(new Set(text.match(/\bhttps?:\/\/[^\s"'`)\\<>]+/g) ?? []));
      expect({ file, urls: urls.filter((u) => !(u in TEXT_URLS)) }).toEqual({ file, urls: [] });
      // The chunk loader's <script> takes its folder from module.js's own URI (install.test.ts sees
      // the chunk come from the plugin's folder).
      const allowed = file === 'module.js' && chunkFiles().length > 0 ? [SCRIPT_ELEMENT] : [];
      for (const api of LOADING_APIS.filter((a) => !allowed.includes(a))) {
        expect({ file, api: String(api), found: api.test(text) }).toEqual({ file, api: String(api), found: false });
      }
      for (const api of allowed) {
        expect({ file, api: String(api), times: text.match(new RegExp(api, 'g'))?.length }).toEqual({
          file,
          api: String(api),
          times: 1,
        });
      }
    }
  });
});

describe('chunks (parts of the code loaded on demand, e.g. the config editor)', () => {
  test('the archive holds exactly the chunks module.js loads, each the one it was built with [modulejs]', () => {
    // The chunk loader asks for "<name>.js?_cache=<content hash>" and checks the script's sha256.
    const code = read('module.js');
    const named = Array.from(code.matchAll(/"([\w-]+\.js)\?_cache=[0-9a-f]+"/g), (m) => m[1]).sort();
    expect(named).toContain('configEditor.js');
    expect(chunkFiles()).toEqual(named);
    for (const file of named) {
      const integrity = `sha256-${crypto
        .createHash('sha256')
        .update(fs.readFileSync(path.join(root, file)))
        .digest('base64')}`;
      expect({ file, integrityInModuleJs: code.includes(`"${integrity}"`) }).toEqual({
        file,
        integrityInModuleJs: true,
      });
    }
  });

  test('each points at its source map, which fits it and carries the sources this repository holds [jsMap]', () => {
    const own = `webpack://${release.pluginId}/./`;
    for (const file of chunkFiles()) {
      const text = read(file);
      expect(text.trimEnd().split('\n').pop()).toMatch(
        new RegExp(`^//# sourceMappingURL=${file}\\.map(\\?_cache=\\w+)?$`)
      );
      const chunkMap: SourceMap = JSON.parse(read(`${file}.map`));
      expect(chunkMap.file?.split('?')[0]).toBe(file);
      const ours = chunkMap.sources.map((s, i) => ({ s, i })).filter(({ s }) => s.startsWith(own));
      expect(ours.length).toBeGreaterThan(0);
      for (const { s, i } of ours) {
        const source = path.join(REPO, 'src', s.slice(own.length));
        const same = fs.existsSync(source) && fs.readFileSync(source, 'utf8') === chunkMap.sourcesContent![i];
        expect({ source: s, sameAsRepository: same }).toEqual({ source: s, sameAsRepository: true });
      }
      const report = checkSourceMap(chunkMap, text);
      expect({ file, problems: report.problems.slice(0, 5), unmapped: report.unmappedCodeLines }).toEqual({
        file,
        problems: [],
        unmapped: [],
      });
    }
  });
});
