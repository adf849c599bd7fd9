// Generating and backfilling the bench cluster takes minutes, so its TSDB blocks are kept in a
// git-ignored folder (.tmp/bench/<key of the generator's parameters>) and reused by later runs.
// Each run starts Prometheus on a fresh copy, so the cache itself is never written to.
import { execFile, spawn } from 'child_process';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { promisify } from 'util';

import { httpRequest, sleep } from '../support/http';
import { freePort } from '../support/prometheus';
import { reapWithParent } from '../support/reaper';
import { BenchParams, paramsKey, writeOpenMetrics } from './dataset';

const execFileP = promisify(execFile);
const ROOT = path.resolve(__dirname, '../..');
export const CACHE_DIR = path.join(ROOT, '.tmp', 'bench');

/** Path of the cached blocks for these parameters, generating them first when absent. */
export async function cachedBlocks(p: BenchParams, log: (s: string) => void): Promise<string> {
  const dir = path.join(CACHE_DIR, paramsKey(p));
  const tsdb = path.join(dir, 'tsdb');
  const done = path.join(dir, 'complete');
  if (fs.existsSync(done)) {
    log(`dataset: cached blocks in ${path.relative(ROOT, dir)}`);
    return tsdb;
  }
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const om = path.join(dir, 'cluster.om');
  let t = Date.now();
  const { lines, bytes } = writeOpenMetrics(p, om);
  log(
    `dataset: wrote ${lines.toLocaleString('en')} samples (${(bytes / 1e9).toFixed(2)} GB OpenMetrics) in ${((Date.now() - t) / 1000).toFixed(0)} s`
  );
  t = Date.now();
  try {
    await execFileP('/usr/bin/promtool', ['tsdb', 'create-blocks-from', 'openmetrics', '--quiet', om, tsdb], {
      maxBuffer: 64 * 1024 * 1024,
    });
  } catch (e: any) {
    throw new Error(`promtool backfill failed: ${e.stderr || e.message}`);
  } finally {
    fs.rmSync(om, { force: true });
  }
  log(`dataset: promtool backfill took ${((Date.now() - t) / 1000).toFixed(0)} s`);
  fs.writeFileSync(done, JSON.stringify(p));
  return tsdb;
}

export interface BenchPrometheus {
  url: string;
  version: string;
  stop(): Promise<void>;
}

/** Starts Prometheus on a temporary copy of the cached blocks. */
export async function startOnBlocks(tsdb: string): Promise<BenchPrometheus> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'realmemory-bench-'));
  fs.cpSync(tsdb, path.join(work, 'tsdb'), { recursive: true });
  const config = path.join(work, 'prometheus.yml');
  fs.writeFileSync(config, 'global: {}\nscrape_configs: []\n');
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let log = '';
  const child = spawn(
    '/usr/bin/prometheus',
    [
      `--config.file=${config}`,
      `--storage.tsdb.path=${path.join(work, 'tsdb')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--storage.tsdb.retention.time=100y',
      // Keep the backfilled 2 h blocks as they are: no compaction eating CPU while we measure.
      '--storage.tsdb.min-block-duration=2h',
      '--storage.tsdb.max-block-duration=2h',
      '--query.timeout=5m',
      '--log.level=warn',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] }
  );
  child.stderr!.on('data', (c: Buffer) => (log = (log + c.toString()).slice(-4000)));
  const unreap = reapWithParent(child.pid!, [work]);
  const stop = async () => {
    unreap();
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
    fs.rmSync(work, { recursive: true, force: true });
  };
  const deadline = Date.now() + 60000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      await stop();
      throw new Error(`prometheus exited (${child.exitCode}): ${log}`);
    }
    const r = await httpRequest(`${url}/-/ready`, { timeoutMs: 2000 }).catch(() => undefined);
    if (r?.status === 200) {
      const info = await httpRequest(`${url}/api/v1/status/buildinfo`);
      return { url, version: JSON.parse(info.body).data.version, stop };
    }
    await sleep(200);
  }
  await stop();
  throw new Error(`Prometheus at ${url} not ready after 60 s: ${log}`);
}
