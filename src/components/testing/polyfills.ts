// jsdom lacks what @grafana/ui needs at import and render time. Import this first in editor tests.

// react-dom/server (loaded by @grafana/ui) schedules with MessageChannel. Node's own keeps the
// process alive, so use a timer-based one.
class TimerMessageChannel {
  port1: { onmessage: ((e: { data: unknown }) => void) | null; close: () => void } = {
    onmessage: null,
    close: () => {},
  };
  port2 = {
    postMessage: (data: unknown) => setTimeout(() => this.port1.onmessage?.({ data }), 0),
    close: () => {},
  };
}
if (typeof globalThis.MessageChannel === 'undefined') {
  Object.assign(globalThis, { MessageChannel: TimerMessageChannel });
}

// Combobox measures text on a canvas; the scaffold's setup stubs getContext to return nothing.
HTMLCanvasElement.prototype.getContext = (() => ({
  measureText: (text: string) => ({ width: text.length * 7 }),
  font: '',
})) as unknown as typeof HTMLCanvasElement.prototype.getContext;

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
