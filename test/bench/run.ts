// `npm run bench`: Real Memory against the stock working-set panel on a real Prometheus holding
// a generated cluster (2,000 containers × 720 points, file-cache series included, 20 namespaces).
// Prints the machine, the figures and a goal / measured / pass table. Not a test: it measures.
//   --quick   skip the slow reference query (six metrics in one {__name__=~…} query, ~1 min)
//   --reps=N  repetitions per measurement (default 5; the median is reported)
import './domShim';

import { DataFrame, DataQueryResponse } from '@grafana/data';
import { getBackendSrv } from '@grafana/runtime';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { lastValueFrom } from 'rxjs';
import { PerformanceObserver, constants } from 'perf_hooks';
import zlib from 'zlib';

import { DataSource } from '../../src/datasource';
import { RealMemoryQuery } from '../../src/types';
import { startFaultProxy } from '../faults/faultProxy';
import { makeDataSource, panelRequest, UID } from '../faults/harness';
import { installTemplateSrv } from '../support/templateSrv';
import { DEFAULT_PARAMS, namespaceName } from './dataset';
import { MB, Recorder, median, sec, timed } from './measure';
import { recordedRulesRows } from './recorded';
import { cachedBlocks, startOnBlocks } from './tsdbCache';

const args = process.argv.slice(2);
const QUICK = args.includes('--quick');
const REPS = Number(args.find((a) => a.startsWith('--reps='))?.split('=')[1] ?? 5);
const P = DEFAULT_PARAMS;
const FROM = P.end - (P.points - 1) * P.step;
const NS = namespaceName(7);
const log = (s: string) => console.log(s);

interface Row {
  name: string;
  goal: string;
  measured: string;
  pass?: boolean;
}
const rows: Row[] = [];

const STOCK_WS = (sel: string) =>
  `sum by (namespace, pod, container) (max by (namespace, pod, container) (container_memory_working_set_bytes{${sel}}))`;
const SIX = 'container_memory_(usage_bytes|working_set_bytes|rss|cache|total_active_file_bytes|total_inactive_file_bytes)';
const COMBINED = `max by (__name__, namespace, pod, container) ({__name__=~"${SIX}", container!="", image!=""})`;

async function main() {
  const cpus = os.cpus();
  log('Real Memory benchmark');
  log(`date:        ${new Date().toISOString()}`);
  log(`machine:     ${cpus[0]?.model ?? 'unknown CPU'}, ${cpus.length} cores, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM, ${os.platform()} ${os.release()}`);
  log(`node:        ${process.version}`);
  log(`load:        ${loadavg()} (1/5/15 min) at start; other processes on the machine skew the times`);
  log(`dataset:     ${P.containers} containers in ${P.namespaces} namespaces × ${P.points} points (step ${P.step} s), 7 cAdvisor memory metrics`);

  const tsdb = await cachedBlocks(P, (s) => log(`             ${s}`));
  const prom = await startOnBlocks(tsdb);
  log(`prometheus:  ${prom.version} (${prom.url})`);
  // Timed queries go straight to Prometheus. Bytes are counted on separate runs through the fault
  // proxy (passing everything): it lives in this process, so it must not sit in the timed path.
  const proxy = await startFaultProxy(prom.url, { timeoutMs: 10 * 60 * 1000 });
  installTemplateSrv([]);
  const recorder = new Recorder({ [UID]: prom.url, [METERED]: proxy.url });
  const ds = makeDataSource();
  const metered = makeDataSource({}, METERED);
  try {
    await run(ds, { ds: metered, proxy }, recorder);
  } finally {
    await proxy.close();
    await prom.stop();
  }
  rows.push(...(await recordedRulesRows(P, tsdb, REPS, log)));
  log(`\nload:        ${loadavg()} (1/5/15 min) at the end`);
  printTable();
}

const loadavg = () =>
  os
    .loadavg()
    .map((x) => x.toFixed(2))
    .join(' / ');

const METERED = 'metered';
type Proxy = Awaited<ReturnType<typeof startFaultProxy>>;
interface Meter {
  ds: DataSource;
  proxy: Proxy;
}

/** Bytes Prometheus sends for one execution, counted by the proxy. */
async function bytesOf(proxy: Proxy, fn: () => Promise<unknown>): Promise<number> {
  const before = proxy.requests.length;
  await fn();
  return proxy.requests.slice(before).reduce((a, r) => a + r.upstreamBytes, 0);
}

/** One execution's wall time. */
async function measure(fn: () => Promise<unknown>): Promise<{ ms: number }> {
  return { ms: (await timed(fn)).ms };
}

/** The stock panel's query through the same BackendSrv (HTTP + Grafana's JSON parse). */
async function stock(expr: string, uid = UID): Promise<any> {
  const form = new URLSearchParams({ query: expr, start: String(FROM), end: String(P.end), step: String(P.step) });
  const res = await lastValueFrom(
    getBackendSrv().fetch<any>({
      url: `/api/datasources/proxy/uid/${uid}/api/v1/query_range`,
      method: 'POST',
      data: form.toString(),
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    })
  );
  if (res.data?.status !== 'success') {
    throw new Error(`stock query failed: ${JSON.stringify(res.data).slice(0, 300)}`);
  }
  return res.data;
}

async function plugin(ds: DataSource, target: Partial<RealMemoryQuery>): Promise<DataQueryResponse> {
  const req = panelRequest([target], FROM, P.end, { intervalMs: P.step * 1000, maxDataPoints: P.points });
  const res = await lastValueFrom(ds.query(req));
  if (res.errors?.length) {
    throw new Error(`plugin query failed: ${res.errors.map((e) => e.message).join('; ')}`);
  }
  return res;
}

/** Runs a and b alternately REPS times after one warm-up each (medians); bytes from one metered run each. */
async function sideBySide(
  meter: Meter,
  a: (uid: string, ds: DataSource) => Promise<unknown>,
  b: (uid: string, ds: DataSource) => Promise<unknown>,
  ds: DataSource,
  reps = REPS
) {
  await a(UID, ds);
  await b(UID, ds);
  const ra: number[] = [];
  const rb: number[] = [];
  for (let i = 0; i < reps; i++) {
    ra.push((await measure(() => a(UID, ds))).ms);
    rb.push((await measure(() => b(UID, ds))).ms);
  }
  const bytesA = await bytesOf(meter.proxy, () => a(METERED, meter.ds));
  const bytesB = await bytesOf(meter.proxy, () => b(METERED, meter.ds));
  return { a: { ms: median(ra), bytes: bytesA, all: ra }, b: { ms: median(rb), bytes: bytesB, all: rb } };
}

/** The plugin's own work: the same query replayed from recorded answers (no HTTP, no JSON parse). */
async function ownWork(ds: DataSource, recorder: Recorder, target: Partial<RealMemoryQuery>, reps = REPS) {
  recorder.reset();
  const liveRuns: Array<{ total: number; http: number }> = [];
  for (let i = 0; i < reps; i++) {
    recorder.reset();
    const { ms } = await timed(() => plugin(ds, target));
    liveRuns.push({ total: ms, http: recorder.httpMs() });
  }
  recorder.replay();
  const replayMs: number[] = [];
  try {
    await plugin(ds, target);
    for (let i = 0; i < reps; i++) {
      replayMs.push((await timed(() => plugin(ds, target))).ms);
    }
  } finally {
    recorder.restore();
  }
  const total = median(liveRuns.map((r) => r.total));
  const outsideHttp = median(liveRuns.map((r) => r.total - r.http));
  return { total, outsideHttp, replay: median(replayMs) };
}

function frames(res: DataQueryResponse): DataFrame[] {
  return res.data as DataFrame[];
}

/** Sanity: the plugin's working set for one container equals the stock query's, point by point. */
function checkSameWorkingSet(stockBody: any, res: DataQueryResponse) {
  const series = stockBody.data.result[0];
  const f = frames(res).find((fr) => fr.fields.some((x) => x.labels?.pod === series.metric.pod && x.labels?.container === series.metric.container));
  const ws = f?.fields.find((x) => x.name === 'working set');
  const expected = series.values.map((v: [number, string]) => Number(v[1]));
  if (!ws || JSON.stringify(ws.values) !== JSON.stringify(expected)) {
    throw new Error(`plugin and stock disagree on the working set of ${series.metric.pod}/${series.metric.container}`);
  }
}

async function run(ds: DataSource, meter: Meter, recorder: Recorder) {
  const nsSel = `namespace="${NS}", container!="", image!=""`;

  // --- one namespace: real used vs working set, and the breakdown ---
  const stockNs = await stock(STOCK_WS(nsSel));
  const rvw = await plugin(ds, { view: 'realVsWorkingSet', namespace: NS });
  if (frames(rvw).length !== stockNs.data.result.length) {
    throw new Error(`plugin returned ${frames(rvw).length} groups, stock ${stockNs.data.result.length}`);
  }
  checkSameWorkingSet(stockNs, rvw);
  log(`\n${NS}: ${stockNs.data.result.length} containers; plugin and stock agree on working set`);

  const ns = await sideBySide(
    meter,
    (uid) => stock(STOCK_WS(nsSel), uid),
    (_, d) => plugin(d, { view: 'realVsWorkingSet', namespace: NS }),
    ds
  );
  log(`stock panel, one namespace:          ${sec(ns.a.ms)} (runs ${ns.a.all.map((x) => x.toFixed(0)).join(', ')} ms), ${MB(ns.a.bytes)}`);
  log(`real used vs working set, namespace: ${sec(ns.b.ms)} (runs ${ns.b.all.map((x) => x.toFixed(0)).join(', ')} ms), ${MB(ns.b.bytes)}`);
  rows.push(ratioRow('real used vs working set, 1 namespace: time', ns.b.ms, ns.a.ms, 1.5));
  rows.push(ratioRow('real used vs working set, 1 namespace: bytes', ns.b.bytes, ns.a.bytes, 2.2));

  const bd = await sideBySide(meter, (uid) => stock(STOCK_WS(nsSel), uid), (_, d) => plugin(d, { view: 'breakdown', namespace: NS }), ds);
  log(`stock panel, one namespace:          ${sec(bd.a.ms)}, ${MB(bd.a.bytes)}`);
  log(`breakdown, namespace:                ${sec(bd.b.ms)} (runs ${bd.b.all.map((x) => x.toFixed(0)).join(', ')} ms), ${MB(bd.b.bytes)}`);
  rows.push(ratioRow('breakdown, 1 namespace: time', bd.b.ms, bd.a.ms, 2.5));
  rows.push({ name: 'breakdown, 1 namespace: bytes (info)', goal: '—', measured: `${(bd.b.bytes / bd.a.bytes).toFixed(2)}× stock` });

  // --- the whole cluster: top 50 by real used, beside the stock query for all containers ---
  const top = await plugin(ds, { view: 'realVsWorkingSet', topN: 50 });
  const notice = frames(top)[0]?.meta?.notices?.find((n) => /top N/.test(n.text))?.text;
  log(`\ncluster, top 50: ${frames(top).length} groups; notice: "${notice}"`);
  const topRuns: number[] = [];
  for (let i = 0; i < REPS; i++) {
    topRuns.push((await measure(() => plugin(ds, { view: 'realVsWorkingSet', topN: 50 }))).ms);
  }
  const topMs = median(topRuns);
  const topBytes = await bytesOf(meter.proxy, () => plugin(meter.ds, { view: 'realVsWorkingSet', topN: 50 }));
  log(`real used vs working set, cluster, top 50: ${sec(topMs)} (runs ${topRuns.map((r) => r.toFixed(0)).join(', ')} ms), ${MB(topBytes)}`);
  rows.push({ name: 'whole cluster, top 50 by real used: time', goal: '≤ 1.5 s', measured: sec(topMs), pass: topMs <= 1500 });

  const allSel = 'container!="", image!=""';
  const stockAllRuns: number[] = [];
  for (let i = 0; i < Math.min(REPS, 3); i++) {
    stockAllRuns.push((await measure(() => stock(STOCK_WS(allSel)))).ms);
  }
  const stockAll = { ms: median(stockAllRuns), bytes: await bytesOf(meter.proxy, () => stock(STOCK_WS(allSel), METERED)) };
  log(`stock panel, all ${P.containers} containers: ${sec(stockAll.ms)} (runs ${stockAllRuns.map((r) => r.toFixed(0)).join(', ')} ms), ${MB(stockAll.bytes)}`);
  rows.push({ name: `stock panel, all ${P.containers} containers (reference)`, goal: '—', measured: `${sec(stockAll.ms)}, ${MB(stockAll.bytes)}` });

  // --- the plugin's own work as a share of the request ---
  log('');
  const shares: Array<[string, Partial<RealMemoryQuery>]> = [
    ['real used vs working set, 1 namespace', { view: 'realVsWorkingSet', namespace: NS }],
    ['breakdown, 1 namespace', { view: 'breakdown', namespace: NS }],
    ['cluster top 50', { view: 'realVsWorkingSet', topN: 50 }],
  ];
  for (const [name, target] of shares) {
    const w = await ownWork(ds, recorder, target);
    log(
      `own work, ${name}: total ${w.total.toFixed(0)} ms; replayed without HTTP ${w.replay.toFixed(1)} ms ` +
        `(${pct(w.replay / w.total)}); outside HTTP in flight ${w.outsideHttp.toFixed(1)} ms (${pct(w.outsideHttp / w.total)})`
    );
    rows.push({ name: `plugin's own work, ${name}`, goal: '≤ 10%', measured: `${pct(w.replay / w.total)} (${w.replay.toFixed(1)} of ${w.total.toFixed(0)} ms)`, pass: w.replay / w.total <= 0.1 });
  }

  // --- derivation throughput and heap: the whole cluster, no top N (2 metrics × 2,000 × 720) ---
  const fullBytes = await bytesOf(meter.proxy, () => plugin(meter.ds, { view: 'realVsWorkingSet' }));
  recorder.reset();
  const full = { ...(await measure(() => plugin(ds, { view: 'realVsWorkingSet' }))), bytes: fullBytes };
  log(`\nreal used vs working set, all ${P.containers} containers (no top N): ${sec(full.ms)}, ${MB(full.bytes)}`);
  rows.push({ name: `real used vs working set, all ${P.containers} (no top N, reference)`, goal: '—', measured: `${sec(full.ms)}, ${MB(full.bytes)}` });
  recorder.replay();
  try {
    const inputPoints = 2 * P.containers * P.points;
    const times: number[] = [];
    for (let i = 0; i < 3; i++) {
      times.push((await timed(() => plugin(ds, { view: 'realVsWorkingSet' }))).ms);
    }
    const ms = median(times);
    const rate = inputPoints / (ms / 1000);
    log(`derivation (parse, align, derive, frames), replayed: ${ms.toFixed(0)} ms for ${inputPoints.toLocaleString('en')} input points → ${(rate / 1e6).toFixed(2)} M points/s`);
    rows.push({ name: 'derivation throughput (input points/s)', goal: '—', measured: `${(rate / 1e6).toFixed(2)} M/s` });

    // Heap: one more run from a collected heap (the recorded answers, i.e. Grafana's parsed JSON,
    // are part of the baseline). The heap in use at the end, before any further GC, is the frames
    // plus the garbage not yet collected: an estimate of the peak (minor GCs may have run).
    const gc = (global as any).gc as (() => void) | undefined;
    if (gc) {
      let majorGcs = 0;
      const obs = new PerformanceObserver((list) => {
        majorGcs += list.getEntries().filter((e: any) => e.detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR).length;
      });
      obs.observe({ entryTypes: ['gc'] });
      gc();
      const base = process.memoryUsage().heapUsed;
      majorGcs = 0;
      const res = await plugin(ds, { view: 'realVsWorkingSet' });
      const atEnd = process.memoryUsage().heapUsed;
      await new Promise((r) => setImmediate(r)); // let the observer report
      const gcsDuring = majorGcs;
      const groups = frames(res).length;
      obs.disconnect();
      log(
        `heap: baseline ${MB(base)} (incl. recorded answers); +${MB(atEnd - base)} at the end of the query before GC ` +
          `(${gcsDuring} major GCs during it) for ${groups} groups`
      );
      rows.push({
        name: `heap in use after one query, all ${P.containers} groups (peak estimate)`,
        goal: '—',
        measured: `+${MB(atEnd - base)} (${gcsDuring} major GCs)`,
      });
    } else {
      log('heap: run with node --expose-gc (npm run bench does) to measure it');
    }
  } finally {
    recorder.restore();
  }

  // --- reference: six metrics in one combined query ---
  if (!QUICK) {
    // Run once, through the byte-counting proxy (its copy of ~200 MB adds a little to the time).
    let bytes = 0;
    const { ms } = await measure(async () => (bytes = await bytesOf(meter.proxy, () => stock(COMBINED, METERED))));
    const combined = { ms, bytes };
    log(`six metrics in one {__name__=~…} query, all ${P.containers}: ${sec(combined.ms)}, ${MB(combined.bytes)} (one run, through the proxy)`);
    rows.push({ name: 'six metrics in one combined query, all (reference)', goal: '—', measured: `${sec(combined.ms)}, ${MB(combined.bytes)}` });
  }

  // --- bundle size ---
  const dist = path.resolve(__dirname, '../../dist/module.js');
  if (fs.existsSync(dist)) {
    const buf = fs.readFileSync(dist);
    const gz = zlib.gzipSync(buf, { level: 9 }).length;
    log(`\ndist/module.js: ${(buf.length / 1024).toFixed(1)} KB minified, ${(gz / 1024).toFixed(1)} KB gzipped (built ${fs.statSync(dist).mtime.toISOString()})`);
    rows.push({ name: 'dist/module.js (minified / gzipped)', goal: '≤ 150 KB minified', measured: `${(buf.length / 1024).toFixed(1)} KB / ${(gz / 1024).toFixed(1)} KB`, pass: buf.length <= 150 * 1024 });
  } else {
    rows.push({ name: 'dist/module.js', goal: '≤ 150 KB minified', measured: 'not built: run npm run build first', pass: false });
  }
}

function ratioRow(name: string, value: number, stockValue: number, goal: number): Row {
  const r = value / stockValue;
  return { name, goal: `≤ ${goal}× stock`, measured: `${r.toFixed(2)}× stock`, pass: r <= goal };
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

function printTable() {
  const w0 = Math.max(...rows.map((r) => r.name.length));
  const w1 = Math.max(...rows.map((r) => r.goal.length), 4);
  const w2 = Math.max(...rows.map((r) => r.measured.length), 8);
  log('');
  log(`${'measure'.padEnd(w0)} | ${'goal'.padEnd(w1)} | ${'measured'.padEnd(w2)} | result`);
  log(`${'-'.repeat(w0)}-|-${'-'.repeat(w1)}-|-${'-'.repeat(w2)}-|-------`);
  for (const r of rows) {
    const result = r.pass === undefined ? '' : r.pass ? 'pass' : 'FAIL';
    log(`${r.name.padEnd(w0)} | ${r.goal.padEnd(w1)} | ${r.measured.padEnd(w2)} | ${result}`);
  }
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  }
);
