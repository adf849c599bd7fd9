// What answers the BackendSrv fake (backendSrv.ts): Grafana's server side. Three stand-ins:
// - sameOrigin: the page's own server, through the global fetch (the sandbox page, whose server
//   plays Grafana's APIs and data-source proxy);
// - dataSourceProxy: Grafana's data-source proxy played in this process (Node), also through the
//   global fetch: /api/datasources/proxy/uid/<uid>/<path> goes to the upstream of <uid>;
// - inMemory: answers computed by the test, no network (unit tests, the benchmark's replay).
// Bodies are read as Grafana reads them without a responseType: text, then JSON when it parses,
// else the text. (Grafana 10+ reads a body labelled exactly `application/json` with
// response.json() instead, so there a cut-off JSON answer errors with a SyntaxError and an empty
// one reads as {}; not mirrored here, as the plugin's "answer was cut off" and "empty answer"
// messages assume the text.)
import type { BackendSrvRequest } from '@grafana/runtime';

import type { SentRequest } from './backendSrv';

/** A request as Grafana's fetch sends it. */
export interface HttpRequest {
  method: string;
  /** With the query string; relative to Grafana (e.g. /api/datasources/proxy/uid/x/api/v1/query). */
  url: string;
  /** Lower-case names. */
  headers: Record<string, string>;
  body?: string;
  responseType?: BackendSrvRequest['responseType'];
  signal: AbortSignal;
}

/** An HTTP answer, its body read. */
export interface HttpAnswer {
  status: number;
  statusText: string;
  headers: Headers;
  url: string;
  type: ResponseType;
  redirected: boolean;
  data: unknown;
}

/** Answers a request; rejects only when no HTTP answer came (network failure or abort). */
export type GrafanaServer = (request: HttpRequest, sent: SentRequest) => Promise<HttpAnswer>;

/** The page's own server, through the global fetch. */
export function sameOrigin(): GrafanaServer {
  return (request) => fetchAnswer(request.url, request);
}

const PROXY_URL = /^\/api\/datasources\/proxy\/uid\/([^/?]+)([^?]*)(\?.*)?$/;

/**
 * Grafana's data-source proxy, played in process: `upstreams` maps a data-source uid to its URL.
 * An unreachable upstream gets a 502 whose JSON message names the cause (Grafana's own proxy
 * sends the 502 with an empty body; the fault suite's proxy plays that one).
 */
export function dataSourceProxy(upstreams: Record<string, string>): GrafanaServer {
  return async (request) => {
    const m = PROXY_URL.exec(request.url);
    if (!m) {
      return answer(404, 'Not Found', request.url, {
        message: `the test BackendSrv only proxies /api/datasources/proxy/uid/<uid>/…, got ${request.url}`,
      });
    }
    const base = upstreams[decodeURIComponent(m[1])];
    if (!base) {
      return answer(404, 'Not Found', request.url, { message: `Data source with uid "${m[1]}" not found` });
    }
    const target = base.replace(/\/$/, '') + (m[2] || '/') + (m[3] ?? '');
    try {
      return await fetchAnswer(target, request);
    } catch (e: any) {
      if (request.signal.aborted) {
        throw e;
      }
      // fetch says "fetch failed"; the reason (ECONNREFUSED, other side closed, …) is its cause.
      const reason = e?.cause?.message ?? e?.message ?? String(e);
      return answer(502, 'Bad Gateway', request.url, { message: `Prometheus at ${target} cannot be reached: ${reason}` });
    }
  };
}

/**
 * Answers without a network: `respond` returns the JSON body of a 200, or an Error for a 502 whose
 * JSON message is the error's (a proxy that failed); a thrown exception fails the request.
 */
export function inMemory(respond: (request: SentRequest) => unknown): GrafanaServer {
  return async (request, sent) => {
    const body = respond(sent);
    if (body instanceof Error) {
      return answer(502, 'Bad Gateway', request.url, { message: body.message });
    }
    return answer(200, 'OK', request.url, body);
  };
}

/** Prometheus' success envelope around `data`. */
export const success = (data: unknown) => ({ status: 'success', data });

function answer(status: number, statusText: string, url: string, data: unknown): HttpAnswer {
  const headers = new Headers({ 'content-type': 'application/json' });
  return { status, statusText, headers, url, type: 'basic', redirected: false, data };
}

async function fetchAnswer(url: string, request: HttpRequest): Promise<HttpAnswer> {
  const { method, headers, body, signal } = request;
  const response = await fetch(url, { method, headers, body, signal });
  const { status, statusText, type, redirected } = response;
  const data = await readBody(response, request.responseType);
  return { status, statusText, headers: response.headers, url: response.url, type, redirected, data };
}

/** Grafana's parseResponseBody, for a given responseType or none (see the header). */
async function readBody(response: Response, responseType: HttpRequest['responseType']): Promise<unknown> {
  switch (responseType) {
    case 'arraybuffer':
      return response.arrayBuffer();
    case 'blob':
      return response.blob();
    case 'json':
      return response.headers.get('Content-Length') === '0' ? {} : response.json();
    case 'text':
      return response.text();
  }
  const text = await response.text();
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
