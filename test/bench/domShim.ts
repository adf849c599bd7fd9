// @grafana/runtime pulls in @grafana/ui, which needs a DOM at import time. The benchmark runs in
// plain Node (no jest), so it installs jsdom's window as the global scope first, as jest's jsdom
// environment would, and ignores the CSS files @grafana/ui requires. Import this module first.
import { JSDOM } from 'jsdom';

const dom = new JSDOM('<!doctype html><html><body></body></html>', { url: 'http://localhost/', pretendToBeVisual: true });
const g = globalThis as any;
// Node has its own Event classes; @grafana/ui's dependencies dispatch jsdom events, so use jsdom's.
const PREFER_DOM = new Set(['Event', 'EventTarget', 'CustomEvent', 'navigator']);
for (const key of Object.getOwnPropertyNames(dom.window)) {
  if (key in g && !PREFER_DOM.has(key)) {
    continue;
  }
  try {
    Object.defineProperty(g, key, { value: dom.window[key], configurable: true, writable: true });
  } catch {
    // a few window properties are not transferable; @grafana/* does not need them
  }
}
g.window = dom.window;
(dom.window as any).matchMedia = g.matchMedia = () => ({
  matches: false,
  addListener() {},
  removeListener() {},
  addEventListener() {},
  removeEventListener() {},
});
require.extensions['.css'] = (m: any) => {
  m.exports = {};
};
