// Grafana's BackendSrv as a data source sees it: the one fake for unit, integration, fault, load
// and bench runs and for the sandbox page (bundled for the browser, so no Node modules here).
// It keeps the contract of Grafana's public/app/core/services/backend_srv.ts:
// - fetch() is a cold Observable: subscribing sends the request; it emits one FetchResponse and
//   completes, or errors;
// - an answer outside 200–299 errors with a FetchError { status, statusText, data, config }, its
//   data normalised as Grafana's processRequestError does (no body → { message: 'Unexpected
//   error' }; a text body → { message: text, error: statusText, response: text }; a JSON `error`
//   string is copied to `message`); a network failure errors with fetch's own TypeError, which
//   Grafana gives the same `data`;
// - a request with a requestId supersedes any unfinished one with the same id: Grafana's takeUntil
//   unsubscribes it (aborting its HTTP request) and its throwIfEmpty then errors with
//   { type: 'cancelled', cancelled: true, status: -1, statusText: 'Request was aborted', data: null, config };
// - unsubscribing aborts the HTTP request and emits nothing.
// Not modelled: Grafana's queue of at most 5 data requests in flight (without HTTP/2), alerts,
// 401 re-login, org/auth headers, and choosing response.json() by content type (see
// grafanaServer.ts).
import { DataQueryErrorType } from '@grafana/data';
import { BackendSrv, BackendSrvRequest, FetchError, FetchResponse, setBackendSrv } from '@grafana/runtime';
import { defer, filter, lastValueFrom, Observable, Subject, takeUntil, throwIfEmpty } from 'rxjs';

import { dataSourceProxy, GrafanaServer, HttpRequest } from './grafanaServer';

/** A request as the fake sent it, decoded for assertions. */
export interface SentRequest {
  method: string;
  /** The URL the data source asked for (its own query string included, `params` not). */
  url: string;
  /** The path behind the data-source proxy (`/api/v1/query_range`), else the URL's path. */
  path: string;
  /** Query-string, `params` and form-body parameters together. */
  params: Record<string, string | string[]>;
  /** The `match[]` selectors. */
  match: string[];
  /** The PromQL expression (`query` parameter), if any. */
  query?: string;
  requestId?: string;
  /** The body as sent. */
  body?: string;
}

const PROXY_PATH = /^\/api\/datasources\/proxy\/uid\/[^/]+(\/.*)?$/;

export class TestBackendSrv implements BackendSrv {
  readonly requests: SentRequest[] = [];
  /** Grafana's inFlightRequests: every request with a requestId announces it as it starts. */
  private readonly started = new Subject<string>();

  constructor(private readonly server: GrafanaServer) {}

  /** The PromQL expressions sent so far, in order. */
  get queries(): string[] {
    return this.requests.flatMap((r) => (r.query === undefined ? [] : [r.query]));
  }

  reset() {
    this.requests.length = 0;
  }

  fetch<T>(options: BackendSrvRequest): Observable<FetchResponse<T>> {
    return defer(() => {
      // Announced before this request subscribes to the announcements, so it never cancels itself.
      if (options.requestId) {
        this.started.next(options.requestId);
      }
      return this.send<T>(options).pipe(
        takeUntil(this.started.pipe(filter((id) => id === options.requestId))),
        throwIfEmpty(() => cancelledError(options))
      );
    });
  }

  request<T>(options: BackendSrvRequest): Promise<T> {
    return this.data<T>(options);
  }

  datasourceRequest<T>(options: BackendSrvRequest): Promise<FetchResponse<T>> {
    return lastValueFrom(this.fetch<T>(options));
  }

  get<T = any>(url: string, params?: any, requestId?: string, options?: Partial<BackendSrvRequest>): Promise<T> {
    return this.data<T>({ ...options, method: 'GET', url, params, requestId });
  }

  delete<T>(url: string, data?: unknown, options?: Partial<BackendSrvRequest>): Promise<T> {
    return this.data<T>({ ...options, method: 'DELETE', url, data });
  }

  post<T = any>(url: string, data?: unknown, options?: Partial<BackendSrvRequest>): Promise<T> {
    return this.data<T>({ ...options, method: 'POST', url, data });
  }

  patch<T = any>(url: string, data?: unknown, options?: Partial<BackendSrvRequest>): Promise<T> {
    return this.data<T>({ ...options, method: 'PATCH', url, data });
  }

  put<T = any>(url: string, data?: unknown, options?: Partial<BackendSrvRequest>): Promise<T> {
    return this.data<T>({ ...options, method: 'PUT', url, data });
  }

  chunked(): Observable<FetchResponse<Uint8Array | undefined>> {
    throw new Error('chunked() is not faked: the plugin does not stream');
  }

  private async data<T>(options: BackendSrvRequest): Promise<T> {
    return (await lastValueFrom(this.fetch<T>(options))).data;
  }

  /** One HTTP exchange: aborted when unsubscribed (by the caller, or by a newer requestId). */
  private send<T>(options: BackendSrvRequest): Observable<FetchResponse<T>> {
    return new Observable<FetchResponse<T>>((subscriber) => {
      const abort = new AbortController();
      const request = encodeRequest(options, abort.signal);
      const sent = decodeRequest(options, request);
      this.requests.push(sent);
      this.server(request, sent).then(
        (answer) => {
          if (abort.signal.aborted) {
            return;
          }
          const ok = answer.status >= 200 && answer.status <= 299;
          if (!ok) {
            const { status, statusText, data } = answer;
            subscriber.error(normaliseError({ status, statusText, data, config: options }));
            return;
          }
          subscriber.next({ ...answer, ok, data: answer.data as T, config: options });
          subscriber.complete();
        },
        (err) => {
          if (!abort.signal.aborted) {
            subscriber.error(normaliseError(err));
          }
        }
      );
      return () => abort.abort();
    });
  }
}

/** What Grafana's handleStreamCancellation throws for a request superseded by its requestId. */
function cancelledError(config: BackendSrvRequest): FetchError & { type: DataQueryErrorType } {
  return {
    type: DataQueryErrorType.Cancelled,
    cancelled: true,
    data: null,
    status: -1,
    statusText: 'Request was aborted',
    config,
  };
}

/** Grafana's processRequestError: `data` always an object, with a `message` where one is known. */
function normaliseError<E extends { data?: any; statusText?: string }>(err: E): E {
  err.data = err.data ?? { message: 'Unexpected error' };
  if (typeof err.data === 'string') {
    err.data = { message: err.data, error: err.statusText, response: err.data };
  }
  if (err.data && !err.data.message && typeof err.data.error === 'string') {
    err.data.message = err.data.error;
  }
  return err;
}

/** Grafana's parseUrlFromOptions and parseInitFromOptions. */
function encodeRequest(options: BackendSrvRequest, signal: AbortSignal): HttpRequest {
  const method = (options.method ?? 'GET').toUpperCase();
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(options.headers ?? {})) {
    headers[k.toLowerCase()] = String(v);
  }
  if (['POST', 'PUT', 'PATCH'].includes(method) && !headers['content-type']) {
    headers['content-type'] = 'application/json';
  }
  headers.accept = headers.accept ?? 'application/json, text/plain, */*';
  const data = options.data;
  let body: string | undefined;
  if (!data || typeof data === 'string') {
    body = typeof data === 'string' ? data : undefined;
  } else {
    const isJson = headers['content-type']?.toLowerCase() === 'application/json';
    body = isJson ? JSON.stringify(data) : new URLSearchParams(data).toString();
  }
  const params = serializeParams(options.params);
  const url = options.params && params ? `${options.url}?${params}` : options.url;
  return { method, url, headers, body, responseType: options.responseType, signal };
}

function serializeParams(params: Record<string, any> | undefined): string {
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(params ?? {})) {
    // Grafana leaves out undefined values and empty strings or lists.
    if (v === undefined || (v && v.length === 0)) {
      continue;
    }
    (Array.isArray(v) ? v : [v]).forEach((x) => search.append(k, String(x)));
  }
  return search.toString();
}

function decodeRequest(options: BackendSrvRequest, request: HttpRequest): SentRequest {
  const url = new URL(request.url, 'http://grafana.invalid');
  const params: Record<string, string | string[]> = {};
  const add = (k: string, v: string) => {
    const prev = params[k];
    params[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
  };
  url.searchParams.forEach((v, k) => add(k, v));
  if (request.body !== undefined && request.headers['content-type']?.includes('application/x-www-form-urlencoded')) {
    new URLSearchParams(request.body).forEach((v, k) => add(k, v));
  }
  const proxied = PROXY_PATH.exec(url.pathname);
  const match = params['match[]'];
  return {
    method: request.method,
    url: options.url,
    path: proxied ? (proxied[1] ?? '/') : url.pathname,
    params,
    match: match === undefined ? [] : ([] as string[]).concat(match),
    query: typeof params.query === 'string' ? params.query : undefined,
    requestId: options.requestId,
    body: request.body,
  };
}

/**
 * Installs a TestBackendSrv as Grafana's BackendSrv. `server` is what answers: a map of
 * data-source uid → Prometheus URL (Grafana's data-source proxy, played in this process), or a
 * GrafanaServer from grafanaServer.ts.
 */
export function installBackendSrv(server: Record<string, string> | GrafanaServer): TestBackendSrv {
  const srv = new TestBackendSrv(typeof server === 'function' ? server : dataSourceProxy(server));
  setBackendSrv(srv);
  return srv;
}
