// Small measuring helpers for the benchmark: medians of repeated runs, HTTP time accounting and
// a record/replay wrapper around Grafana's BackendSrv (to time the plugin's own work alone).
import { BackendSrv, BackendSrvRequest, FetchResponse, getBackendSrv, setBackendSrv } from '@grafana/runtime';
import { Observable, of, tap } from 'rxjs';

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

const keyOf = (o: BackendSrvRequest) => `${o.method ?? 'GET'} ${o.url} ${typeof o.data === 'string' ? o.data : JSON.stringify(o.data ?? '')}`;

/**
 * Wraps the installed BackendSrv: records every answer (for replay) and the wall-clock intervals
 * during which at least one request was in flight (HTTP + Grafana's JSON parse).
 */
export class Recorder {
  readonly answers = new Map<string, FetchResponse<unknown>>();
  private intervals: Array<[number, number]> = [];
  private readonly live: BackendSrv;

  constructor() {
    this.live = getBackendSrv();
    this.restore();
  }

  reset() {
    this.answers.clear();
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

  /** Serves the recorded answers without any network, for timing the plugin's own work. */
  replay(): void {
    const answers = this.answers;
    setBackendSrv({
      fetch<T>(options: BackendSrvRequest): Observable<FetchResponse<T>> {
        const answer = answers.get(keyOf(options));
        if (!answer) {
          throw new Error(`replay: no recorded answer for ${keyOf(options).slice(0, 200)}`);
        }
        return of(answer as FetchResponse<T>);
      },
    } as BackendSrv);
  }

  /** (Re)installs the recording wrapper around the live BackendSrv. */
  restore(): void {
    const live = this.live;
    const self = this;
    setBackendSrv({
      ...live,
      fetch<T>(options: BackendSrvRequest): Observable<FetchResponse<T>> {
        const started = performance.now();
        return live.fetch<T>(options).pipe(
          tap({
            next: (r) => self.answers.set(keyOf(options), r as FetchResponse<unknown>),
            finalize: () => self.intervals.push([started, performance.now()]),
          })
        );
      },
    } as BackendSrv);
  }
}

export const MB = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;
export const sec = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
