// The plugin's DataSource as Grafana would create it, with its URL on Grafana's data-source proxy
// (the test BackendSrv plays that proxy), a panel request for it, and the usual wiring: a real
// Prometheus, the BackendSrv routing the data source's uid to it and a TemplateSrv.
import { DataQueryRequest, DataQueryResponse, DataSourceInstanceSettings, dateTime } from '@grafana/data';
import { lastValueFrom } from 'rxjs';

import { DataSource } from '../../src/datasource';
import { RealMemoryOptions, RealMemoryQuery } from '../../src/types';
import { installBackendSrv, TestBackendSrv } from './backendSrv';
import { RunningPrometheus, startPrometheus, StartOptions } from './prometheus';
import { installTemplateSrv, TestVariable } from './templateSrv';

export const UID = 'real-memory';

export function makeDataSource(jsonData: RealMemoryOptions = {}, uid = UID): DataSource {
  return new DataSource({
    id: 1,
    uid,
    type: 'realmemory-realmemory-datasource',
    name: 'Real Memory',
    url: `/api/datasources/proxy/uid/${uid}`,
    access: 'proxy',
    jsonData,
    readOnly: false,
    meta: {} as DataSourceInstanceSettings['meta'],
  } as DataSourceInstanceSettings<RealMemoryOptions>);
}

let counter = 0;

/** A panel request over [fromSec, toSec] with Grafana's fields filled as a dashboard would. */
export function panelRequest(
  targets: Array<Partial<RealMemoryQuery>>,
  fromSec: number,
  toSec: number,
  extra: Partial<DataQueryRequest<RealMemoryQuery>> = {}
): DataQueryRequest<RealMemoryQuery> {
  const from = dateTime(fromSec * 1000);
  const to = dateTime(toSec * 1000);
  return {
    requestId: `Q${++counter}`,
    panelId: 7,
    app: 'dashboard',
    timezone: 'utc',
    range: { from, to, raw: { from, to } },
    interval: '1m',
    intervalMs: 60000,
    maxDataPoints: 1000,
    scopedVars: {},
    startTime: Date.now(),
    targets: targets.map((t, i) => ({ refId: String.fromCharCode(65 + i), ...t })),
    ...extra,
  } as DataQueryRequest<RealMemoryQuery>;
}

/** Runs query() and returns its one response; a thrown or errored observable fails the test. */
export function runQuery(ds: DataSource, req: DataQueryRequest<RealMemoryQuery>): Promise<DataQueryResponse> {
  return lastValueFrom(ds.query(req));
}

export interface PrometheusDataSource {
  prom: RunningPrometheus;
  backend: TestBackendSrv;
  ds: DataSource;
  stop(): Promise<void>;
}

/**
 * A real Prometheus (backfilled or scraping, see startPrometheus), the test BackendSrv routing
 * `uid` to it, a TemplateSrv with `variables`, and a DataSource on that uid.
 */
export async function startPrometheusDataSource(
  prometheus: StartOptions,
  opts: { uid?: string; variables?: TestVariable[] } = {}
): Promise<PrometheusDataSource> {
  const uid = opts.uid ?? UID;
  const prom = await startPrometheus(prometheus);
  const backend = installBackendSrv({ [uid]: prom.url });
  installTemplateSrv(opts.variables ?? []);
  return { prom, backend, ds: makeDataSource({}, uid), stop: () => prom.stop() };
}
