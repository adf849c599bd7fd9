// jsdom lacks what @grafana/ui needs at import and render time. jest-setup.js loads this in every
// jsdom test. (fetch comes from the test environment, jsdomWithFetch.js.)

// @grafana/runtime and @grafana/ui load react-dom/server and React's scheduler, which schedule with
// MessageChannel; jsdom lacks it, and Node's own keeps jest from exiting (a port with onmessage
// holds the event loop), so this is a tiny in-process one on timers.
type Listener = (event: { data: unknown }) => void;

class LoopbackPort {
  onmessage: Listener | null = null;
  peer!: LoopbackPort;
  postMessage(data: unknown) {
    setTimeout(() => this.peer.onmessage?.({ data }), 0);
  }
  start() {}
  close() {
    this.onmessage = null;
  }
}

class TimerMessageChannel {
  readonly port1 = new LoopbackPort();
  readonly port2 = new LoopbackPort();
  constructor() {
    this.port1.peer = this.port2;
    this.port2.peer = this.port1;
  }
}

if (typeof globalThis.MessageChannel === 'undefined') {
  Object.assign(globalThis, { MessageChannel: TimerMessageChannel });
}

// Combobox measures text on a canvas; the scaffold's setup stubs getContext to return nothing.
// (Guarded: integration tests may run in jest's node environment, which has no DOM.)
if (typeof HTMLCanvasElement !== 'undefined') {
  HTMLCanvasElement.prototype.getContext = (() => ({
    measureText: (text: string) => ({ width: text.length * 7 }),
    font: '',
  })) as unknown as typeof HTMLCanvasElement.prototype.getContext;
}

// Combobox's menu observes scrolling with IntersectionObserver.
class NoopIntersectionObserver {
  observe() {}
  unobserve() {}
  disconnect() {}
  takeRecords() {
    return [];
  }
}
if (typeof globalThis.IntersectionObserver === 'undefined') {
  Object.assign(globalThis, { IntersectionObserver: NoopIntersectionObserver });
}

/** Combobox measures its menu; jsdom has no layout, so give elements a size. */
export function giveElementsASize() {
  Object.defineProperty(Element.prototype, 'getBoundingClientRect', {
    configurable: true,
    value: () => ({ width: 120, height: 120, top: 0, left: 0, bottom: 0, right: 0, x: 0, y: 0, toJSON: () => ({}) }),
  });
  // The virtualised option list renders only the rows that fit its measured height.
  for (const prop of ['offsetHeight', 'offsetWidth', 'clientHeight', 'clientWidth']) {
    Object.defineProperty(HTMLElement.prototype, prop, { configurable: true, get: () => 500 });
  }
}
