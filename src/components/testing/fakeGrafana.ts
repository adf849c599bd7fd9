import './polyfills';
import { DataSourceInstanceSettings, PluginType, TypedVariableModel } from '@grafana/data';
import {
  BackendSrv,
  BackendSrvRequest,
  FetchResponse,
  TemplateSrv,
  setBackendSrv,
  setTemplateSrv,
} from '@grafana/runtime';
import { Observable, of, throwError } from 'rxjs';

import { DataSource } from '../../datasource';
import { RealMemoryOptions } from '../../types';

/** A request the data source sent through the (fake) backend service, decoded for assertions. */
export interface SentRequest {
  path: string;
  /** match[] selectors, decoded. */
  match: string[];
  params: URLSearchParams;
}

export const PROXY_URL = '/api/datasources/proxy/uid/real-memory';

/**
 * Stands in for Grafana's backend service: records every request and answers from `respond`
 * (path → Prometheus JSON body, or an Error to fail with).
 */
export function fakeBackend(respond: (req: SentRequest) => unknown): SentRequest[] {
  const sent: SentRequest[] = [];
  const fetch = (options: BackendSrvRequest): Observable<FetchResponse<unknown>> => {
    const url = new URL(options.url, 'http://grafana.local');
    const params = new URLSearchParams(url.search);
    if (typeof options.data === 'string') {
      new URLSearchParams(options.data).forEach((v, k) => params.append(k, v));
    }
    const req: SentRequest = { path: url.pathname.slice(PROXY_URL.length), match: params.getAll('match[]'), params };
    sent.push(req);
    const body = respond(req);
    if (body instanceof Error) {
      return throwError(() => ({ status: 502, statusText: 'Bad Gateway', data: { message: body.message } }));
    }
    return of({ data: body, status: 200, statusText: 'OK', ok: true } as FetchResponse<unknown>);
  };
  setBackendSrv({ fetch } as unknown as BackendSrv);
  return sent;
}

export const success = (data: unknown) => ({ status: 'success', data });

/**
 * A template service with Grafana's variable syntaxes ($x, ${x}, ${x:fmt}, [[x]]) and multi-values,
 * enough to exercise the data source's escaping; values are passed to the formatter as Grafana does.
 */
export function fakeTemplateSrv(variables: Record<string, string | string[]>) {
  const pattern = /\$(\w+)|\[\[(\w+?)(?::(\w+))?\]\]|\${(\w+)(?:\.([^:^}]+))?(?::([^}]+))?}/g;
  const srv = {
    getVariables: () => Object.keys(variables).map((name) => ({ name }) as unknown as TypedVariableModel),
    replace: (text = '', _scoped?: unknown, format?: unknown) =>
      text.replace(pattern, (whole, plain, bracket, _f1, braced) => {
        const value = variables[plain ?? bracket ?? braced];
        if (value === undefined) {
          return whole;
        }
        return typeof format === 'function' ? format(value) : Array.isArray(value) ? value.join(',') : value;
      }),
    containsTemplate: (text?: string) => Boolean(text && new RegExp(pattern.source).test(text)),
    updateTimeRange: () => {},
  };
  setTemplateSrv(srv as unknown as TemplateSrv);
  return srv;
}

export function makeDataSource(jsonData: RealMemoryOptions = {}): DataSource {
  const settings: DataSourceInstanceSettings<RealMemoryOptions> = {
    id: 1,
    uid: 'real-memory',
    type: 'realmemory-realmemory-datasource',
    name: 'Real Memory',
    url: PROXY_URL,
    access: 'proxy',
    jsonData,
    readOnly: false,
    meta: {
      id: 'realmemory-realmemory-datasource',
      name: 'Real Memory',
      type: PluginType.datasource,
    } as DataSourceInstanceSettings['meta'],
  };
  return new DataSource(settings);
}

/** Combobox measures its menu; jsdom has no layout, so give elements a size. */
export function giveElementsASize() {
  Object.defineProperty(Element.prototype, 'getBoundingClientRect', {
    configurable: true,
    value: () => ({ width: 120, height: 120, top: 0, left: 0, bottom: 0, right: 0, x: 0, y: 0, toJSON: () => ({}) }),
  });
  // The virtualised option list renders only the rows that fit its measured height.
  for (const prop of ['offsetHeight', 'offsetWidth', 'clientHeight', 'clientWidth']) {
    Object.defineProperty(HTMLElement.prototype, prop, { configurable: true, get: () => 500 });
  }
}
