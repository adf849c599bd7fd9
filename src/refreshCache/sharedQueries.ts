import { RawSeries } from '../memory/series';
import { CancelledError } from '../prometheus/cancelled';
import { RangeParams } from '../prometheus/step';

/**
 * Each question asked once. The panels of one dashboard refresh often send the same range query
 * (the working set of the same selection, over the same range and step). The first asks
 * Prometheus; the other panels wait for its answer, and for SHARE_MS after it they get it as it
 * is. The same asker (a panel's target) never gets a shared answer twice: its next run is a
 * refresh, a retry or a newer run superseding the old one, and goes to Prometheus.
 * A waiter whose run is cancelled stops waiting; the request itself is aborted only when no one
 * waits any more. Answers are shared: nobody may mutate them.
 */
export const SHARE_MS = 5000;

type Fetch = (expr: string, range: RangeParams, requestId: string | undefined, signal: AbortSignal) => Promise<RawSeries[]>;

interface Shared {
  answer: Promise<RawSeries[]>;
  abort: AbortController;
  waiters: number;
  /** Who has asked it: a panel's target asks once per question. */
  askers: Set<string>;
  /** Epoch ms of the answer; undefined while in flight. */
  answeredAt?: number;
}

export class SharedRangeQueries {
  private readonly queries = new Map<string, Shared>();

  constructor(
    private readonly fetch: Fetch,
    private readonly now: () => number = Date.now,
    private readonly shareMs = SHARE_MS
  ) {}

  /** Requests sent to Prometheus, for tests and the benchmark. */
  sent = 0;

  queryRange(expr: string, range: RangeParams, requestId?: string, signal?: AbortSignal, asker = ''): Promise<RawSeries[]> {
    if (signal?.aborted) {
      return Promise.reject(new CancelledError());
    }
    this.forgetOld();
    const key = [expr, range.start, range.end, range.step].join('\u0000');
    const known = this.queries.get(key);
    const shared = known && !known.askers.has(asker) ? known : this.ask(key, expr, range, requestId);
    shared.askers.add(asker);
    shared.waiters++;
    return new Promise<RawSeries[]>((resolve, reject) => {
      let waiting = true;
      const stop = () => {
        waiting = false;
        shared.waiters--;
        signal?.removeEventListener('abort', cancel);
      };
      const cancel = () => {
        stop();
        if (shared.waiters === 0 && shared.answeredAt === undefined) {
          shared.abort.abort();
          if (this.queries.get(key) === shared) {
            this.queries.delete(key);
          }
        }
        reject(new CancelledError());
      };
      signal?.addEventListener('abort', cancel, { once: true });
      shared.answer.then(
        (series) => {
          if (waiting) {
            stop();
            resolve(series);
          }
        },
        (err) => {
          if (waiting) {
            stop();
            reject(err);
          }
        }
      );
    });
  }

  private ask(key: string, expr: string, range: RangeParams, requestId: string | undefined): Shared {
    const abort = new AbortController();
    this.sent++;
    const shared: Shared = { abort, waiters: 0, askers: new Set(), answer: this.fetch(expr, range, requestId, abort.signal) };
    shared.answer.then(
      () => {
        shared.answeredAt = this.now();
        // Let go of the answer once its window has passed, not at the next query: a large panel's
        // series (tens of MB) would otherwise stay in memory for as long as the dashboard idles.
        const timer: any = setTimeout(() => {
          if (this.queries.get(key) === shared) {
            this.queries.delete(key);
          }
        }, this.shareMs);
        timer?.unref?.(); // Node (tests, bench): a pending window does not keep the process alive
      },
      () => {
        // A failure is not shared with later askers: they ask again.
        if (this.queries.get(key) === shared) {
          this.queries.delete(key);
        }
      }
    );
    this.queries.set(key, shared);
    return shared;
  }

  private forgetOld(): void {
    const now = this.now();
    for (const [key, shared] of this.queries) {
      if (shared.answeredAt !== undefined && now - shared.answeredAt > this.shareMs) {
        this.queries.delete(key);
      }
    }
  }
}
