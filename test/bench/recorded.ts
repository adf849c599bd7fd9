// The benchmark's row "real used vs working set, recording rules loaded": the bench cluster with
// rules/real-memory.rules.yml evaluated over it, the plugin (reading the recorded series) against
// the stock working-set panel, on the same Prometheus.
//
// The recorded series are backfilled once with `promtool tsdb create-blocks-from rules` against a
// Prometheus on the cached raw blocks. Prometheus merges the rule blocks into the raw ones that
// overlap them (vertical compaction) about a minute after it starts, so that is done once too:
// the merged blocks are cached beside the raw ones (.tmp/bench/<key>/rules-<rule file hash>) and
// later runs start on them at once.
import { execFile } from 'child_process';
import crypto from 'crypto';
import { DataQueryResponse } from '@grafana/data';
import { getBackendSrv } from '@grafana/runtime';
import fs from 'fs';
import path from 'path';
import { lastValueFrom } from 'rxjs';
import { promisify } from 'util';

import { RECORDED } from '../../src/recordingRules/rules';
import { installBackendSrv } from '../support/backendSrv';
import { makeDataSource, panelRequest } from '../support/dataSource';
import { httpRequest, sleep } from '../support/http';
import { startPrometheus } from '../support/prometheus';
import { BenchParams, namespaceName, paramsKey } from './dataset';
import { median, sec, timed } from './measure';
import { CACHE_DIR, startOnBlocks } from './tsdbCache';

const execFileP = promisify(execFile);
const ROOT = path.resolve(__dirname, '../..');
const RULE_FILE = path.join(ROOT, 'rules/real-memory.rules.yml');
const UID = 'bench-recorded';

export interface RecordedRow {
  name: string;
  goal: string;
  measured: string;
  pass?: boolean;
}

/** Goal from issue 10: reading the recorded series costs no more than the stock panel. */
const GOAL_RATIO = 1.0;

/** The rows, measured on a Prometheus that holds the cluster and its recorded series. */
export async function recordedRulesRows(
  p: BenchParams,
  rawTsdb: string,
  reps: number,
  log: (s: string) => void
): Promise<RecordedRow[]> {
  const tsdb = await cachedRuleBlocks(p, rawTsdb, (s) => log(`             ${s}`));
  const prom = await startOnBlocks(tsdb);
  try {
    installBackendSrv({ [UID]: prom.url });
    const ds = makeDataSource({}, UID);
    const ns = namespaceName(7);
    // One step after the first sample: the rules' first result comes a moment after it, and the
    // plugin reads the recorded series only when they exist at the range's start.
    const from = p.end - (p.points - 2) * p.step;
    const target = { view: 'realVsWorkingSet' as const, namespace: ns };
    const plugin = async (): Promise<DataQueryResponse> => {
      const res = await lastValueFrom(
        ds.query(panelRequest([target], from, p.end, { intervalMs: p.step * 1000, maxDataPoints: p.points }))
      );
      if (res.errors?.length) {
        throw new Error(`plugin query failed: ${res.errors.map((e) => e.message).join('; ')}`);
      }
      return res;
    };
    const sel = `namespace="${ns}", container!="", image!=""`;
    const stockExpr = `sum by (namespace, pod, container) (max by (namespace, pod, container) (container_memory_working_set_bytes{${sel}}))`;
    const stock = () => stockQuery(UID, stockExpr, from, p);

    // Warm-up (and the data source's probe); the row is meaningless unless the recorded series were read.
    const first = await plugin();
    const executed = first.data[0]?.meta?.executedQueryString ?? '';
    if (!executed.includes(`${RECORDED.workingSet}{`)) {
      throw new Error(`the plugin did not read the recorded series:\n${executed}`);
    }
    const stockBody = await stock();
    if (first.data.length !== stockBody.data.result.length) {
      throw new Error(`plugin returned ${first.data.length} groups, stock ${stockBody.data.result.length}`);
    }
    const runs = { stock: [] as number[], plugin: [] as number[] };
    for (let i = 0; i < reps; i++) {
      runs.stock.push((await timed(stock)).ms);
      runs.plugin.push((await timed(plugin)).ms);
    }
    const [s, r] = [median(runs.stock), median(runs.plugin)];
    const list = (xs: number[]) => xs.map((x) => x.toFixed(0)).join(', ');
    log(`\nrecording rules loaded (${prom.version}), ${ns}: ${first.data.length} containers`);
    log(`stock panel, one namespace:          ${sec(s)} (runs ${list(runs.stock)} ms)`);
    log(`real used vs working set, recorded:  ${sec(r)} (runs ${list(runs.plugin)} ms)`);
    return [
      {
        name: 'real used vs working set, recording rules loaded, 1 namespace: time',
        goal: `≤ ${GOAL_RATIO.toFixed(1)}× stock`,
        measured: `${(r / s).toFixed(2)}× stock`,
        pass: r / s <= GOAL_RATIO,
      },
    ];
  } finally {
    await prom.stop();
  }
}

/** The stock panel's query through the same BackendSrv (HTTP + Grafana's JSON parse). */
export async function stockQuery(uid: string, expr: string, from: number, p: BenchParams): Promise<any> {
  const form = new URLSearchParams({ query: expr, start: String(from), end: String(p.end), step: String(p.step) });
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

/** The raw blocks merged with the recording rules' blocks; made once per dataset and rule file. */
async function cachedRuleBlocks(p: BenchParams, rawTsdb: string, log: (s: string) => void): Promise<string> {
  const rules = fs.readFileSync(RULE_FILE, 'utf8');
  const dir = path.join(
    CACHE_DIR,
    paramsKey(p),
    `rules-${crypto.createHash('sha256').update(rules).digest('hex').slice(0, 12)}`
  );
  const tsdb = path.join(dir, 'tsdb');
  const done = path.join(dir, 'complete');
  if (fs.existsSync(done)) {
    log(`recording rules: cached blocks in ${path.relative(ROOT, dir)}`);
    return tsdb;
  }
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const ruleBlocks = path.join(dir, 'rule-blocks');
  const from = p.end - (p.points - 1) * p.step;

  let t = Date.now();
  const raw = await startOnBlocks(rawTsdb);
  try {
    await execFileP(
      '/usr/bin/promtool',
      [
        'tsdb',
        'create-blocks-from',
        'rules',
        `--start=${from - p.step}`,
        `--end=${p.end + 2 * p.step}`,
        `--url=${raw.url}`,
        `--output-dir=${ruleBlocks}`,
        `--eval-interval=${p.step}s`,
        '--quiet',
        RULE_FILE,
      ],
      { maxBuffer: 64 * 1024 * 1024 }
    );
  } catch (e: any) {
    throw new Error(`promtool rule backfill failed: ${e.stderr || e.message}`);
  } finally {
    await raw.stop();
  }
  log(`recording rules: promtool evaluated them over the dataset in ${((Date.now() - t) / 1000).toFixed(0)} s`);

  // Prometheus merges overlapping blocks itself; wait until no two blocks overlap, then keep them.
  // The bench flags keep 2-hour blocks, as the raw ones are.
  t = Date.now();
  const merging = await startPrometheus({
    blocksDirs: [rawTsdb, ruleBlocks],
    args: ['--storage.tsdb.min-block-duration=2h', '--storage.tsdb.max-block-duration=2h'],
  });
  try {
    const deadline = Date.now() + 10 * 60 * 1000;
    while (!(await merged(merging.url, path.join(merging.dataDir, 'tsdb')))) {
      if (Date.now() > deadline) {
        throw new Error('Prometheus did not merge the rule blocks within 10 minutes');
      }
      await sleep(1000);
    }
    fs.mkdirSync(tsdb);
    for (const block of blockDirs(path.join(merging.dataDir, 'tsdb'))) {
      fs.cpSync(path.join(merging.dataDir, 'tsdb', block), path.join(tsdb, block), { recursive: true });
    }
  } finally {
    await merging.stop();
  }
  fs.rmSync(ruleBlocks, { recursive: true, force: true });
  log(`recording rules: Prometheus merged their blocks in ${((Date.now() - t) / 1000).toFixed(0)} s`);
  fs.writeFileSync(done, JSON.stringify({ params: p, ruleFile: 'rules/real-memory.rules.yml' }));
  return tsdb;
}

/** Finished blocks: ULID-named folders (Prometheus writes and deletes through `<ulid>.tmp-…` names). */
function blockDirs(tsdb: string): string[] {
  return fs
    .readdirSync(tsdb)
    .filter((name) => /^[0-9A-Z]{26}$/.test(name) && fs.existsSync(path.join(tsdb, name, 'meta.json')));
}

/** Whether the folder's blocks do not overlap and Prometheus has loaded exactly those (merged-away ones deleted). */
async function merged(url: string, tsdb: string): Promise<boolean> {
  // Prometheus deletes merged-away blocks while this reads: a block gone in between means "not yet".
  const metas = blockDirs(tsdb).map((b) => {
    try {
      return JSON.parse(fs.readFileSync(path.join(tsdb, b, 'meta.json'), 'utf8'));
    } catch (e: any) {
      if (e?.code === 'ENOENT') {
        return undefined;
      }
      throw e;
    }
  });
  if (metas.includes(undefined)) {
    return false;
  }
  const ranges = metas.map((m) => [m.minTime, m.maxTime] as [number, number]).sort((a, b) => a[0] - b[0]);
  const overlap = ranges.some((r, i) => i > 0 && r[0] < ranges[i - 1][1]);
  const metrics = (await httpRequest(`${url}/metrics`)).body;
  const loaded = Number(/^prometheus_tsdb_blocks_loaded (\S+)$/m.exec(metrics)?.[1]);
  return !overlap && loaded === ranges.length;
}
