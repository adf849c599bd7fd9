// A real single-node VictoriaMetrics for tests, the counterpart of prometheus.ts: own loopback
// port, own temp data dir, optionally loaded with the fixtures' OpenMetrics text through
// /api/v1/import/prometheus. `stop()` kills it and removes the dir; a failing test cannot leak it
// (see reaper.ts).
import { ChildProcess, spawn } from 'child_process';
import fs from 'fs';
import os from 'os';
import path from 'path';

import { httpRequest } from './http';
import { freePort, promQuery, waitFor } from './prometheus';
import { reapWithParent } from './reaper';

export const VICTORIA_METRICS = '/usr/bin/victoria-metrics';

export interface VictoriaMetricsOptions {
  /** OpenMetrics text (as given to startPrometheus) to import once it runs. */
  openMetrics?: string;
  /** More command-line flags, e.g. `-search.maxUniqueTimeseries=3` to provoke a limit. */
  flags?: string[];
}

export interface RunningVictoriaMetrics {
  url: string;
  port: number;
  dataDir: string;
  stop(): Promise<void>;
}

/**
 * The Prometheus text exposition format that /api/v1/import/prometheus reads: the same sample
 * lines, with timestamps in milliseconds instead of OpenMetrics' seconds. Comment lines
 * (`# HELP`, `# TYPE`, `# EOF`) are dropped; VictoriaMetrics would ignore them anyway.
 */
export function toImportText(openMetrics: string): string {
  const out: string[] = [];
  for (const line of openMetrics.split('\n')) {
    if (!line || line.startsWith('#')) {
      continue;
    }
    // The timestamp is the last field; label values may hold spaces, the timestamp cannot.
    const cut = line.lastIndexOf(' ');
    const seconds = Number(line.slice(cut + 1));
    if (!Number.isFinite(seconds)) {
      throw new Error(`sample without a timestamp cannot be imported as history: ${line}`);
    }
    out.push(`${line.slice(0, cut)} ${Math.round(seconds * 1000)}`);
  }
  return out.join('\n') + '\n';
}

/** Distinct series in the text, and the first and last sample time (seconds). */
function extent(openMetrics: string): { series: number; first: number; last: number } {
  const names = new Set<string>();
  let first = Infinity;
  let last = -Infinity;
  for (const line of openMetrics.split('\n')) {
    if (!line || line.startsWith('#')) {
      continue;
    }
    const cut = line.lastIndexOf(' ');
    const t = Number(line.slice(cut + 1));
    names.add(line.slice(0, line.lastIndexOf(' ', cut - 1)));
    first = Math.min(first, t);
    last = Math.max(last, t);
  }
  return { series: names.size, first, last };
}

export async function startVictoriaMetrics(opts: VictoriaMetricsOptions = {}): Promise<RunningVictoriaMetrics> {
  if (!fs.existsSync(VICTORIA_METRICS)) {
    throw new Error(
      `VictoriaMetrics is not installed (${VICTORIA_METRICS} is missing): run scripts/setup.sh, ` +
        'which installs Debian\'s "victoria-metrics" package'
    );
  }
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'realmemory-vm-'));
  const removeDir = () => fs.rmSync(dataDir, { recursive: true, force: true });

  let child: ChildProcess | undefined;
  let unreap = () => {};
  try {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    let log = '';
    child = spawn(
      VICTORIA_METRICS,
      [
        `-httpListenAddr=127.0.0.1:${port}`,
        `-storageDataPath=${path.join(dataDir, 'data')}`,
        // Imported history lies in the past; a long retention keeps it.
        '-retentionPeriod=100y',
        // The response cache would keep answers computed before an import finished; the flag's own
        // help recommends it for backfilling. Everything else stays at its default, as users run it.
        '-search.disableCache',
        '-loggerLevel=WARN',
        ...(opts.flags ?? []),
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] }
    );
    child.stderr!.on('data', (c: Buffer) => {
      log = (log + c.toString()).slice(-4000);
    });
    const proc = child;
    unreap = reapWithParent(proc.pid!, [dataDir]);

    await waitFor(`VictoriaMetrics at ${url} to become ready`, 30000, async () => {
      if (proc.exitCode !== null) {
        throw new Error(`victoria-metrics exited with code ${proc.exitCode}: ${log}`);
      }
      const r = await httpRequest(`${url}/health`, { timeoutMs: 2000 }).catch(() => undefined);
      return r?.status === 200;
    });

    if (opts.openMetrics) {
      await importOpenMetrics(url, opts.openMetrics);
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

/**
 * Imports OpenMetrics text and waits until every series in it can be queried: imported rows sit
 * in memory buffers for up to a second or so, /internal/force_flush writes them out at once.
 */
export async function importOpenMetrics(url: string, openMetrics: string): Promise<void> {
  const res = await httpRequest(`${url}/api/v1/import/prometheus`, {
    method: 'POST',
    headers: { 'Content-Type': 'text/plain' },
    body: toImportText(openMetrics),
  });
  if (res.status !== 204) {
    throw new Error(`VictoriaMetrics import failed (${res.status}): ${res.body}`);
  }
  const flushed = await httpRequest(`${url}/internal/force_flush`);
  if (flushed.status !== 200) {
    throw new Error(`VictoriaMetrics force_flush failed (${flushed.status}): ${flushed.body}`);
  }
  const { series, first, last } = extent(openMetrics);
  const window = `${Math.ceil(last - first) + 1}s`;
  let seen = 0;
  try {
    await waitFor(`all ${series} imported series to be queryable at ${url}`, 30000, async () => {
      const r = await promQuery(url, `count(last_over_time({__name__=~".+"}[${window}]))`, last);
      seen = r.length > 0 ? Number(r[0].value[1]) : 0;
      return seen === series;
    });
  } catch (e) {
    throw new Error(`${e instanceof Error ? e.message : String(e)} (${seen} were)`);
  }
}
