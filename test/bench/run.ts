// `npm run bench`: Real Memory against the stock working-set panel on a real Prometheus holding a
// generated cluster (2,000 containers × 720 points on 40 nodes, file-cache series, kube-state-metrics
// requests and limits). Prints the machine, the figures of each section and a goal / measured /
// result table; a section that fails says so in its row and the table still prints. Not a test: it
// measures. A run took 8.6–12.9 min on 2 cores at load average 6–8 (plus 3–6 min once, to generate and
// backfill the dataset; cached under .tmp/bench/).
//   --quick    skip the slow references (stock query over all 2,000 containers, six metrics in one query)
//   --reps=N   repetitions of each timed measurement (default 7; medians, after warm-up runs)
//   --only=a,b run only the sections whose title contains one of these words (e.g. --only=heap,refresh)
import './domShim';

import { DataFrame, DataQueryRequest, DataQueryResponse, dateTime } from '@grafana/data';
import { getBackendSrv } from '@grafana/runtime';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { lastValueFrom } from 'rxjs';
import { PerformanceObserver, constants } from 'perf_hooks';
import zlib from 'zlib';

import { DataSource } from '../../src/datasource';
import { describeFetchError } from '../../src/prometheus/client';
import { SHARE_MS } from '../../src/refreshCache/sharedQueries';
import { rankEverySeconds } from '../../src/run/ranking';
import { RealMemoryQuery } from '../../src/types';
import { startFaultProxy } from '../faults/faultProxy';
import { makeDataSource, panelRequest, UID } from '../faults/harness';
import { installTemplateSrv } from '../support/templateSrv';
import { DEFAULT_PARAMS, benchContainers, namespaceName, nodeName } from './dataset';
import { MB, Recorder, median, sec, timed } from './measure';
import { recordedRulesRows, stockQuery } from './recorded';
import { cachedBlocks, startOnBlocks } from './tsdbCache';

const args = process.argv.slice(2);
const QUICK = args.includes('--quick');
const REPS = Number(args.find((a) => a.startsWith('--reps='))?.split('=')[1] ?? 7);
const ONLY = args
  .find((a) => a.startsWith('--only='))
  ?.split('=')[1]
  .split(',');
/** Replays are short and cheap: twice the repetitions, for a steadier median. */
const REPLAYS = 2 * REPS;
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
const SIX =
  'container_memory_(usage_bytes|working_set_bytes|rss|cache|total_active_file_bytes|total_inactive_file_bytes)';
const COMBINED = `max by (__name__, namespace, pod, container) ({__name__=~"${SIX}", container!="", image!=""})`;
const NS_SEL = `namespace="${NS}", container!="", image!=""`;
const ALL_SEL = 'container!="", image!=""';

const METERED = 'metered';
type Proxy = Awaited<ReturnType<typeof startFaultProxy>>;
interface Meter {
  ds: DataSource;
  proxy: Proxy;
}
/** What every section gets: the timed data source (straight to Prometheus) and the byte-counting one. */
interface Rig {
  ds: DataSource;
  meter: Meter;
  recorder: Recorder;
  promUrl: string;
}
type Section = (rig: Rig) => Promise<void>;

/** The sections, in order. Each adds its rows; a failure becomes a row of its own. */
const SECTIONS: Array<[string, Section]> = [
  ['one namespace, against the stock panel', namespaceViews],
  ['whole cluster, top 50', topN],
  ['refresh of a 6-hour panel', refreshes],
  ['provisioned dashboard, full load', dashboardLoad],
  ["plugin's own work", ownWorkPerView],
  [`heap, all ${P.containers} containers`, heap],
  ['references', references],
  ['bundle', bundle],
];

async function main() {
  const started = Date.now();
  const cpus = os.cpus();
  log('Real Memory benchmark');
  log(`date:        ${new Date().toISOString()}`);
  log(
    `machine:     ${cpus[0]?.model ?? 'unknown CPU'}, ${cpus.length} cores, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM, ${os.platform()} ${os.release()}`
  );
  log(`node:        ${process.version}`);
  log(`load:        ${loadavg()} (1/5/15 min) at start; other processes on the machine skew the times`);
  log(
    `dataset:     ${P.containers} containers in ${P.namespaces} namespaces on ${P.nodes} nodes × ${P.points} points ` +
      `(step ${P.step} s), 7 cAdvisor memory metrics, node cgroups, kube-state-metrics requests and limits`
  );
  log(`timing:      medians of ${REPS} runs after warm-up (replays: ${REPLAYS}); --reps=N to change`);

  const tsdb = await cachedBlocks(P, (s) => log(`             ${s}`));
  const prom = await startOnBlocks(tsdb);
  log(`prometheus:  ${prom.version} (${prom.url})`);
  // Timed queries go straight to Prometheus. Bytes are counted on separate runs through the fault
  // proxy (passing everything): it lives in this process, so it must not sit in the timed path.
  const proxy = await startFaultProxy(prom.url, { timeoutMs: 10 * 60 * 1000 });
  installTemplateSrv([]);
  const recorder = new Recorder({ [UID]: prom.url, [METERED]: proxy.url });
  const rig: Rig = {
    ds: makeDataSource(),
    meter: { ds: makeDataSource({}, METERED), proxy },
    recorder,
    promUrl: prom.url,
  };
  try {
    for (const [title, section] of SECTIONS) {
      if (ONLY && !ONLY.some((word) => title.includes(word))) {
        continue;
      }
      try {
        await runSection(title, () => section(rig));
      } finally {
        // The recorder keeps every answer it relays (for replays): let a section's go, so the next
        // one's timings do not carry a heap that grew with them (the all-container answers are ~200 MB).
        recorder.reset();
        recorder.restore();
        installTemplateSrv([]);
      }
    }
  } finally {
    await proxy.close();
    await prom.stop();
  }
  // On its own Prometheus (the raw blocks plus the rules' backfilled blocks); a failure is a row, as above.
  const recordedTitle = 'recording rules loaded';
  if (!ONLY || ONLY.some((word) => recordedTitle.includes(word))) {
    await runSection(recordedTitle, async () => {
      rows.push(...(await recordedRulesRows(P, tsdb, REPS, log)));
    });
  }
  log(`\nload:        ${loadavg()} (1/5/15 min) at the end`);
  printTable();
  printDefinitions();
  const seconds = (Date.now() - started) / 1000;
  log(`\nThis run took ${(seconds / 60).toFixed(1)} min (${seconds.toFixed(0)} s).`);
}

/** Runs one section under its title; a failure is a row of its own, so the table still prints. */
async function runSection(title: string, section: () => Promise<void>) {
  log(`\n== ${title} ==`);
  try {
    await section();
  } catch (e) {
    const message = describeFetchError(e);
    log(`FAILED: ${message}`);
    rows.push({
      name: `${title}: did not finish`,
      goal: '—',
      measured: `failed: ${message.slice(0, 120)}`,
      pass: false,
    });
  }
}

const loadavg = () =>
  os
    .loadavg()
    .map((x) => x.toFixed(2))
    .join(' / ');

/** Bytes Prometheus sends for one execution, counted by the proxy. */
async function bytesOf(proxy: Proxy, fn: () => Promise<unknown>): Promise<number> {
  return (await metered(proxy, fn)).bytes;
}

/** Requests and bytes of one execution, counted by the proxy. */
async function metered(proxy: Proxy, fn: () => Promise<unknown>): Promise<{ requests: number; bytes: number }> {
  const before = proxy.requests.length;
  await fn();
  const sent = proxy.requests.slice(before);
  return { requests: sent.length, bytes: sent.reduce((a, r) => a + r.upstreamBytes, 0) };
}

/** One execution's wall time. */
async function measure(fn: () => Promise<unknown>): Promise<{ ms: number }> {
  return { ms: (await timed(fn)).ms };
}

/** The stock panel's query over the bench's range (HTTP + Grafana's JSON parse). */
const stock = (expr: string, uid = UID): Promise<any> => stockQuery(uid, expr, FROM, P);

/** A panel of the plugin over the whole dataset (12 h, step 60 s), or over `request`'s range. */
async function plugin(
  ds: DataSource,
  target: Partial<RealMemoryQuery>,
  request: Partial<DataQueryRequest<RealMemoryQuery>> = {}
): Promise<DataQueryResponse> {
  const req = panelRequest([target], FROM, P.end, { intervalMs: P.step * 1000, maxDataPoints: P.points, ...request });
  return checked(await lastValueFrom(ds.query(req)));
}

function checked(res: DataQueryResponse): DataQueryResponse {
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

function frames(res: DataQueryResponse): DataFrame[] {
  return res.data as DataFrame[];
}

/** The frames' values, comparable with another run's (labels, field names, every value). */
function valuesOf(res: DataQueryResponse): string {
  return JSON.stringify(frames(res).map((f) => f.fields.map((x) => [x.name, x.labels ?? {}, Array.from(x.values)])));
}

const runs = (xs: number[]) => xs.map((x) => x.toFixed(0)).join(', ');
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const KB = (bytes: number) => `${(bytes / 1e3).toFixed(0)} KB`;

function ratioRow(name: string, value: number, stockValue: number, goal: number): Row {
  const r = value / stockValue;
  return { name, goal: `≤ ${goal}× stock`, measured: `${r.toFixed(2)}× stock`, pass: r <= goal };
}

// --- sections -----------------------------------------------------------------------------------

/** Real used vs working set and the breakdown of one namespace (100 containers), beside the stock panel. */
async function namespaceViews({ ds, meter, recorder, promUrl }: Rig) {
  // Sanity: the plugin's working set equals the stock query's, point by point, for every container.
  const stockNs = await stock(STOCK_WS(NS_SEL));
  const rvw = await plugin(ds, { view: 'realVsWorkingSet', namespace: NS });
  checkSameWorkingSet(stockNs, rvw);
  log(`${NS}: ${stockNs.data.result.length} containers; plugin and stock agree on every working-set point`);

  const ns = await sideBySide(
    meter,
    (uid) => stock(STOCK_WS(NS_SEL), uid),
    (_, d) => plugin(d, { view: 'realVsWorkingSet', namespace: NS }),
    ds
  );
  log(`stock panel:              ${sec(ns.a.ms)} (runs ${runs(ns.a.all)} ms), ${MB(ns.a.bytes)}`);
  log(`real used vs working set: ${sec(ns.b.ms)} (runs ${runs(ns.b.all)} ms), ${MB(ns.b.bytes)}`);
  rows.push(ratioRow('real used vs working set, 1 namespace: time', ns.b.ms, ns.a.ms, 1.5));
  rows.push(ratioRow('real used vs working set, 1 namespace: bytes', ns.b.bytes, ns.a.bytes, 2.2));

  const bd = await sideBySide(
    meter,
    (uid) => stock(STOCK_WS(NS_SEL), uid),
    (_, d) => plugin(d, { view: 'breakdown', namespace: NS }),
    ds
  );
  log(`stock panel:              ${sec(bd.a.ms)} (runs ${runs(bd.a.all)} ms), ${MB(bd.a.bytes)}`);
  log(`breakdown:                ${sec(bd.b.ms)} (runs ${runs(bd.b.all)} ms), ${MB(bd.b.bytes)}`);
  rows.push(ratioRow('breakdown, 1 namespace: time', bd.b.ms, bd.a.ms, 2.5));
  rows.push({
    name: 'breakdown, 1 namespace: bytes (info)',
    goal: '—',
    measured: `${(bd.b.bytes / bd.a.bytes).toFixed(2)}× stock`,
  });

  // The floor: Prometheus alone answering the breakdown's queries (all at once, bodies read, not
  // parsed), against the same for the stock panel's one query.
  recorder.reset();
  await plugin(ds, { view: 'breakdown', namespace: NS });
  const breakdownRequests = [...recorder.sent];
  const stockRequest = {
    path: '/api/v1/query_range',
    body: new URLSearchParams({
      query: STOCK_WS(NS_SEL),
      start: String(FROM),
      end: String(P.end),
      step: String(P.step),
    }).toString(),
  };
  const floorBreakdown = await prometheusAlone(promUrl, breakdownRequests);
  const floorStock = await prometheusAlone(promUrl, [stockRequest]);
  log(
    `Prometheus alone (no Grafana, no JSON parse): the breakdown's ${breakdownRequests.length} queries at once ${sec(floorBreakdown)}, ` +
      `the stock panel's query ${sec(floorStock)}`
  );
  for (const r of breakdownRequests) {
    log(`  ${r.path} ${String(r.params.query).slice(0, 110)}`);
  }
  rows.push({
    name: "breakdown, 1 namespace: Prometheus' own time (the floor)",
    goal: '—',
    measured: `${sec(floorBreakdown)} = ${(floorBreakdown / bd.a.ms).toFixed(2)}× the stock panel (its query alone: ${sec(floorStock)})`,
  });
}

type BenchRequest = { path: string; body?: string };

/** Median wall time of `requests` sent all at once by `send`, over REPS runs after one warm-up. */
async function medianAtOnce(requests: BenchRequest[], send: (r: BenchRequest) => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < REPS + 1; i++) {
    const t = await timed(() => Promise.all(requests.map(send)));
    if (i > 0) {
      times.push(t.ms);
    }
  }
  return median(times);
}

/** Median wall time of `requests` sent straight to Prometheus all at once. */
const prometheusAlone = (promUrl: string, requests: BenchRequest[]) =>
  medianAtOnce(requests, (r) => promDirect(promUrl, r.path, r.body));

/**
 * Median time of `requests` at once through the BackendSrv the plugin uses (HTTP, Grafana's JSON
 * parse), with no plugin work: the floor of any data source that asks the same questions here.
 */
const fetchAlone = (requests: BenchRequest[]) =>
  medianAtOnce(requests, (r) =>
    lastValueFrom(
      getBackendSrv().fetch({
        url: `/api/datasources/proxy/uid/${UID}${r.path}`,
        method: 'POST',
        data: r.body,
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      })
    )
  );

/** One request straight to Prometheus, its body read (as bytes) but not parsed. */
async function promDirect(promUrl: string, apiPath: string, body?: string): Promise<number> {
  const res = await fetch(promUrl + apiPath, {
    method: 'POST',
    body,
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
  });
  const bytes = (await res.arrayBuffer()).byteLength;
  if (!res.ok) {
    throw new Error(`Prometheus answered ${res.status} to ${apiPath}`);
  }
  return bytes;
}

/** Sanity: the plugin's working set equals the stock query's, point by point, for every container. */
function checkSameWorkingSet(stockBody: any, res: DataQueryResponse) {
  if (frames(res).length !== stockBody.data.result.length) {
    throw new Error(`plugin returned ${frames(res).length} groups, stock ${stockBody.data.result.length}`);
  }
  for (const series of stockBody.data.result) {
    const f = frames(res).find((fr) =>
      fr.fields.some((x) => x.labels?.pod === series.metric.pod && x.labels?.container === series.metric.container)
    );
    const ws = f?.fields.find((x) => x.name === 'working set');
    const expected = series.values.map((v: [number, string]) => Number(v[1]));
    if (!ws || JSON.stringify(Array.from(ws.values)) !== JSON.stringify(expected)) {
      throw new Error(
        `plugin and stock disagree on the working set of ${series.metric.pod}/${series.metric.container}`
      );
    }
  }
}

/** The whole cluster: top 50 by real used. */
async function topN({ ds, meter }: Rig) {
  const top = await plugin(ds, { view: 'realVsWorkingSet', topN: 50 });
  const notice = frames(top)[0]?.meta?.notices?.find((n) => /top N/.test(n.text))?.text;
  log(`${frames(top).length} groups; notice: "${notice}"`);
  const topRuns: number[] = [];
  for (let i = 0; i < REPS; i++) {
    topRuns.push((await measure(() => plugin(ds, { view: 'realVsWorkingSet', topN: 50 }))).ms);
  }
  const topMs = median(topRuns);
  const topBytes = await bytesOf(meter.proxy, () => plugin(meter.ds, { view: 'realVsWorkingSet', topN: 50 }));
  log(`real used vs working set, top 50 of ${P.containers}: ${sec(topMs)} (runs ${runs(topRuns)} ms), ${MB(topBytes)}`);
  rows.push({
    name: 'whole cluster, top 50 by real used: time',
    goal: '≤ 1.5 s',
    measured: sec(topMs),
    pass: topMs <= 1500,
  });
}

const SIX_HOURS = 6 * 3600;
/** A dashboard refresh interval: the panel asks again 30 s later. */
const REFRESH_AFTER = 30;
/** Grafana's incremental refresh goal: a refresh costs a small part of a full query. */
const REFRESH_GOAL = 0.1;

/** A "last 6 hours" panel (relative, ending now) whose now is `endSec`. */
function sixHourPanel(target: Partial<RealMemoryQuery>, endSec: number): DataQueryRequest<RealMemoryQuery> {
  const from = endSec - SIX_HOURS;
  return panelRequest([target], from, endSec, {
    panelId: 11,
    dashboardUID: 'bench',
    intervalMs: P.step * 1000,
    maxDataPoints: 1000,
    range: { from: dateTime(from * 1000), to: dateTime(endSec * 1000), raw: { from: 'now-6h', to: 'now' } },
  });
}

/** A 6-hour panel ranks top N at 15-minute marks (run/ranking.ts). */
const RANK_EVERY = rankEverySeconds({ start: 0, end: SIX_HOURS, step: P.step });
/** Refreshes every 30 s for one ranking period: the last one reaches a new mark and ranks again. */
const CYCLE = RANK_EVERY / REFRESH_AFTER;

/** The frames' values and notices: a refresh must say what a full query says. */
const answerOf = (res: DataQueryResponse) =>
  valuesOf(res) + JSON.stringify(frames(res).map((f) => f.meta?.notices ?? []));

/**
 * A 6-hour panel loaded at a ranking mark, then refreshed every 30 s until the next mark
 * (incremental: only the new points and the overlap window; top N ranks again only at the mark).
 * A refresh's cost is the mean over that cycle, against the first, full query. Each repetition
 * starts from an empty cache (a new data source). Every refreshed answer is checked against a
 * full query at the same moment. The dataset ends at a mark, so every "now" has its data.
 */
async function refreshes({ meter, recorder, promUrl }: Rig) {
  const cases: Array<[string, Partial<RealMemoryQuery>]> = [
    ['1 namespace', { view: 'realVsWorkingSet', namespace: NS }],
    ['top 50 of the cluster', { view: 'realVsWorkingSet', topN: 50 }],
  ];
  const first = P.end - RANK_EVERY;
  const nows = Array.from({ length: CYCLE }, (_, k) => first + REFRESH_AFTER * (k + 1));
  for (const [name, target] of cases) {
    const run = async (ds: DataSource, endSec: number) =>
      checked(await lastValueFrom(ds.query(sixHourPanel(target, endSec))));
    // Correctness first: each merged answer equals a full query's at the same moment.
    const fresh = makeDataSource();
    await run(fresh, first);
    for (const now of nows) {
      if (answerOf(await run(fresh, now)) !== answerOf(await run(makeDataSource(), now))) {
        throw new Error(`${name}: the refresh at +${now - first} s differs from a full query's`);
      }
    }
    const fullMs: number[] = [];
    const refreshMs: number[] = [];
    for (let i = 0; i < REPS + 1; i++) {
      const ds = makeDataSource();
      const full = await timed(() => run(ds, first));
      let cycle = 0;
      for (const now of nows) {
        cycle += (await timed(() => run(ds, now))).ms;
      }
      if (i > 0) {
        fullMs.push(full.ms);
        refreshMs.push(cycle / CYCLE);
      }
    }
    const metered = makeDataSource({}, METERED);
    const fullBytes = await bytesOf(meter.proxy, () => run(metered, first));
    let cycleBytes = 0;
    for (const now of nows) {
      cycleBytes += await bytesOf(meter.proxy, () => run(metered, now));
    }
    const refreshBytes = cycleBytes / CYCLE;
    const [f, r] = [median(fullMs), median(refreshMs)];
    log(
      `${name}: full ${f.toFixed(0)} ms (runs ${runs(fullMs)}), ${KB(fullBytes)}; refresh, mean of ${CYCLE} over ${RANK_EVERY / 60} min, ` +
        `${r.toFixed(0)} ms (runs ${runs(refreshMs)}), ${KB(refreshBytes)}; every refreshed answer equals a full query's`
    );
    // What Prometheus alone takes (each query's requests at once, bodies not parsed): the refresh's floor.
    const ds = makeDataSource();
    recorder.reset();
    await run(ds, first);
    const fullRequests = [...recorder.sent];
    const refreshRequests: Array<typeof fullRequests> = [];
    for (const now of nows) {
      recorder.reset();
      await run(ds, now);
      refreshRequests.push([...recorder.sent]);
    }
    const pf = await prometheusAlone(promUrl, fullRequests);
    let pr = 0;
    for (const requests of refreshRequests) {
      pr += requests.length ? await prometheusAlone(promUrl, requests) : 0;
    }
    pr /= CYCLE;
    // The same requests through Grafana's fetch (the BackendSrv the plugin uses: HTTP, JSON parse), no plugin work.
    const tf = await fetchAlone(fullRequests);
    let tr = 0;
    for (const requests of refreshRequests) {
      tr += requests.length ? await fetchAlone(requests) : 0;
    }
    tr /= CYCLE;
    const kinds = (requests: typeof fullRequests) =>
      requests
        .map((q) => (q.path.endsWith('query') ? 'instant' : `range ${Number(q.params.end) - Number(q.params.start)} s`))
        .join(', ');
    log(
      `  Prometheus alone: full ${pf.toFixed(0)} ms (${fullRequests.length} requests), refresh ${pr.toFixed(0)} ms = ${pct(pr / pf)}; ` +
        `a refresh asks: ${kinds(refreshRequests[0])}; at the mark: ${kinds(refreshRequests[CYCLE - 1])}`
    );
    log(
      `  through Grafana's fetch, no plugin work: full ${tf.toFixed(0)} ms, refresh ${tr.toFixed(0)} ms = ${pct(tr / tf)}`
    );
    rows.push({
      name: `refresh of a 6-hour panel, ${name}: bytes`,
      goal: `≤ ${pct(REFRESH_GOAL)} of full`,
      measured: `${pct(refreshBytes / fullBytes)} (${KB(refreshBytes)} of ${KB(fullBytes)})`,
      pass: refreshBytes / fullBytes <= REFRESH_GOAL,
    });
    rows.push({
      name: `refresh of a 6-hour panel, ${name}: time`,
      goal: `≤ ${pct(REFRESH_GOAL)} of full`,
      measured: `${pct(r / f)} (${r.toFixed(0)} of ${f.toFixed(0)} ms)`,
      pass: r / f <= REFRESH_GOAL,
    });
    rows.push({
      name: `refresh of a 6-hour panel, ${name}: Prometheus' own time (the floor)`,
      goal: '—',
      measured: `${pct(pr / pf)} of its full query's (${pr.toFixed(0)} of ${pf.toFixed(0)} ms)`,
    });
    rows.push({
      name: `refresh of a 6-hour panel, ${name}: through Grafana's fetch, no plugin work`,
      goal: '—',
      measured: `${pct(tr / tf)} (${tr.toFixed(0)} of ${tf.toFixed(0)} ms)`,
    });
  }
}

const DASHBOARD = path.resolve(__dirname, '../../provisioning/dashboards/real-memory.json');

/**
 * The provisioned dashboard's first load: every panel's targets at once, as Grafana sends them,
 * with `$namespace` = one namespace and pod, container and node on All. Without sharing (each
 * panel asks for itself) and with it (identical range queries asked once).
 */
async function dashboardLoad({ meter }: Rig) {
  const dashboard = JSON.parse(fs.readFileSync(DASHBOARD, 'utf8'));
  const panels: any[] = dashboard.panels.flatMap((p: any) => (p.type === 'row' ? (p.panels ?? []) : [p]));
  const targets = panels.filter((p) => p.targets?.length);
  const containers = benchContainers(P).filter((c) => c.namespace === NS);
  installTemplateSrv([
    { name: 'namespace', value: NS },
    { name: 'pod', value: '$__all', options: [...new Set(containers.map((c) => c.pod))] },
    { name: 'container', value: '$__all', options: [...new Set(containers.map((c) => c.container))] },
    { name: 'node', value: '$__all', options: Array.from({ length: P.nodes }, (_, n) => nodeName(n)) },
  ]);
  // Grafana's default range for this dashboard, a panel 1,000 points wide (step 2 s).
  const rangeSeconds = 30 * 60;
  const load = (ds: DataSource) =>
    Promise.all(
      targets.map(async (panel) => {
        const req = panelRequest(panel.targets, P.end - rangeSeconds, P.end, {
          panelId: panel.id,
          dashboardUID: dashboard.uid,
          intervalMs: 2000,
          maxDataPoints: 1000,
          range: {
            from: dateTime((P.end - rangeSeconds) * 1000),
            to: dateTime(P.end * 1000),
            raw: { from: 'now-30m', to: 'now' },
          },
        });
        return checked(await lastValueFrom(ds.query(req)));
      })
    );
  const variants: Array<[string, (uid?: string) => DataSource]> = [
    ['sharing off', (uid) => withoutSharing(makeDataSource({}, uid))],
    ['sharing on', (uid) => makeDataSource({}, uid)],
  ];
  const results: Array<{ requests: number; bytes: number; ms: number }> = [];
  for (const [name, make] of variants) {
    const counted = await metered(meter.proxy, () => load(make(METERED)));
    const times: number[] = [];
    for (let i = 0; i < 4; i++) {
      const t = await timed(() => load(make()));
      if (i > 0) {
        times.push(t.ms);
      }
    }
    results.push({ ...counted, ms: median(times) });
    log(
      `${name}: ${targets.length} panels, ${counted.requests} requests, ${MB(counted.bytes)}, ${sec(median(times))} (runs ${runs(times)} ms)`
    );
  }
  const [off, on] = results;
  rows.push({
    name: `dashboard's full load (${targets.length} panels): requests`,
    goal: 'fewer with sharing',
    measured: `${off.requests} → ${on.requests} (sharing off → on)`,
    pass: on.requests < off.requests,
  });
  rows.push({
    name: `dashboard's full load (${targets.length} panels): bytes`,
    goal: 'fewer with sharing',
    measured: `${MB(off.bytes)} → ${MB(on.bytes)}`,
    pass: on.bytes < off.bytes,
  });
  rows.push({
    name: `dashboard's full load (${targets.length} panels): time (info)`,
    goal: '—',
    measured: `${sec(off.ms)} → ${sec(on.ms)}`,
  });
}

/** The data source as it was before range queries were shared: every target asks Prometheus itself. */
function withoutSharing(ds: DataSource): DataSource {
  const shared = ds.shared as unknown as { queryRange: DataSource['shared']['queryRange'] };
  shared.queryRange = (expr, range, requestId, signal) =>
    ds.client.withSignal(signal ?? new AbortController().signal).queryRange(expr, range, requestId);
  return ds;
}

/** The plugin's own work stays under this share of a panel query's time. */
const OWN_WORK_GOAL = 0.1;
/** Live time each view's own-work measure spends at least (more rounds for small queries), and its most rounds. */
const OWN_WORK_MS = 2000;
const MAX_OWN_WORK_ROUNDS = 60;

const gc = (global as any).gc as (() => void) | undefined;

/**
 * The plugin's own work for one panel query: the same query with Prometheus' answers replayed
 * from memory (recorded from a live run), so no network and no JSON decoding (Grafana's fetch
 * does that) — what is left is everything the plugin computes: reading the sample strings,
 * alignment, derivation, frames. Its share is the replays' median divided by the live queries'
 * median wall time, two replays per live query, taking turns (REPS live queries, more for a small
 * one); warm-up runs (JIT, Prometheus' page cache) are left out of both, and so is the replay right
 * after each live query. No GC is forced between runs: a forced full GC
 * makes the next run ~3× slower (the heap shrinks and is grown again), which no panel sees.
 */
async function ownWork(ds: DataSource, recorder: Recorder, target: Partial<RealMemoryQuery>, request = {}) {
  const run = () => plugin(ds, target, request);
  await run();
  recorder.reset();
  // Warm-up, and the answers the replays serve. A small query (tens of ms) gets more rounds: its
  // median moved by 3–7 points between runs at 7 (eviction order: 7.8%, 14.5%).
  const { ms: once } = await timed(run);
  const rounds = Math.min(MAX_OWN_WORK_ROUNDS, Math.max(REPS, Math.ceil(OWN_WORK_MS / once)));
  const live: Array<{ total: number; http: number }> = [];
  const replayed: number[] = [];
  try {
    recorder.replay();
    await run();
    await run();
    // Live queries and replays take turns, so both see the same load on a shared machine.
    for (let i = 0; i < rounds; i++) {
      recorder.restore();
      recorder.resetTimings();
      const { ms } = await timed(run);
      live.push({ total: ms, http: recorder.httpMs() });
      recorder.replay();
      // Untimed: the replay right after a live query paid for that query's garbage (Grafana's JSON
      // parse of the answers), twice as slow as the next one on the 40-node view.
      await run();
      for (let k = 0; k < REPLAYS / REPS; k++) {
        replayed.push((await timed(run)).ms);
      }
    }
  } finally {
    recorder.restore();
  }
  return {
    total: median(live.map((r) => r.total)),
    own: median(replayed),
    replayed,
    outsideHttp: median(live.map((r) => r.total - r.http)),
    lives: live.map((r) => r.total),
  };
}

async function ownWorkPerView({ ds, recorder }: Rig) {
  const views: Array<[string, Partial<RealMemoryQuery>]> = [
    ['real used vs working set, 1 namespace', { view: 'realVsWorkingSet', namespace: NS }],
    ['breakdown, 1 namespace', { view: 'breakdown', namespace: NS }],
    ['headroom, 1 namespace', { view: 'headroom', namespace: NS }],
    ['leak check, 1 namespace', { view: 'leakCheck', namespace: NS }],
    ['real used vs working set, top 50', { view: 'realVsWorkingSet', topN: 50 }],
    [`nodes, memory (${P.nodes} nodes)`, { view: 'nodes', nodeView: 'memory' }],
    [`nodes, breakdown (${P.nodes} nodes)`, { view: 'nodes', nodeView: 'breakdown' }],
    ['nodes, eviction order (1 node)', { view: 'nodes', node: nodeName(7), showEvictionOrder: true }],
  ];
  for (const [name, target] of views) {
    try {
      const w = await ownWork(ds, recorder, target);
      const share = w.own / w.total;
      log(
        `${name}: query ${w.total.toFixed(0)} ms (${w.lives.length} runs: ${runs(w.lives.slice(0, 7))}${w.lives.length > 7 ? ', …' : ''}); ` +
          `own work ${w.own.toFixed(1)} ms (${w.replayed.length} replays: ${w.replayed
            .slice(0, 14)
            .map((x) => x.toFixed(1))
            .join(', ')}${w.replayed.length > 14 ? ', …' : ''}) = ${pct(share)}; ` +
          `no request in flight ${w.outsideHttp.toFixed(1)} ms (${pct(w.outsideHttp / w.total)})`
      );
      rows.push({
        name: `plugin's own work, ${name}`,
        goal: `≤ ${pct(OWN_WORK_GOAL)}`,
        measured: `${pct(share)} (${w.own.toFixed(1)} of ${w.total.toFixed(0)} ms)`,
        pass: share <= OWN_WORK_GOAL,
      });
    } catch (e) {
      const message = describeFetchError(e);
      log(`${name}: FAILED ${message}`);
      rows.push({
        name: `plugin's own work, ${name}`,
        goal: `≤ ${pct(OWN_WORK_GOAL)}`,
        measured: `failed: ${message.slice(0, 100)}`,
        pass: false,
      });
    }
  }
}

/** Heap goal for one query of every container (2,000 × 720 points × 2 metrics = 2.9 M input points). */
const HEAP_GOAL_MB = 120;

/**
 * The memory one query of all 2,000 containers leaves behind: the heap (plus typed arrays' buffers,
 * which live outside it) in use after a full GC while the query's frames are still referenced,
 * minus the same before the query — measured once the share window (SHARE_MS) has passed, so it is
 * what a panel holds while it shows the result. Prometheus' answers are replayed from memory and
 * are part of the baseline (Grafana's parsed JSON, not the plugin's). Also: the same just after the
 * query, before any GC (an estimate of the peak).
 */
async function heap({ ds, meter, recorder }: Rig) {
  const target: Partial<RealMemoryQuery> = { view: 'realVsWorkingSet' };
  recorder.reset();
  await plugin(ds, target); // records the answers
  recorder.replay();
  try {
    const inputPoints = 2 * P.containers * P.points;
    const times: number[] = [];
    for (let i = 0; i < 3; i++) {
      times.push((await timed(() => plugin(ds, target))).ms);
    }
    const ms = median(times);
    const rate = inputPoints / (ms / 1000);
    log(
      `derivation (parse, align, derive, frames), replayed: ${ms.toFixed(0)} ms for ${inputPoints.toLocaleString('en')} input points → ${(rate / 1e6).toFixed(2)} M points/s`
    );
    rows.push({
      name: 'derivation throughput, replayed (input points/s)',
      goal: '—',
      measured: `${(rate / 1e6).toFixed(2)} M/s`,
    });
    if (!gc) {
      rows.push({
        name: 'heap',
        goal: `≤ ${HEAP_GOAL_MB} MB`,
        measured: 'run with node --expose-gc (npm run bench does)',
        pass: false,
      });
      return;
    }
    const inUse = () => {
      const m = process.memoryUsage();
      return m.heapUsed + m.arrayBuffers;
    };
    // Typed arrays' buffers are freed a little after the GC that finds them unreachable.
    const settled = async () => {
      for (let i = 0; i < 3; i++) {
        gc();
        await new Promise((r) => setTimeout(r, 50));
      }
      return inUse();
    };
    await new Promise((r) => setTimeout(r, SHARE_MS + 200)); // earlier runs' shared answers let go
    let majorGcs = 0;
    const obs = new PerformanceObserver((list) => {
      majorGcs += list.getEntries().filter((e: any) => e.detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR).length;
    });
    obs.observe({ entryTypes: ['gc'] });
    const base = await settled();
    majorGcs = 0;
    let res: DataQueryResponse | undefined = await plugin(ds, target);
    const atEnd = inUse() - base;
    await new Promise((r) => setImmediate(r)); // let the observer report
    const gcsDuring = majorGcs;
    obs.disconnect();
    const withinWindow = (await settled()) - base;
    await new Promise((r) => setTimeout(r, SHARE_MS + 200));
    const retained = (await settled()) - base;
    const groups = frames(res).length;
    const values = frames(res).reduce((n, f) => n + f.fields.reduce((m, x) => m + x.values.length, 0), 0);
    res = undefined;
    const afterDrop = (await settled()) - base;
    log(
      `baseline ${MB(base)} (incl. the recorded answers); one query of ${groups} groups (${values.toLocaleString('en')} frame values): ` +
        `retained ${MB(retained)} (${(retained / inputPoints).toFixed(1)} bytes per input point); within the ${SHARE_MS / 1000} s share ` +
        `window ${MB(withinWindow)} (the raw answers, kept for other panels); in use at the end before GC ${MB(atEnd)} ` +
        `(${gcsDuring} major GCs during it); after dropping the frames ${MB(afterDrop)}`
    );
    rows.push({
      name: `heap retained by one query's frames, all ${P.containers} containers (2.9 M points)`,
      goal: `≤ ${HEAP_GOAL_MB} MB`,
      measured: `+${MB(retained)}`,
      pass: retained <= HEAP_GOAL_MB * 1e6,
    });
    rows.push({
      name: 'heap in use at the end of that query, before GC (peak estimate, info)',
      goal: '—',
      measured: `+${MB(atEnd)}`,
    });
    // The metered run last: its bytes for the reference row.
    recorder.restore();
    const bytes = await bytesOf(meter.proxy, () => plugin(meter.ds, target));
    log(`bytes of that query: ${MB(bytes)}`);
  } finally {
    recorder.restore();
  }
}

/** Slow queries for context: each in its own try, so one failing is reported in its row. */
async function references({ ds, meter }: Rig) {
  const reference = async (name: string, fn: () => Promise<{ ms: number; bytes: number; note?: string }>) => {
    try {
      const r = await fn();
      log(`${name}: ${sec(r.ms)}, ${MB(r.bytes)}${r.note ? ` ${r.note}` : ''}`);
      rows.push({ name: `${name} (reference)`, goal: '—', measured: `${sec(r.ms)}, ${MB(r.bytes)}` });
    } catch (e) {
      // Grafana's fetch rejects with a FetchError object, not an Error: the plugin's own wording of it.
      const message = describeFetchError(e);
      log(`${name}: FAILED ${message}`);
      rows.push({ name: `${name} (reference)`, goal: '—', measured: `failed: ${message.slice(0, 100)}`, pass: false });
    }
  };
  await reference(`real used vs working set, all ${P.containers} (no top N)`, async () => {
    const { ms } = await measure(() => plugin(ds, { view: 'realVsWorkingSet' }));
    return { ms, bytes: await bytesOf(meter.proxy, () => plugin(meter.ds, { view: 'realVsWorkingSet' })) };
  });
  if (QUICK) {
    log('--quick: the stock query over all containers and the six-metric query are left out');
    return;
  }
  await reference(`stock panel, all ${P.containers} containers`, async () => {
    const times: number[] = [];
    for (let i = 0; i < 3; i++) {
      times.push((await measure(() => stock(STOCK_WS(ALL_SEL)))).ms);
    }
    return {
      ms: median(times),
      bytes: await bytesOf(meter.proxy, () => stock(STOCK_WS(ALL_SEL), METERED)),
      note: `(runs ${runs(times)} ms)`,
    };
  });
  // Once, through the byte-counting proxy (its copy of ~200 MB adds a little to the time).
  await reference(`six metrics in one {__name__=~…} query, all ${P.containers}`, async () => {
    let bytes = 0;
    const { ms } = await measure(async () => (bytes = await bytesOf(meter.proxy, () => stock(COMBINED, METERED))));
    return { ms, bytes, note: '(one run, through the proxy)' };
  });
}

async function bundle() {
  const dist = path.resolve(__dirname, '../../dist/module.js');
  if (!fs.existsSync(dist)) {
    rows.push({
      name: 'dist/module.js',
      goal: '≤ 150 KB minified',
      measured: 'not built: run npm run build first',
      pass: false,
    });
    return;
  }
  const buf = fs.readFileSync(dist);
  const gz = zlib.gzipSync(buf, { level: 9 }).length;
  // The goal is on the entry, which every dashboard loads; chunks beside it load on demand.
  const chunks = fs
    .readdirSync(path.dirname(dist))
    .filter((f) => f.endsWith('.js') && f !== 'module.js')
    .map((f) => {
      const chunk = fs.readFileSync(path.join(path.dirname(dist), f));
      const name = f.replace(/\.js$/, '');
      const when = name === 'configEditor' ? 'only on the data-source settings page' : 'on demand';
      return `; ${name} chunk: ${(chunk.length / 1024).toFixed(1)} KB minified, ${(zlib.gzipSync(chunk, { level: 9 }).length / 1024).toFixed(1)} KB gzipped, loaded ${when}`;
    });
  log(
    `dist/module.js: ${(buf.length / 1024).toFixed(1)} KB minified, ${(gz / 1024).toFixed(1)} KB gzipped (built ${fs.statSync(dist).mtime.toISOString()})${chunks.join('')}`
  );
  rows.push({
    name: 'dist/module.js (minified / gzipped)',
    goal: '≤ 150 KB minified',
    measured: `${(buf.length / 1024).toFixed(1)} KB / ${(gz / 1024).toFixed(1)} KB`,
    pass: buf.length <= 150 * 1024,
  });
}

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

function printDefinitions() {
  log(`
What the rows measure:
- time ratios: median wall time of the plugin's panel query / the stock panel's query (working set,
  sum by (namespace, pod, container) of max by, through the same BackendSrv), alternated, ${REPS} runs each.
- Prometheus' own time: the breakdown's requests sent straight to Prometheus at once, bodies read
  but not parsed: what no plugin can go below.
- refresh: a "last 6 hours" panel (step 60 s) loaded at a ranking mark and refreshed every 30 s until
  the next (${CYCLE} refreshes, the last ranks top N again): the mean refresh against the first, full
  query (each run from an empty cache); every refreshed answer is checked equal to a full query's.
- dashboard: every panel of provisioning/dashboards at once (30 min, 1,000 points wide, one namespace,
  pods, containers and nodes on All), requests and bytes through the counting proxy.
- own work: the panel query with Prometheus' answers replayed from memory (no network, no JSON decoding,
  which Grafana's fetch does): parse of the sample strings, alignment, derivation and frames; median of
  the replays over the median of the live queries, ${REPLAYS / REPS} replays per live query, taking turns, warm-up
  runs and the replay right after each live query (it pays for that query's garbage) left out; ${REPS} live queries, more for a small query (at least ${OWN_WORK_MS / 1000} s of them, at most ${MAX_OWN_WORK_ROUNDS}).
- heap: heap plus typed-array buffers in use after a full GC while the query's frames are held, minus
  before it, once the ${SHARE_MS / 1000} s share window has passed (node --expose-gc).`);
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  }
);
