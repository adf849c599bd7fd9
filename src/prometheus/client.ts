import { FetchError, FetchResponse, getBackendSrv, isFetchError } from '@grafana/runtime';
import { Subscription } from 'rxjs';

import { RawSeries } from '../memory/series';
import { CancelledError } from './cancelled';
import { parseMatrix, parseStringList, parseVector } from './parse';
import { RangeParams } from './step';

/**
 * Prometheus' HTTP API, reached only through Grafana's data-source proxy (`baseUrl` is the
 * instance URL, /api/datasources/proxy/uid/<uid>), so credentials never reach the browser.
 * Every call passes a requestId, so Grafana cancels a superseded one when a panel refreshes.
 */
export class PrometheusClient {
  constructor(
    private readonly baseUrl: string,
    private readonly signal?: AbortSignal
  ) {}

  /**
   * The same client, whose requests are abandoned once `signal` aborts: Grafana supersedes a
   * panel's run by unsubscribing from query() (each run has a new requestId), so that is when the
   * HTTP requests in flight must go too. Unsubscribing from fetch makes Grafana abort them.
   */
  withSignal(signal: AbortSignal): PrometheusClient {
    return new PrometheusClient(this.baseUrl, signal);
  }

  async queryRange(expr: string, range: RangeParams, requestId?: string): Promise<RawSeries[]> {
    const body = await this.post('/api/v1/query_range', { query: expr, ...stringify(range) }, requestId);
    return parseMatrix(body);
  }

  async queryInstant(expr: string, timeSeconds: number, requestId?: string) {
    const body = await this.post('/api/v1/query', { query: expr, time: String(timeSeconds) }, requestId);
    return parseVector(body);
  }

  async labelValues(label: string, match: string[], range?: { start: number; end: number }): Promise<string[]> {
    const params = new URLSearchParams();
    match.forEach((m) => params.append('match[]', m));
    if (range) {
      params.set('start', String(range.start));
      params.set('end', String(range.end));
    }
    const body = await this.get(`/api/v1/label/${encodeURIComponent(label)}/values?${params}`);
    return parseStringList(body);
  }

  async labelNames(match: string[]): Promise<string[]> {
    const params = new URLSearchParams();
    match.forEach((m) => params.append('match[]', m));
    return parseStringList(await this.get(`/api/v1/labels?${params}`));
  }

  private async post(path: string, form: Record<string, string>, requestId?: string): Promise<unknown> {
    return this.send({
      url: this.baseUrl + path,
      method: 'POST',
      data: new URLSearchParams(form).toString(),
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      requestId,
    });
  }

  private async get(path: string): Promise<unknown> {
    return this.send({ url: this.baseUrl + path, method: 'GET' });
  }

  private async send(options: Parameters<ReturnType<typeof getBackendSrv>['fetch']>[0]): Promise<unknown> {
    const signal = this.signal;
    if (signal?.aborted) {
      throw new CancelledError();
    }
    // Resolves undefined when our signal aborts; a request superseded by a newer one with the same
    // requestId is rejected by Grafana with a FetchError marked `cancelled`.
    const response = await new Promise<FetchResponse<unknown> | undefined>((resolve, reject) => {
      let last: FetchResponse<unknown> | undefined;
      let subscription: Subscription | undefined;
      const onAbort = () => {
        subscription?.unsubscribe();
        resolve(undefined);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      subscription = getBackendSrv()
        .fetch<unknown>({ ...options, showErrorAlert: false })
        .subscribe({
          next: (r) => (last = r),
          error: (err) => {
            signal?.removeEventListener('abort', onAbort);
            reject(isFetchError(err) && err.cancelled ? new CancelledError() : new Error(describeFetchError(err)));
          },
          complete: () => {
            signal?.removeEventListener('abort', onAbort);
            resolve(last);
          },
        });
    });
    if (!response) {
      throw new CancelledError();
    }
    return response.data;
  }
}

export { CancelledError };

/** Turns what Grafana's proxy and Prometheus answer on failure into one sentence a user can act on. */
export function describeFetchError(err: unknown): string {
  if (isFetchError(err)) {
    return describeHttpFailure(err);
  }
  if (err instanceof Error) {
    return err.message;
  }
  return `Request to Prometheus failed: ${String(err)}`;
}

function describeHttpFailure(err: FetchError): string {
  // Grafana hands over a text body as { message: text, error: statusText, response: text }.
  const data: any = typeof err.data?.response === 'string' ? err.data.response : err.data;
  const status = `${err.status ?? ''} ${err.statusText ?? ''}`.trim();
  if (data && typeof data === 'object' && typeof data.error === 'string') {
    // Prometheus' own error envelope: errorType is bad_data, execution, timeout, …
    return `Prometheus error (${data.errorType ?? status}): ${data.error}${overloadHint(data.errorType, data.error)}`;
  }
  if (data && typeof data === 'object' && typeof data.message === 'string') {
    // Grafana's proxy (e.g. 502 when Prometheus cannot be reached).
    return `Cannot reach Prometheus through Grafana's proxy (${status}): ${data.message}`;
  }
  if (typeof data === 'string' && data.trim()) {
    // Often an HTML page from an ingress or reverse proxy, not from Prometheus itself.
    return `Prometheus (or a proxy in front of it) answered ${status}: ${firstTextLine(data)}`;
  }
  // Grafana's data-source proxy answers an upstream failure with an empty body: 502 when it
  // cannot connect, 504 when Prometheus outlives its time-out ([dataproxy] timeout).
  if (err.status === 502) {
    return `Grafana could not reach Prometheus (${status}): check the data source URL and that Prometheus is running.`;
  }
  if (err.status === 504) {
    return (
      `Prometheus did not answer in time: Grafana's data-source proxy gave up (${status}). ` +
      'Narrow the selection or the time range, use top N, raise Min step (fewer points per series), or raise [dataproxy] timeout in grafana.ini (30 s by default).'
    );
  }
  return `Prometheus answered ${status || 'with an error'}`;
}

/**
 * Prometheus refusing a query as too big or too slow (its sample limit, its query time-out, which
 * can surface as "expanding series: context deadline exceeded" with errorType execution): say what
 * the user can change. A coarser step helps both: fewer points per series to evaluate.
 */
function overloadHint(errorType: unknown, error: string): string {
  if (errorType === 'timeout' || /too many samples|deadline exceeded|timed? ?out/i.test(error)) {
    return ' — narrow the selection (namespace, pod), shorten the time range, use top N, or raise Min step (fewer points per series).';
  }
  return '';
}

/** HTML error pages carry their message in the title or first text; keep it short. */
function firstTextLine(text: string): string {
  const title = /<title>([^<]*)<\/title>/i.exec(text)?.[1];
  const plain = (title ?? text.replace(/<[^>]*>/g, ' ')).replace(/\s+/g, ' ').trim();
  return plain.length > 200 ? plain.slice(0, 200) + '…' : plain;
}

function stringify(range: RangeParams): Record<string, string> {
  return { start: String(range.start), end: String(range.end), step: String(range.step) };
}
