// A tiny AMD loader: enough to load a Grafana plugin's dist/module.js, which is one anonymous
// `define([...deps], factory)`. Grafana itself uses SystemJS; what a plugin sees is the same:
// its externals resolve to the host's own module instances, and `module` carries its URI.
type Factory = (...deps: unknown[]) => unknown;

const registry = new Map<string, unknown>();
let pending: { deps: string[]; factory: Factory } | undefined;

export function registerModule(name: string, exports: unknown) {
  registry.set(name, exports);
}

function define(depsOrFactory: string[] | Factory, maybeFactory?: Factory) {
  const deps = Array.isArray(depsOrFactory) ? depsOrFactory : [];
  const factory = (Array.isArray(depsOrFactory) ? maybeFactory : depsOrFactory) as Factory;
  pending = { deps, factory };
}
define.amd = {};

/** Loads an AMD module with a script tag, as Grafana does, and returns its exports. */
export function loadAmdModule(url: string): Promise<any> {
  (window as any).define = define;
  return new Promise((resolve, reject) => {
    const script = document.createElement('script');
    script.src = url;
    script.onerror = () => reject(new Error(`Could not load ${url}`));
    script.onload = () => {
      const def = pending;
      pending = undefined;
      if (!def) {
        return reject(new Error(`${url} did not call define()`));
      }
      const missing = def.deps.filter((d) => d !== 'module' && d !== 'exports' && !registry.has(d));
      if (missing.length) {
        return reject(new Error(`${url} needs modules the host does not provide: ${missing.join(', ')}`));
      }
      const exportsObj = {};
      const args = def.deps.map((d) =>
        d === 'module' ? { id: url, uri: url } : d === 'exports' ? exportsObj : registry.get(d)
      );
      const result = def.factory(...args);
      resolve(result ?? exportsObj);
    };
    document.head.appendChild(script);
  });
}
