// Wiring for the fault suite: a real Prometheus backfilled with the fault data, the fault proxy in
// front of it (playing Grafana's data-source proxy), the test BackendSrv and TemplateSrv, and a
// DataSource whose instance URL goes through all of that.
import '../support/polyfills';

import { DataFrame, DataQueryRequest, DataQueryResponse, DataSourceInstanceSettings, dateTime } from '@grafana/data';
import { lastValueFrom } from 'rxjs';

import { DataSource } from '../../src/datasource';
import { RealMemoryOptions, RealMemoryQuery } from '../../src/types';
import { installBackendSrv, TestBackendSrv } from '../support/backendSrv';
import { RunningPrometheus, startPrometheus } from '../support/prometheus';
import { installTemplateSrv, TestVariable } from '../support/templateSrv';
import { FaultProxy, FaultProxyOptions, startFaultProxy } from './faultProxy';

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
    meta: {} as any,
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
  return {
    requestId: `Q${++counter}`,
    panelId: 7,
    app: 'dashboard',
    timezone: 'utc',
    range: { from: dateTime(fromSec * 1000), to: dateTime(toSec * 1000), raw: { from: 'now-30m', to: 'now' } },
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
export async function runQuery(ds: DataSource, req: DataQueryRequest<RealMemoryQuery>): Promise<DataQueryResponse> {
  return lastValueFrom(ds.query(req));
}

export interface FaultRig {
  prom: RunningPrometheus;
  proxy: FaultProxy;
  backend: TestBackendSrv;
  ds: DataSource;
  stop(): Promise<void>;
}

export async function startRig(
  openMetrics: string,
  opts: FaultProxyOptions & { variables?: TestVariable[] } = {}
): Promise<FaultRig> {
  const prom = await startPrometheus({ openMetrics });
  const proxy = await startFaultProxy(prom.url, opts);
  const backend = installBackendSrv({ [UID]: proxy.url });
  installTemplateSrv(opts.variables ?? []);
  return {
    prom,
    proxy,
    backend,
    ds: makeDataSource(),
    stop: async () => {
      await proxy.close();
      await prom.stop();
    },
  };
}

/** Values of the field named `name` in a frame (null for gaps). */
export function fieldValues(frame: DataFrame, name: string): Array<number | null> | undefined {
  return frame.fields.find((f) => f.name === name)?.values.map((v: number | null | undefined) => (v === undefined ? null : v));
}

export function noticeTexts(res: DataQueryResponse): string[] {
  return (res.data as DataFrame[]).flatMap((f) => (f.meta?.notices ?? []).map((n) => n.text));
}
