// Small measuring helpers for the benchmark: medians of repeated runs, HTTP time accounting and
// record/replay of Grafana's data-source proxy (to time the plugin's own work alone).
import { installBackendSrv, SentRequest } from '../support/backendSrv';
import { dataSourceProxy, GrafanaServer } from '../support/grafanaServer';

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t = process.hrtime.bigint();
  const value = await fn();
  return { ms: Number(process.hrtime.bigint() - t) / 1e6, value };
}

const keyOf = (r: SentRequest) => `${r.method} ${r.url} ${r.body ?? ''}`;

/**
 * Installs the test BackendSrv on Grafana's data-source proxy for `upstreams` (uid → URL), recording
 * every answer's body (for replay) and the wall-clock intervals during which at least one request
 * was in flight (HTTP + reading the body as Grafana does).
 */
export class Recorder {
  readonly answers = new Map<string, unknown>();
  /** The requests sent since the last reset, in order (to replay them straight to Prometheus). */
  readonly sent: SentRequest[] = [];
  private intervals: Array<[number, number]> = [];
  private readonly live: GrafanaServer;

  constructor(upstreams: Record<string, string>) {
    const proxy = dataSourceProxy(upstreams);
    this.live = async (request, sent) => {
      const started = performance.now();
      this.sent.push(sent);
      try {
        const answer = await proxy(request, sent);
        this.answers.set(keyOf(sent), answer.data);
        return answer;
      } finally {
        this.intervals.push([started, performance.now()]);
      }
    };
    this.restore();
  }

  reset() {
    this.answers.clear();
    this.sent.length = 0;
    this.intervals = [];
  }

  /** Forgets the request timings and requests sent, keeps the recorded answers. */
  resetTimings() {
    this.sent.length = 0;
    this.intervals = [];
  }

  /** Milliseconds during which at least one request was in flight. */
  httpMs(): number {
    const sorted = [...this.intervals].sort((a, b) => a[0] - b[0]);
    let total = 0;
    let [cs, ce] = [-Infinity, -Infinity];
    for (const [s, e] of sorted) {
      if (s > ce) {
        total += ce - cs > 0 ? ce - cs : 0;
        [cs, ce] = [s, e];
      } else {
        ce = Math.max(ce, e);
      }
    }
    total += ce - cs > 0 ? ce - cs : 0;
    return total;
  }

  /**
   * Serves the recorded bodies without any network or JSON parse, for timing the plugin's own work.
   * The answers share one Headers object: building one per answer (as inMemory does) costs ~1 ms
   * in Node, which would count as the plugin's.
   */
  replay(): void {
    const headers = new Headers({ 'content-type': 'application/json' });
    installBackendSrv(async (request, sent) => {
      if (!this.answers.has(keyOf(sent))) {
        throw new Error(`replay: no recorded answer for ${keyOf(sent).slice(0, 200)}`);
      }
      const data = this.answers.get(keyOf(sent));
      return { status: 200, statusText: 'OK', headers, url: request.url, type: 'basic', redirected: false, data };
    });
  }

  /** (Re)installs the recording BackendSrv. */
  restore(): void {
    installBackendSrv(this.live);
  }
}

export const MB = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;
export const sec = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
