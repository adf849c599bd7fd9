// Wiring for the fault suite: a real Prometheus backfilled with the fault data, the fault proxy in
// front of it (playing Grafana's data-source proxy), the test BackendSrv and TemplateSrv, and a
// DataSource whose instance URL goes through all of that.
import '../support/polyfills';

import { DataFrame, DataQueryResponse } from '@grafana/data';

import { DataSource } from '../../src/datasource';
import { installBackendSrv, TestBackendSrv } from '../support/backendSrv';
import { makeDataSource, UID } from '../support/dataSource';
import { RunningPrometheus, startPrometheus } from '../support/prometheus';
import { installTemplateSrv, TestVariable } from '../support/templateSrv';
import { FaultProxy, FaultProxyOptions, startFaultProxy } from './faultProxy';

// The data source, its requests and query runner are shared with the other suites.
export { makeDataSource, panelRequest, runQuery, UID } from '../support/dataSource';

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
