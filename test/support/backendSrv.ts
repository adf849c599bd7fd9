// A BackendSrv for tests that plays Grafana's data-source proxy: requests to
// /api/datasources/proxy/uid/<uid>/<path> go to the Prometheus registered for <uid>, over Node's
// http module (jsdom's env has no fetch). Errors look like Grafana's FetchError, a later request
// with the same requestId cancels the earlier one, and every request is recorded.
import { BackendSrv, BackendSrvRequest, FetchError, FetchResponse, setBackendSrv } from '@grafana/runtime';
import http from 'http';
import { lastValueFrom, Observable } from 'rxjs';

export interface RecordedRequest {
  url: string;
  method: string;
  /** The PromQL expression, from the query string or the form body. */
  query?: string;
  /** Query-string and form-body parameters together. */
  params: Record<string, string | string[]>;
}

const PROXY_PREFIX = /^\/api\/datasources\/proxy\/uid\/([^/]+)(\/.*)?$/;

export class TestBackendSrv {
  readonly requests: RecordedRequest[] = [];
  /** requestId -> cancel function of the request in flight. */
  private readonly inFlight = new Map<string, () => void>();

  constructor(private readonly upstreams: Record<string, string>) {}

  /** The PromQL expressions sent so far (in order). */
  get queries(): string[] {
    return this.requests.flatMap((r) => (r.query === undefined ? [] : [r.query]));
  }

  reset() {
    this.requests.length = 0;
  }

  fetch<T>(options: BackendSrvRequest): Observable<FetchResponse<T>> {
    return new Observable<FetchResponse<T>>((subscriber) => {
      const method = (options.method ?? 'GET').toUpperCase();
      const { body, contentType } = encodeBody(options);
      const target = this.resolve(options, method, body);
      const fail = (status: number, statusText: string, data: unknown) => {
        const err: FetchError = { status, statusText, data, config: options };
        subscriber.error(err);
      };
      if ('error' in target) {
        fail(404, 'Not Found', { message: target.error });
        return;
      }

      if (options.requestId) {
        // Grafana cancels the earlier request with the same id: it completes without a value.
        this.inFlight.get(options.requestId)?.();
      }
      const headers: Record<string, string> = { ...(options.headers ?? {}) };
      if (body !== undefined) {
        headers['Content-Type'] = headers['Content-Type'] ?? contentType;
        headers['Content-Length'] = String(Buffer.byteLength(body));
      }
      let finished = false;
      const req = http.request(target.url, { method, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          finished = true;
          this.forget(options.requestId, cancel);
          const text = Buffer.concat(chunks).toString('utf8');
          const data = parseMaybeJson(text);
          const status = res.statusCode ?? 0;
          if (status < 200 || status > 299) {
            fail(status, res.statusMessage ?? '', data);
            return;
          }
          subscriber.next({
            data: data as T,
            status,
            statusText: res.statusMessage ?? '',
            ok: true,
            headers: plainHeaders(res.headers),
            redirected: false,
            type: 'basic',
            url: options.url,
            config: options,
          });
          subscriber.complete();
        });
      });
      req.on('error', (e) => {
        if (finished) {
          return;
        }
        finished = true;
        this.forget(options.requestId, cancel);
        // What Grafana's proxy answers when the data source cannot be reached.
        fail(502, 'Bad Gateway', { message: `Prometheus at ${target.url} cannot be reached: ${e.message}` });
      });
      const cancel = () => {
        if (!finished) {
          finished = true;
          req.destroy();
          subscriber.complete();
        }
      };
      if (options.requestId) {
        this.inFlight.set(options.requestId, cancel);
      }
      if (body !== undefined) {
        req.write(body);
      }
      req.end();
      return () => {
        // Unsubscribing aborts the HTTP request, as Grafana's fetch does.
        if (!finished) {
          finished = true;
          req.destroy();
        }
        this.forget(options.requestId, cancel);
      };
    });
  }

  get<T = any>(
    url: string,
    params?: Record<string, any>,
    requestId?: string,
    options?: Partial<BackendSrvRequest>
  ): Promise<T> {
    return this.request<T>({ ...options, url, params, requestId, method: 'GET' });
  }

  post<T = any>(url: string, data?: unknown, options?: Partial<BackendSrvRequest>): Promise<T> {
    return this.request<T>({ ...options, url, data, method: 'POST' });
  }

  async request<T>(options: BackendSrvRequest): Promise<T> {
    const res = await lastValueFrom(this.fetch<T>(options));
    return res.data;
  }

  datasourceRequest<T>(options: BackendSrvRequest): Promise<FetchResponse<T>> {
    return lastValueFrom(this.fetch<T>(options));
  }

  private forget(requestId: string | undefined, cancel: () => void) {
    if (requestId && this.inFlight.get(requestId) === cancel) {
      this.inFlight.delete(requestId);
    }
  }

  /** Maps a proxy URL to the upstream URL, and records the request. */
  private resolve(
    options: BackendSrvRequest,
    method: string,
    body: string | undefined
  ): { url: string } | { error: string } {
    const [path, search = ''] = options.url.split(/\?(.*)/s);
    const qs = new URLSearchParams(search);
    for (const [k, v] of Object.entries(options.params ?? {})) {
      (Array.isArray(v) ? v : [v]).forEach((x) => qs.append(k, String(x)));
    }
    const params: Record<string, string | string[]> = {};
    const add = (k: string, v: string) => {
      const prev = params[k];
      params[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
    };
    qs.forEach((v, k) => add(k, v));
    if (body !== undefined && isForm(options)) {
      new URLSearchParams(body).forEach((v, k) => add(k, v));
    }
    const query = typeof params.query === 'string' ? params.query : undefined;
    this.requests.push({ url: options.url, method, query, params });

    const m = PROXY_PREFIX.exec(path);
    if (!m) {
      return { error: `test BackendSrv only proxies /api/datasources/proxy/uid/<uid>/…, got ${options.url}` };
    }
    const base = this.upstreams[decodeURIComponent(m[1])];
    if (!base) {
      return { error: `Data source with uid "${m[1]}" not found` };
    }
    const rest = qs.toString();
    return { url: base.replace(/\/$/, '') + (m[2] ?? '/') + (rest ? `?${rest}` : '') };
  }
}

function isForm(options: BackendSrvRequest): boolean {
  const ct = Object.entries(options.headers ?? {}).find(([k]) => k.toLowerCase() === 'content-type')?.[1];
  return typeof options.data === 'string'
    ? !ct || String(ct).includes('x-www-form-urlencoded')
    : String(ct ?? '').includes('x-www-form-urlencoded');
}

/** Like Grafana: strings go as they are; objects as a form when the content type says so, else JSON. */
function encodeBody(options: BackendSrvRequest): { body?: string; contentType: string } {
  const { data } = options;
  if (data === undefined || data === null) {
    return { contentType: 'application/json' };
  }
  if (typeof data === 'string') {
    return { body: data, contentType: 'application/x-www-form-urlencoded' };
  }
  if (isForm(options)) {
    return { body: new URLSearchParams(data).toString(), contentType: 'application/x-www-form-urlencoded' };
  }
  return { body: JSON.stringify(data), contentType: 'application/json' };
}

function parseMaybeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function plainHeaders(h: http.IncomingHttpHeaders): Headers {
  const map = new Map(
    Object.entries(h).map(([k, v]) => [k.toLowerCase(), Array.isArray(v) ? v.join(', ') : String(v)])
  );
  return {
    get: (k: string) => map.get(k.toLowerCase()) ?? null,
    has: (k: string) => map.has(k.toLowerCase()),
  } as Headers;
}

/** Installs a TestBackendSrv as Grafana's BackendSrv; `upstreams` maps data-source uid -> Prometheus URL. */
export function installBackendSrv(upstreams: Record<string, string>): TestBackendSrv {
  const srv = new TestBackendSrv(upstreams);
  setBackendSrv(srv as unknown as BackendSrv);
  return srv;
}
