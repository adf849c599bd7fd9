// jsdom lacks what @grafana/ui needs at import and render time. Import this first in editor tests
// and in tests that import the data source (test/support/polyfills.ts).

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

export {};
