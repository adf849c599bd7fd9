// A real Prometheus for tests: own loopback port, own temp data dir, optionally backfilled with
// OpenMetrics text (promtool) and scraping given targets. `stop()` kills it and removes the dir;
// a failing test cannot leak it (see reaper.ts).
import { ChildProcess, execFile, spawn } from 'child_process';
import fs from 'fs';
import net from 'net';
import os from 'os';
import path from 'path';
import { promisify } from 'util';

import { httpRequest, sleep } from './http';
import { reapWithParent } from './reaper';

const PROMETHEUS = '/usr/bin/prometheus';
const PROMTOOL = '/usr/bin/promtool';
const execFileP = promisify(execFile);

export interface ScrapeTarget {
  job: string;
  /** Full URL of the metrics endpoint, e.g. http://127.0.0.1:9999/metrics */
  url: string;
  /** Scrape interval, e.g. '1s'. Default '5s'. */
  interval?: string;
  /** Keep the target's own job and instance labels (a federation-style or relayed scrape). */
  honorLabels?: boolean;
}

export interface StartOptions {
  /** OpenMetrics text (ending with `# EOF`) to backfill before start. */
  openMetrics?: string;
  scrapeTargets?: ScrapeTarget[];
  /** A whole prometheus.yml to use instead of one built from scrapeTargets. */
  config?: string;
  /**
   * Folders of TSDB blocks to serve beside the backfilled ones, e.g. the output of `promtool tsdb
   * create-blocks-from rules` (ruleBackfill.ts). Prometheus reads overlapping blocks together.
   */
  blocksDirs?: string[];
  /** More command-line flags, e.g. `--query.lookback-delta=1m`. */
  args?: string[];
}

export interface RunningPrometheus {
  url: string;
  port: number;
  dataDir: string;
  stop(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

function configYaml(targets: ScrapeTarget[]): string {
  // JSON is valid YAML, so no YAML writer is needed.
  const scrapeConfigs = targets.map((t) => {
    const u = new URL(t.url);
    return {
      job_name: t.job,
      scrape_interval: t.interval ?? '5s',
      scrape_timeout: t.interval && parseDurationSeconds(t.interval) < 10 ? t.interval : '10s',
      scheme: u.protocol.replace(':', ''),
      metrics_path: u.pathname || '/metrics',
      static_configs: [{ targets: [u.host] }],
      ...(t.honorLabels ? { honor_labels: true } : {}),
    };
  });
  return JSON.stringify({ global: { scrape_interval: '15s' }, scrape_configs: scrapeConfigs }, null, 2);
}

function parseDurationSeconds(d: string): number {
  const m = /^(\d+)(ms|s|m|h)$/.exec(d);
  if (!m) {
    throw new Error(`unsupported scrape interval "${d}" (use e.g. 1s, 500ms, 1m)`);
  }
  const n = Number(m[1]);
  return m[2] === 'ms' ? n / 1000 : m[2] === 's' ? n : m[2] === 'm' ? n * 60 : n * 3600;
}

/** Largest sample timestamp (seconds) in OpenMetrics text; the backfill is checked queryable there. */
function lastTimestamp(openMetrics: string): number | undefined {
  let last: number | undefined;
  for (const line of openMetrics.split('\n')) {
    if (!line || line.startsWith('#')) {
      continue;
    }
    const ts = Number(line.slice(line.lastIndexOf(' ') + 1));
    if (Number.isFinite(ts) && (last === undefined || ts > last)) {
      last = ts;
    }
  }
  return last;
}

/** Instant query straight against Prometheus (not through the data source), for assertions. */
export async function promQuery(
  url: string,
  expr: string,
  time?: number
): Promise<Array<{ metric: Record<string, string>; value: [number, string] }>> {
  const qs = new URLSearchParams({ query: expr });
  if (time !== undefined) {
    qs.set('time', String(time));
  }
  const res = await httpRequest(`${url}/api/v1/query?${qs}`);
  const body = JSON.parse(res.body);
  if (res.status !== 200 || body.status !== 'success') {
    throw new Error(`Prometheus query ${expr} failed (${res.status}): ${res.body}`);
  }
  return body.data.result;
}

export async function startPrometheus(opts: StartOptions = {}): Promise<RunningPrometheus> {
  if (!fs.existsSync(PROMETHEUS) || !fs.existsSync(PROMTOOL)) {
    throw new Error('prometheus is not installed: run "apt-get install -y prometheus"');
  }
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'realmemory-prom-'));
  const tsdb = path.join(dataDir, 'tsdb');
  const removeDir = () => fs.rmSync(dataDir, { recursive: true, force: true });

  let child: ChildProcess | undefined;
  let unreap = () => {};
  try {
    if (opts.openMetrics) {
      const file = path.join(dataDir, 'backfill.om');
      fs.writeFileSync(file, opts.openMetrics);
      try {
        await execFileP(PROMTOOL, ['tsdb', 'create-blocks-from', 'openmetrics', file, tsdb], {
          maxBuffer: 16 * 1024 * 1024,
        });
      } catch (e: any) {
        throw new Error(`promtool backfill failed: ${e.stderr || e.message}`);
      }
    }
    for (const dir of opts.blocksDirs ?? []) {
      for (const block of fs.readdirSync(dir).filter((name) => fs.existsSync(path.join(dir, name, 'meta.json')))) {
        fs.cpSync(path.join(dir, block), path.join(tsdb, block), { recursive: true });
      }
    }
    const config = path.join(dataDir, 'prometheus.yml');
    fs.writeFileSync(config, opts.config ?? configYaml(opts.scrapeTargets ?? []));

    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    let log = '';
    child = spawn(
      PROMETHEUS,
      [
        `--config.file=${config}`,
        `--storage.tsdb.path=${tsdb}`,
        `--web.listen-address=127.0.0.1:${port}`,
        // Backfilled blocks lie in the past; a long retention keeps them from being deleted.
        '--storage.tsdb.retention.time=100y',
        '--log.level=warn',
        ...(opts.args ?? []),
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] }
    );
    child.stderr!.on('data', (c: Buffer) => {
      log = (log + c.toString()).slice(-4000);
    });
    const proc = child;
    unreap = reapWithParent(proc.pid!, [dataDir]);

    await waitFor(`Prometheus at ${url} to become ready`, 30000, async () => {
      if (proc.exitCode !== null) {
        throw new Error(`prometheus exited with code ${proc.exitCode}: ${log}`);
      }
      const r = await httpRequest(`${url}/-/ready`, { timeoutMs: 2000 }).catch(() => undefined);
      return r?.status === 200;
    });

    const last = opts.openMetrics ? lastTimestamp(opts.openMetrics) : undefined;
    if (last !== undefined) {
      await waitFor(`backfilled data to be queryable at ${url}`, 30000, async () => {
        const r = await promQuery(url, 'count({__name__=~".+"})', last);
        return r.length > 0 && Number(r[0].value[1]) > 0;
      });
    }

    const stop = async () => {
      unreap();
      if (proc.exitCode === null && proc.signalCode === null) {
        const exited = new Promise((r) => proc.once('exit', r));
        proc.kill('SIGTERM');
        const t = setTimeout(() => proc.kill('SIGKILL'), 5000);
        await exited;
        clearTimeout(t);
      }
      removeDir();
    };
    return { url, port, dataDir, stop };
  } catch (e) {
    unreap();
    child?.kill('SIGKILL');
    removeDir();
    throw e;
  }
}

/** Polls `check` every 200 ms until it returns true; throws after `timeoutMs` naming `what`. */
export async function waitFor(what: string, timeoutMs: number, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) {
      return;
    }
    await sleep(200);
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}
