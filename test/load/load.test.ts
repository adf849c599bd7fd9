/**
 * Bounded load: 50 concurrent panel queries (both views, several namespaces, some with top N)
 * against a real Prometheus holding 200 containers, three rounds. Every query answers with the
 * right number of frames and no error, every HTTP request finishes, and once the answers are
 * dropped the heap returns to within 10 MB of its baseline (measured after a forced GC).
 */
import '../support/polyfills';

import type { DataFrame, DataQueryResponse } from '@grafana/data';
import v8 from 'v8';
import vm from 'vm';

import { BenchParams, DEFAULT_PARAMS, namespaceName } from '../bench/dataset';
import { cachedBlocks, startOnBlocks, BenchPrometheus } from '../bench/tsdbCache';
import { startFaultProxy, FaultProxy } from '../faults/faultProxy';
import { makeDataSource, panelRequest, runQuery, UID } from '../faults/harness';
import { installBackendSrv } from '../support/backendSrv';
import { installTemplateSrv } from '../support/templateSrv';

const P: BenchParams = { ...DEFAULT_PARAMS, containers: 200, namespaces: 4, points: 120 };
const FROM = P.end - (P.points - 1) * P.step;
const CONCURRENT = 50;
const PER_NAMESPACE = P.containers / P.namespaces;

// Jest runs without --expose-gc; V8 can still hand out its gc function.
v8.setFlagsFromString('--expose-gc');
const gc: () => void = vm.runInNewContext('gc');
const heapAfterGc = () => {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
};

let prom: BenchPrometheus;
let proxy: FaultProxy;
beforeAll(async () => {
  prom = await startOnBlocks(await cachedBlocks(P, () => {}));
  proxy = await startFaultProxy(prom.url);
  installBackendSrv({ [UID]: proxy.url });
  installTemplateSrv([]);
}, 180000);
afterAll(async () => {
  await proxy?.close();
  await prom?.stop();
});

/** The i-th panel of a round: views, namespaces and top N vary. */
function panel(i: number) {
  const namespace = namespaceName(i % P.namespaces);
  const view = i % 3 === 2 ? 'breakdown' : 'realVsWorkingSet';
  const topN = i % 5 === 4 ? 10 : 0;
  const groups = topN || PER_NAMESPACE;
  // The breakdown of more than three groups is one summed stack (views/breakdown).
  return { target: { namespace, view, topN } as const, frames: view === 'breakdown' && groups > 3 ? 1 : groups };
}

async function round(): Promise<void> {
  const ds = makeDataSource();
  const panels = Array.from({ length: CONCURRENT }, (_, i) => panel(i));
  const results: DataQueryResponse[] = await Promise.all(
    panels.map((p) =>
      runQuery(ds, panelRequest([p.target], FROM, P.end, { intervalMs: P.step * 1000, maxDataPoints: P.points }))
    )
  );
  results.forEach((res, i) => {
    expect([i, res.errors]).toEqual([i, []]);
    expect([i, (res.data as DataFrame[]).length]).toEqual([i, panels[i].frames]);
  });
}

it('50 concurrent panel queries, three rounds: no errors, right frames, heap back near baseline', async () => {
  // Warm-up: modules, JIT, connection pool. Two rounds: after one, V8 was still settling (after-GC
  // heap +4.1 MB in round 1, +1.2 in round 2, then +0.6 to +0.8 a round, measured over eight rounds).
  await round();
  await round();
  proxy.requests.length = 0;
  const baseline = heapAfterGc();
  let peak = baseline;
  for (let r = 0; r < 3; r++) {
    const started = Date.now();
    await round();
    peak = Math.max(peak, process.memoryUsage().heapUsed);
    console.log(`round ${r + 1}: ${CONCURRENT} queries in ${Date.now() - started} ms`);
  }
  const after = heapAfterGc();
  console.log(
    `heap: baseline ${(baseline / 1e6).toFixed(1)} MB, peak seen ${(peak / 1e6).toFixed(1)} MB, after ${(after / 1e6).toFixed(1)} MB ` +
      `(${((after - baseline) / 1e6).toFixed(1)} MB); ${proxy.requests.length} HTTP requests`
  );
  expect(proxy.requests.length).toBeGreaterThanOrEqual(3 * CONCURRENT * 2);
  expect(proxy.requests.every((r) => r.status === 200 && !r.aborted)).toBe(true);
  expect(after - baseline).toBeLessThan(10e6);
}, 300000);
