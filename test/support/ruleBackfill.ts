// Recording rules evaluated by real Prometheus tooling over backfilled history: `promtool tsdb
// create-blocks-from rules` runs every recording rule of a rule file against a running Prometheus,
// at the rule group's own evaluation times, and writes the results as TSDB blocks;
// `promtool tsdb dump` reads them back as samples.
import { execFile } from 'child_process';
import fs from 'fs';
import path from 'path';
import { promisify } from 'util';

import { httpRequest, sleep } from './http';
import { startPrometheus } from './prometheus';

const PROMTOOL = '/usr/bin/promtool';
const execFileP = promisify(execFile);

export interface DumpedSample {
  labels: Record<string, string>;
  /** Milliseconds, as stored. */
  t: number;
  v: number;
}

async function promtool(args: string[]): Promise<string> {
  try {
    const { stdout } = await execFileP(PROMTOOL, args, { maxBuffer: 256 * 1024 * 1024 });
    return stdout;
  } catch (e: any) {
    throw new Error(`promtool ${args.slice(0, 3).join(' ')} failed: ${e.stderr || e.message}`);
  }
}

/**
 * Evaluates the recording rules of `ruleFile` against the Prometheus at `url` from `start` to `end`
 * (seconds) every `intervalSeconds` (groups without their own interval), and returns the samples.
 */
export async function backfillRules(
  url: string,
  ruleFile: string,
  start: number,
  end: number,
  outDir: string,
  intervalSeconds = 60
): Promise<DumpedSample[]> {
  await promtool([
    'tsdb',
    'create-blocks-from',
    'rules',
    `--start=${Math.floor(start)}`,
    `--end=${Math.ceil(end)}`,
    `--url=${url}`,
    `--output-dir=${outDir}`,
    `--eval-interval=${intervalSeconds}s`,
    '--quiet',
    ruleFile,
  ]);
  // `tsdb dump` opens the directory as a database, which needs a WAL directory, even empty.
  fs.mkdirSync(path.join(outDir, 'wal'), { recursive: true });
  return parseDump(await promtool(['tsdb', 'dump', outDir]));
}

/** Lines like `{__name__="m", a="b"} 1.5e+07 1700000000123`. */
export function parseDump(text: string): DumpedSample[] {
  const line = /^\{(.*)\} (\S+) (\d+)$/;
  const label = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;
  const out: DumpedSample[] = [];
  for (const l of text.split('\n')) {
    const m = line.exec(l);
    if (!m) {
      continue;
    }
    const labels: Record<string, string> = {};
    for (const lm of m[1].matchAll(label)) {
      labels[lm[1]] = lm[2].replace(/\\"/g, '"').replace(/\\\\/g, '\\');
    }
    out.push({ labels, t: Number(m[3]), v: Number(m[2]) });
  }
  return out;
}

/**
 * Where in each `intervalSeconds` Prometheus evaluates the group `groupName` of the rule file at
 * `ruleFile` (milliseconds past a multiple of the interval). Prometheus spreads groups over the
 * interval by a hash of the group name and file path, so this is found by evaluating a probe group
 * of that name at that path; `ruleFile` is overwritten, write the real rules there afterwards.
 */
export async function evaluationOffsetMs(ruleFile: string, groupName: string, intervalSeconds = 60): Promise<number> {
  fs.writeFileSync(
    ruleFile,
    JSON.stringify({ groups: [{ name: groupName, rules: [{ record: 'realmemory_probe', expr: 'vector(1)' }] }] })
  );
  const prom = await startPrometheus();
  const out = path.join(prom.dataDir, 'probe-blocks');
  try {
    const end = Math.floor(Date.now() / 1000) - 3 * 3600;
    const samples = await backfillRules(prom.url, ruleFile, end - 10 * intervalSeconds, end, out, intervalSeconds);
    const offsets = new Set(samples.map((s) => s.t % (intervalSeconds * 1000)));
    if (samples.length === 0 || offsets.size !== 1) {
      throw new Error(`probe evaluations at unexpected times: ${samples.map((s) => s.t).join(', ')}`);
    }
    return [...offsets][0];
  } finally {
    await prom.stop();
  }
}

export interface RuleHealth {
  group: string;
  name: string;
  health: string;
  lastError?: string;
}

/** Waits until Prometheus has evaluated every rule it loaded at least once; returns their health. */
export async function loadedRules(url: string, timeoutMs = 30000): Promise<RuleHealth[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await httpRequest(`${url}/api/v1/rules`);
    const groups: any[] = JSON.parse(res.body).data.groups;
    const rules: RuleHealth[] = groups.flatMap((g) =>
      g.rules.map((r: any) => ({ group: g.name, name: r.name, health: r.health, lastError: r.lastError }))
    );
    if ((rules.length > 0 && rules.every((r) => r.health !== 'unknown')) || Date.now() > deadline) {
      return rules;
    }
    await sleep(200);
  }
}
