// A fetch-based BackendSrv with the parts of Grafana's behaviour a data source relies on:
// JSON in and out, FetchError-shaped failures ({ status, statusText, data, config }), and
// cancellation: unsubscribing aborts the request, and a new request with the same
// `requestId` cancels the one in flight (which then errors with `cancelled: true`).
import { BackendSrv, BackendSrvRequest, FetchError, FetchResponse } from '@grafana/runtime';
import { Observable, lastValueFrom } from 'rxjs';

const inFlight = new Map<string, () => void>();

function buildUrl(options: BackendSrvRequest): string {
  const params = options.params ?? {};
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    for (const item of Array.isArray(v) ? v : [v]) {
      if (item !== undefined && item !== null) {
        search.append(k, String(item));
      }
    }
  }
  const qs = search.toString();
  return qs ? `${options.url}${options.url.includes('?') ? '&' : '?'}${qs}` : options.url;
}

function buildBody(options: BackendSrvRequest, headers: Record<string, string>): BodyInit | undefined {
  const data = options.data;
  if (data === undefined || data === null) {
    return undefined;
  }
  if (typeof data === 'string' || data instanceof URLSearchParams || data instanceof FormData || data instanceof Blob) {
    return data;
  }
  const type = Object.entries(headers).find(([k]) => k.toLowerCase() === 'content-type')?.[1];
  if (type?.includes('application/x-www-form-urlencoded')) {
    return new URLSearchParams(data as Record<string, string>);
  }
  headers['Content-Type'] = type ?? 'application/json';
  return JSON.stringify(data);
}

async function parseBody(response: Response, responseType?: string): Promise<unknown> {
  if (responseType === 'blob') {
    return response.blob();
  }
  if (responseType === 'arraybuffer') {
    return response.arrayBuffer();
  }
  const text = await response.text();
  if (responseType === 'text') {
    return text;
  }
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function fetchObservable<T>(options: BackendSrvRequest): Observable<FetchResponse<T>> {
  return new Observable<FetchResponse<T>>((subscriber) => {
    const controller = new AbortController();
    let done = false;
    const cancel = () => {
      if (!done) {
        done = true;
        controller.abort();
        subscriber.error({
          cancelled: true,
          status: -1,
          statusText: 'Request was aborted',
          data: null,
          config: options,
        });
      }
    };
    if (options.requestId) {
      inFlight.get(options.requestId)?.();
      inFlight.set(options.requestId, cancel);
    }
    const headers: Record<string, string> = { Accept: 'application/json, text/plain, */*', ...(options.headers ?? {}) };
    const body = buildBody(options, headers);
    fetch(buildUrl(options), { method: options.method ?? 'GET', headers, body, signal: controller.signal })
      .then(async (response) => {
        const data = await parseBody(response, options.responseType);
        if (done) {
          return;
        }
        done = true;
        const result = {
          data: data as T,
          status: response.status,
          statusText: response.statusText,
          ok: response.ok,
          headers: response.headers,
          redirected: response.redirected,
          type: response.type,
          url: response.url,
          config: options,
        };
        if (response.ok) {
          subscriber.next(result);
          subscriber.complete();
        } else {
          const error: FetchError = { status: response.status, statusText: response.statusText, data, config: options };
          subscriber.error(error);
        }
      })
      .catch((e: Error) => {
        if (!done) {
          done = true;
          // The network failed before any HTTP status (the sandbox server is down).
          subscriber.error({ status: 0, statusText: e.message, data: { message: e.message }, config: options });
        }
      })
      .finally(() => {
        if (options.requestId && inFlight.get(options.requestId) === cancel) {
          inFlight.delete(options.requestId);
        }
      });
    return () => {
      if (!done) {
        done = true;
        controller.abort();
      }
    };
  });
}

export class SandboxBackendSrv implements BackendSrv {
  /** Every request URL, newest last, so tests can see what the plugin asked for. */
  readonly log: Array<{ method: string; url: string; requestId?: string }> = [];

  fetch<T>(options: BackendSrvRequest): Observable<FetchResponse<T>> {
    this.log.push({ method: options.method ?? 'GET', url: buildUrl(options), requestId: options.requestId });
    return fetchObservable<T>(options);
  }
  async request<T>(options: BackendSrvRequest): Promise<T> {
    return (await lastValueFrom(this.fetch<T>(options))).data;
  }
  datasourceRequest<T>(options: BackendSrvRequest): Promise<FetchResponse<T>> {
    return lastValueFrom(this.fetch<T>(options));
  }
  get<T>(url: string, params?: any, requestId?: string, options?: Partial<BackendSrvRequest>): Promise<T> {
    return this.request<T>({ ...options, url, params, requestId, method: 'GET' });
  }
  delete<T>(url: string, data?: unknown, options?: Partial<BackendSrvRequest>): Promise<T> {
    return this.request<T>({ ...options, url, data, method: 'DELETE' });
  }
  post<T>(url: string, data?: unknown, options?: Partial<BackendSrvRequest>): Promise<T> {
    return this.request<T>({ ...options, url, data, method: 'POST' });
  }
  patch<T>(url: string, data?: unknown, options?: Partial<BackendSrvRequest>): Promise<T> {
    return this.request<T>({ ...options, url, data, method: 'PATCH' });
  }
  put<T>(url: string, data?: unknown, options?: Partial<BackendSrvRequest>): Promise<T> {
    return this.request<T>({ ...options, url, data, method: 'PUT' });
  }
  chunked(): Observable<FetchResponse<Uint8Array | undefined>> {
    throw new Error('chunked() is not supported by the sandbox');
  }
}
