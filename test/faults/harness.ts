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
import { faultOpenMetrics, faultTimestamps } from './faultData';
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

async function startRig(
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

export interface FaultSuite {
  /** The end of the fault data (seconds): whole minutes, five minutes ago. */
  end: number;
  /** The fault data's timestamps (seconds). */
  timestamps: number[];
  /** Started before the suite's tests, stopped after them; read it inside tests. */
  rig: FaultRig;
}

/**
 * A suite over the fault data: starts the rig before its tests and stops it after them; before
 * each test the proxy passes everything again.
 */
export function faultSuite(opts: FaultProxyOptions & { variables?: TestVariable[] } = {}): FaultSuite {
  const end = Math.floor(Date.now() / 1000 / 60) * 60 - 300;
  const suite = { end, timestamps: faultTimestamps(end) } as FaultSuite;
  beforeAll(async () => {
    suite.rig = await startRig(faultOpenMetrics(end), opts);
  });
  afterAll(() => suite.rig?.stop());
  beforeEach(() => {
    suite.rig.proxy.fault = () => ({ kind: 'pass' });
  });
  return suite;
}

/** Values of the field named `name` in a frame (null for gaps). */
export function fieldValues(frame: DataFrame, name: string): Array<number | null> | undefined {
  return frame.fields
    .find((f) => f.name === name)
    ?.values.map((v: number | null | undefined) => (v === undefined ? null : v));
}

export function noticeTexts(res: DataQueryResponse): string[] {
  return (res.data as DataFrame[]).flatMap((f) => (f.meta?.notices ?? []).map((n) => n.text));
}
