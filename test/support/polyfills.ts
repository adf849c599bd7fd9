// @grafana/runtime pulls in @grafana/ui, which loads react-dom/server and React's scheduler; they
// need MessageChannel, which jsdom's environment lacks. Node's own MessageChannel would keep
// jest from exiting (a port with onmessage holds the event loop), so this is a tiny in-process
// one on timers. Import this first in tests that import the data source.
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
