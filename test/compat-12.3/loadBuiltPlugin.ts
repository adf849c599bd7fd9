// Loads the built dist/module.js as Grafana does: one anonymous AMD `define([...deps], factory)`
// whose deps (the externals in .config/bundler/externals.ts) are the host's own module instances,
// here this folder's Grafana 12.3 packages and React 18. (The browser sandbox does the same with a
// script tag: test/sandbox/page/amd.ts.) Its chunks (the config editor's) are served as a browser
// would: see serveChunks.
import * as emotionCss from '@emotion/css';
import * as emotionReact from '@emotion/react';
import * as grafanaData from '@grafana/data';
import * as grafanaRuntime from '@grafana/runtime';
import * as grafanaUi from '@grafana/ui';
import crypto from 'crypto';
import fs from 'fs';
import * as i18next from 'i18next';
import * as lodash from 'lodash';
// Plugins get moment from the host as an external; the rule (use dateTime) is for plugin code.
// eslint-disable-next-line no-restricted-imports
import * as moment from 'moment';
import path from 'path';
import * as React from 'react';
import * as reactDom from 'react-dom';
import * as jsxRuntime from 'react/jsx-runtime';
import * as rxjs from 'rxjs';

export const DIST = path.resolve(__dirname, '../../dist');

const HOST_MODULES: Record<string, unknown> = {
  '@grafana/data': grafanaData,
  '@grafana/ui': grafanaUi,
  '@grafana/runtime': grafanaRuntime,
  react: React,
  'react-dom': reactDom,
  'react/jsx-runtime': jsxRuntime,
  rxjs,
  '@emotion/css': emotionCss,
  '@emotion/react': emotionReact,
  lodash,
  moment,
  i18next,
};

type Factory = (...deps: unknown[]) => unknown;

/** Chunk files (e.g. "configEditor.js") evaluated so far, in order: the tests check the editor came from one. */
export const servedChunks: string[] = [];

/**
 * webpack loads a chunk by appending <script src="<plugin base>/<name>.js?_cache=<hash>"
 * integrity="sha256-…"> to <head>; jsdom never fetches scripts. So, as a browser would: read the
 * file from dist/, refuse it if its hash differs from `integrity`, evaluate it in this window and
 * fire the script's load event; error when the file is missing or differs.
 */
function serveChunks(dist: string, baseUrl: string) {
  const base = new URL(baseUrl, window.location.href).href;
  new MutationObserver((mutations) => {
    for (const script of mutations.flatMap((m) => Array.from(m.addedNodes))) {
      if (!(script instanceof HTMLScriptElement) || !script.src.startsWith(base)) {
        continue;
      }
      const name = new URL(script.src).pathname.slice(new URL(base).pathname.length); // no ?_cache=
      const file = path.join(dist, name);
      const code = fs.existsSync(file) ? fs.readFileSync(file) : undefined;
      const hash = code && `sha256-${crypto.createHash('sha256').update(code).digest('base64')}`;
      // Asynchronously, like a download: webpack sets its handlers right after appending.
      setTimeout(() => {
        if (!code || (script.integrity && script.integrity !== hash)) {
          script.dispatchEvent(new Event('error'));
          return;
        }
        servedChunks.push(name);
        new Function(code.toString('utf8'))();
        script.dispatchEvent(new Event('load'));
      });
    }
  }).observe(document.head, { childList: true });
}

/** Evaluates dist/module.js with an AMD `define` and returns the plugin, its meta from dist/plugin.json set. */
export function loadBuiltPlugin(): grafanaData.DataSourcePlugin<any, any, any> {
  const file = path.join(DIST, 'module.js');
  if (!fs.existsSync(file)) {
    throw new Error(`${file} is missing: run \`npm run build\` first`);
  }
  let defined: { deps: string[]; factory: Factory } | undefined;
  const define = (depsOrFactory: string[] | Factory, maybeFactory?: Factory) => {
    const deps = Array.isArray(depsOrFactory) ? depsOrFactory : [];
    defined = { deps, factory: (Array.isArray(depsOrFactory) ? maybeFactory : depsOrFactory) as Factory };
  };
  define.amd = {};
  new Function('define', fs.readFileSync(file, 'utf8'))(define);
  if (!defined) {
    throw new Error(`${file} did not call define()`);
  }

  const missing = defined.deps.filter((d) => d !== 'module' && d !== 'exports' && !(d in HOST_MODULES));
  if (missing.length) {
    throw new Error(`${file} needs modules this check does not provide as Grafana would: ${missing.join(', ')}`);
  }
  const json = JSON.parse(fs.readFileSync(path.join(DIST, 'plugin.json'), 'utf8'));
  const base = `public/plugins/${json.id}`;
  const uri = `/${base}/module.js`;
  serveChunks(DIST, `/${base}/`);
  const exportsObj = {};
  const args = defined.deps.map((d) =>
    d === 'module' ? { id: uri, uri } : d === 'exports' ? exportsObj : HOST_MODULES[d]
  );
  const result = (defined.factory(...args) ?? exportsObj) as { plugin?: unknown };
  const plugin = result.plugin;
  if (!(plugin instanceof grafanaData.DataSourcePlugin)) {
    throw new Error(`${file} does not export a DataSourcePlugin of the host's @grafana/data as "plugin"`);
  }
  plugin.meta = { ...json, baseUrl: base, module: `${base}/module`, info: { ...json.info } };
  return plugin;
}
