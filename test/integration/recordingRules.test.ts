// The recording rules of rules/real-memory.rules.yml against the plugin's own frames: a real
// Prometheus loads the rule file (every rule evaluates healthy) over backfilled cAdvisor data (new
// and old cAdvisor, and the six-hour trend set with kube-state-metrics limits);
// `promtool tsdb create-blocks-from rules` evaluates the recording rules over that history; each
// recorded sample must equal the plugin's frame value for the same container and time.
//
// Prometheus evaluates a rule group at a fixed offset within each interval (a hash of its name
// and file), while the plugin's range queries are aligned to whole steps. So the fixtures' samples
// are placed between that offset and the next whole minute: a rule evaluated at t + offset and the
// plugin at t then see exactly the same samples, the 5-minute lookback included.
import '../support/polyfills';

import { DataFrame, Field } from '@grafana/data';
import fs from 'fs';
import os from 'os';
import path from 'path';

import { DataSource } from '../../src/datasource';
import { RECORDED, RECORDING_GROUP } from '../../src/recordingRules/rules';
import { RealMemoryQuery } from '../../src/types';
import { buildDataset } from '../fixtures/cadvisor';
import { buildTrendDataset } from '../fixtures/trends';
import { installBackendSrv } from '../support/backendSrv';
import { makeDataSource, panelRequest, runQuery } from '../support/dataSource';
import { RunningPrometheus, startPrometheus } from '../support/prometheus';
import { DumpedSample, backfillRules, evaluationOffsetMs, loadedRules } from '../support/ruleBackfill';
import { installTemplateSrv } from '../support/templateSrv';

jest.setTimeout(180000);

const ROOT = path.resolve(__dirname, '../..');
const STEP = 60;
const IDENTITY = ['namespace', 'pod', 'container'];

type Value = number | null;

interface Rig {
  name: string;
  start: number;
  end: number;
  openMetrics: string;
  prom?: RunningPrometheus;
  /** Recorded series name → container key → sample time (ms) → value. */
  recorded: Map<string, Map<string, Map<number, number>>>;
  dumped: DumpedSample[];
}

const keyOf = (labels: Record<string, string>, names: string[]) => names.map((n) => labels[n] ?? '').join('/');
const labelsOf = (frame: DataFrame) => frame.fields.find((f) => f.name !== 'Time')?.labels ?? {};

function fieldValues(frame: DataFrame, name: string): Value[] | undefined {
  const f: Field | undefined = frame.fields.find((x) => x.name === name);
  return f?.values as Value[] | undefined;
}

let tmp: string;
let offsetMs: number;
let ruleFile: string;
const rigs: Rig[] = [];
let sources: Record<string, DataSource>;
/** Points compared, per dataset and check; printed at the end. */
const compared: Record<string, number> = {};

beforeAll(async () => {
  const setupStarted = Date.now();
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'realmemory-recording-'));
  // promtool ends each 2-hour block's queries a whole second before the block's end, so an
  // evaluation in the last second of a minute is lost at every block boundary; a rule-file path
  // whose group offset falls there (1 in 60) is replaced by another. Late offsets are avoided too:
  // with 55.9 s (samples at 58 s past the minute) a clean full run got no samples at all from the
  // backfills of the two one-hour datasets, five times over 30 s, while the six-hour one was whole
  // (cause not found; the same test passed alone ten minutes later with 34.8 s).
  for (let attempt = 0; ; attempt++) {
    ruleFile = path.join(tmp, `attempt-${attempt}`, 'real-memory.rules.yml');
    fs.mkdirSync(path.dirname(ruleFile));
    offsetMs = await evaluationOffsetMs(ruleFile, RECORDING_GROUP, STEP);
    if (offsetMs < STEP * 750 || attempt === 8) {
      break;
    }
  }
  fs.copyFileSync(path.join(ROOT, 'rules/real-memory.rules.yml'), ruleFile);

  // Samples sit `shift` seconds past each minute, strictly between the rule group's offset and the
  // next minute (quarter seconds: exact in binary floating point, whole milliseconds in the TSDB).
  const shift = Math.ceil((offsetMs / 1000 + STEP) * 2) / 4;
  if (!(shift > offsetMs / 1000 && shift < STEP)) {
    throw new Error(`rule group offset ${offsetMs} ms leaves no room for the samples`);
  }
  const end = Math.floor(Date.now() / 1000 / STEP) * STEP - 6 * STEP + shift;
  const fresh = buildDataset('new', { end });
  const old = buildDataset('old', { end });
  const trend = buildTrendDataset({ end });
  for (const [name, ds] of [
    ['new', fresh],
    ['old', old],
    ['trend', trend],
  ] as const) {
    rigs.push({ name, start: ds.start, end: ds.end, openMetrics: ds.openMetrics, recorded: new Map(), dumped: [] });
  }

  const config = JSON.stringify({ global: { evaluation_interval: '1s' }, rule_files: [ruleFile] });
  for (const rig of rigs) {
    rig.prom = await startPrometheus({ openMetrics: rig.openMetrics, config });
    // Twice in clean full runs (once at load ≈ 10, once at load ≈ 1) promtool's backfill of a dataset came
    // back empty three times within seconds, while the same test alone recorded every point; the cause
    // is not found yet. An empty backfill is tried again, waiting longer each time (2, 4, 8, 16 s; said in
    // the log, with whether Prometheus answers the raw series then); the assertions below are unchanged.
    for (let attempt = 1; attempt <= 5; attempt++) {
      rig.dumped = await backfillRules(
        rig.prom.url,
        ruleFile,
        rig.start - STEP,
        rig.end + 2 * STEP,
        path.join(tmp, `blocks-${rig.name}-${attempt}`),
        STEP
      );
      if (rig.dumped.length > 0) {
        break;
      }
      const raw = await fetch(
        `${rig.prom.url}/api/v1/query?query=${encodeURIComponent('count(container_memory_working_set_bytes)')}&time=${rig.end}`
      )
        .then((r) => r.text())
        .catch((e) => String(e));
      console.log(
        `backfill of the ${rig.name} dataset returned no samples (attempt ${attempt}); raw series then: ${raw.slice(0, 200)}`
      );
      if (attempt < 5) {
        await new Promise((resolve) => setTimeout(resolve, 2000 * 2 ** (attempt - 1)));
      }
    }
    for (const s of rig.dumped) {
      const name = s.labels.__name__;
      const series = rig.recorded.get(name) ?? new Map<string, Map<number, number>>();
      rig.recorded.set(name, series);
      const key = keyOf(s.labels, IDENTITY);
      series.set(key, (series.get(key) ?? new Map()).set(s.t, s.v));
    }
  }
  installBackendSrv(Object.fromEntries(rigs.map((r) => [r.name, r.prom!.url])));
  installTemplateSrv([]);
  sources = Object.fromEntries(rigs.map((r) => [r.name, makeDataSource({}, r.name)]));
  console.log(`set-up (probe, 3 Prometheus, 3 backfills): ${((Date.now() - setupStarted) / 1000).toFixed(1)} s`);
}, 180000);

afterAll(async () => {
  await Promise.all(rigs.map((r) => r.prom?.stop()));
  if (tmp) {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  console.log(
    `rule group offset ${offsetMs} ms; points compared: ${Object.entries(compared)
      .map(([k, n]) => `${k} ${n}`)
      .join(', ')}; ${valuesCompared} of them values, the rest gaps on both sides`
  );
});

async function frames(rig: Rig, target: Partial<RealMemoryQuery>): Promise<DataFrame[]> {
  const res = await runQuery(
    sources[rig.name],
    panelRequest([target], rig.start, rig.end, { interval: `${STEP}s`, intervalMs: STEP * 1000 })
  );
  expect(res.errors ?? []).toEqual([]);
  return res.data;
}

/** The recorded value of `series` for a container at plugin time t (ms): evaluated at t + offset. */
function recordedAt(rig: Rig, series: string, key: string, t: number): Value {
  return (
    rig.recorded
      .get(series)
      ?.get(key)
      ?.get(t + offsetMs) ?? null
  );
}

/** Values (not gaps) the plugin had where a recorded sample was compared; printed at the end. */
let valuesCompared = 0;

/** Compares two columns point by point; returns the differences (empty when equal). */
function diff(label: string, times: number[], got: Value[], want: Value[]): string[] {
  const out: string[] = [];
  valuesCompared += want.filter((v) => v !== null).length;
  times.forEach((t, i) => {
    if (got[i] !== want[i]) {
      out.push(`${label} at ${new Date(t).toISOString()}: recorded ${got[i]}, plugin ${want[i]}`);
    }
  });
  return out;
}

describe.each(['new', 'old', 'trend'])('recording rules on the %s dataset', (name) => {
  const rig = () => rigs.find((r) => r.name === name)!;

  it('Prometheus loads the rule file and evaluates every rule without error', async () => {
    const rules = await loadedRules(rig().prom!.url);
    expect(rules.map((r) => `${r.group} ${r.name}`).sort()).toEqual(
      [
        ...Object.values(RECORDED).map((n) => `real-memory.rules ${n}`),
        'real-memory.alerts ContainerRealMemoryGrowing',
        'real-memory.alerts ContainerRealMemoryNearLimit',
        'real-memory.alerts ContainerWorkingSetIsPageCache',
      ].sort()
    );
    expect(rules.filter((r) => r.health !== 'ok' || r.lastError)).toEqual([]);
  });

  it('records every series with exactly namespace, pod and container, and no pause, pod-level or node cgroup', () => {
    const r = rig();
    expect([...r.recorded.keys()].sort()).toEqual(
      Object.values(RECORDED)
        .filter((n) => r.name === 'trend' || (!n.includes('limit') && !n.includes('request')))
        // Active file is recorded as measured only: old cAdvisor has none.
        .filter((n) => r.name !== 'old' || n !== RECORDED.activeFile)
        .sort()
    );
    const labelSets = new Set(r.dumped.map((s) => Object.keys(s.labels).sort().join(',')));
    expect([...labelSets]).toEqual(['__name__,container,namespace,pod']);
    const notContainers = r.dumped.filter(
      (s) => s.labels.container === '' || s.labels.container === 'POD' || s.labels.pod === ''
    );
    expect(notContainers).toEqual([]);
  });

  it('working set, real used, limit, request and real used per limit equal the plugin per container', async () => {
    const r = rig();
    const result = await frames(r, { view: 'realVsWorkingSet', groupBy: 'container', showLimits: true });
    const keys = result.map((f) => keyOf(labelsOf(f), IDENTITY)).sort();
    expect([...(r.recorded.get(RECORDED.workingSet)?.keys() ?? [])].sort()).toEqual(keys);
    expect([...(r.recorded.get(RECORDED.realUsed)?.keys() ?? [])].sort()).toEqual(keys);
    const differences: string[] = [];
    let points = 0;
    for (const frame of result) {
      const key = keyOf(labelsOf(frame), IDENTITY);
      const times = fieldValues(frame, 'Time') as number[];
      const nulls = times.map(() => null);
      const real = fieldValues(frame, 'real used')!;
      // The panel leaves out a limit of 0 (unlimited); the recorded limit keeps it.
      const limit = fieldValues(frame, 'limit') ?? nulls;
      const rec = (series: string) => times.map((t) => recordedAt(r, series, key, t));
      const recordedLimit = rec(RECORDED.limit).map((v) => (v === 0 ? null : v));
      const perLimit = real.map((v, i) => (v === null || limit[i] === null ? null : v / limit[i]!));
      differences.push(
        ...diff(`${key} working set`, times, rec(RECORDED.workingSet), fieldValues(frame, 'working set')!),
        ...diff(`${key} real used`, times, rec(RECORDED.realUsed), real),
        ...diff(`${key} limit`, times, recordedLimit, limit),
        ...diff(`${key} request`, times, rec(RECORDED.request), fieldValues(frame, 'request') ?? nulls),
        ...diff(`${key} real used / limit`, times, rec(RECORDED.realUsedPerLimit), perLimit)
      );
      points += times.length * 5;
    }
    compared[`${name} per container`] = points;
    expect(differences).toEqual([]);
    // The comparison is not vacuous: most points hold values.
    const realValues = [...r.recorded.get(RECORDED.realUsed)!.values()].reduce((n, m) => n + m.size, 0);
    expect(realValues).toBeGreaterThan(result.length * 30);
    if (name === 'trend') {
      expect(r.recorded.get(RECORDED.realUsedPerLimit)!.size).toBeGreaterThan(4);
    }
  });

  it('file cache equals the breakdown’s active + inactive file per container', async () => {
    const r = rig();
    // One container per query: beyond three groups the breakdown sums them into one stack.
    const containers = [...r.recorded.get(RECORDED.fileCache)!.keys()].map((k) => k.split('/'));
    expect(containers.length).toBeGreaterThan(3);
    const result = (
      await Promise.all(
        containers.map(([namespace, pod, container]) =>
          frames(r, { view: 'breakdown', groupBy: 'container', namespace, pod, container })
        )
      )
    ).flat();
    expect(result).toHaveLength(containers.length);
    const differences: string[] = [];
    let points = 0;
    for (const frame of result) {
      const key = keyOf(labelsOf(frame), IDENTITY);
      const times = fieldValues(frame, 'Time') as number[];
      const active = fieldValues(frame, 'active file')!;
      const inactive = fieldValues(frame, 'inactive file')!;
      const want = active.map((a, i) => (a === null || inactive[i] === null ? null : a + inactive[i]!));
      const got = times.map((t) => recordedAt(r, RECORDED.fileCache, key, t));
      differences.push(...diff(`${key} file cache`, times, got, want));
      points += times.length;
    }
    compared[`${name} file cache`] = points;
    expect(differences).toEqual([]);
  });

  it.each(['pod', 'namespace'] as const)(
    'summed by %s, the recorded series equal the plugin’s groups at that level',
    async (groupBy) => {
      const r = rig();
      const names = groupBy === 'pod' ? ['namespace', 'pod'] : ['namespace'];
      const result = await frames(r, { view: 'realVsWorkingSet', groupBy });
      const containersOf = (group: string) =>
        [...r.recorded.get(RECORDED.workingSet)!.keys()].filter(
          (k) => keyOf(Object.fromEntries(IDENTITY.map((n, i) => [n, k.split('/')[i]])), names) === group
        );
      const differences: string[] = [];
      let points = 0;
      let inflated = 0;
      for (const frame of result) {
        const group = keyOf(labelsOf(frame), names);
        const containers = containersOf(group);
        const times = fieldValues(frame, 'Time') as number[];
        const sum = (series: string, t: number, fallback?: string) => {
          let total: number | null = null;
          for (const c of containers) {
            const v = recordedAt(r, series, c, t) ?? (fallback === undefined ? null : recordedAt(r, fallback, c, t));
            if (v !== null) {
              total = (total ?? 0) + v;
            }
          }
          return total;
        };
        const realSum = times.map((t) => sum(RECORDED.realUsed, t));
        // The plugin subtracts the group's summed active file from its summed working set, so a
        // container whose active file is missing at t counts there with its whole working set.
        const pluginSum = times.map((t) => sum(RECORDED.realUsed, t, RECORDED.workingSet));
        const real = fieldValues(frame, 'real used')!;
        differences.push(
          ...diff(
            `${group} working set`,
            times,
            times.map((t) => sum(RECORDED.workingSet, t)),
            fieldValues(frame, 'working set')!
          ),
          ...diff(`${group} real used`, times, pluginSum, real)
        );
        inflated += real.filter((v, i) => v !== realSum[i]).length;
        points += times.length * 2;
      }
      compared[`${name} by ${groupBy}`] = points;
      expect(differences).toEqual([]);
      // Only the new dataset has a container whose file-cache series stop for a while (shop/web-1/nginx):
      // there the plugin's pod and namespace figures exceed the sum of recorded real used.
      if (name === 'new') {
        expect(inflated).toBeGreaterThan(0);
      } else {
        expect(inflated).toBe(0);
      }
    }
  );
});
