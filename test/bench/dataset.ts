// The benchmark's cluster: N containers in M namespaces, every cAdvisor memory metric (file-cache
// series included) at P points. Written to an OpenMetrics file series by series, never held in
// memory whole (2,000 containers × 7 metrics × 720 points is ~10 M lines, ~2 GB of text).
import crypto from 'crypto';
import fs from 'fs';

import { CgroupStat, METRICS, MetricKey, cadvisorValues } from '../fixtures/cadvisor';

export interface BenchParams {
  containers: number;
  namespaces: number;
  points: number;
  /** Seconds between samples. */
  step: number;
  /** Last sample time (s). Fixed, so the cached blocks stay valid across runs. */
  end: number;
}

export const DEFAULT_PARAMS: BenchParams = {
  containers: 2000,
  namespaces: 20,
  points: 720,
  step: 60,
  end: 1_767_225_600, // 2026-01-01T00:00:00Z
};

/** A short, stable key for the cache folder: any change of parameters or of this generator's version. */
export function paramsKey(p: BenchParams): string {
  const text = JSON.stringify({ ...p, generator: GENERATOR_VERSION });
  return crypto.createHash('sha256').update(text).digest('hex').slice(0, 12);
}
const GENERATOR_VERSION = 1;

export const CONTAINERS_PER_POD = 2;

export interface BenchContainer {
  namespace: string;
  pod: string;
  container: string;
  labels: string;
  stat(i: number): CgroupStat;
}

/** Deterministic pseudo-random in [0, 1) from an integer seed (no global state). */
function rand(seed: number): number {
  let x = (seed + 0x9e3779b9) | 0;
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  x ^= x >>> 16;
  return (x >>> 0) / 4294967296;
}

const MB = 1e6;

export function namespaceName(n: number): string {
  return `ns-${String(n).padStart(2, '0')}`;
}

export function benchContainers(p: BenchParams): BenchContainer[] {
  const perNamespace = Math.ceil(p.containers / p.namespaces);
  const list: BenchContainer[] = [];
  for (let j = 0; j < p.containers; j++) {
    const ns = Math.floor(j / perNamespace);
    const podIndex = Math.floor((j % perNamespace) / CONTAINERS_PER_POD);
    const namespace = namespaceName(ns);
    const hash = Math.floor(rand(j * 7 + 1) * 0xfffff)
      .toString(16)
      .padStart(5, '0');
    const pod = `app-${String(podIndex).padStart(3, '0')}-${hash}`;
    const container = j % CONTAINERS_PER_POD === 0 ? 'app' : 'sidecar';
    const node = `node-${String(Math.floor(rand(j * 7 + 2) * 40)).padStart(2, '0')}`;
    const labels =
      `container="${container}",id="/kubepods/burstable/pod${hash}/${container}",image="registry.example/${namespace}/${container}:1.${j % 9}",` +
      `instance="${node}:10250",job="kubelet",namespace="${namespace}",pod="${pod}"`;
    // Per-container shape: anon base, file cache base, a log-heavy minority whose active file grows.
    const rss = 20 + rand(j * 7 + 3) * 900;
    const active = rand(j * 7 + 4) * 400;
    const inactive = rand(j * 7 + 5) * 300;
    const logHeavy = j % 5 === 0;
    const swaps = j % 97 === 0;
    list.push({
      namespace,
      pod,
      container,
      labels,
      stat: (i) => ({
        rss: Math.round((rss + 10 * Math.sin(i / 30 + j)) * MB),
        activeFile: Math.round((active + (logHeavy ? i * 0.5 : 0)) * MB),
        inactiveFile: Math.round(inactive * MB),
        shmem: Math.round((j % 3) * MB),
        kernel: Math.round((1 + (j % 17)) * MB),
        swap: swaps ? 5 * MB : 0,
      }),
    });
  }
  return list;
}

/** Writes the OpenMetrics file (one family per metric, each series' samples in time order). */
export function writeOpenMetrics(p: BenchParams, file: string): { lines: number; bytes: number } {
  const containers = benchContainers(p);
  const start = p.end - (p.points - 1) * p.step;
  const fd = fs.openSync(file, 'w');
  let lines = 0;
  let bytes = 0;
  const write = (text: string) => {
    bytes += fs.writeSync(fd, text);
  };
  try {
    for (const key of Object.keys(METRICS) as MetricKey[]) {
      const name = METRICS[key];
      write(`# HELP ${name} cAdvisor ${key}\n# TYPE ${name} gauge\n`);
      for (const c of containers) {
        const prefix = `${name}{${c.labels}} `;
        let chunk = '';
        for (let i = 0; i < p.points; i++) {
          chunk += `${prefix}${cadvisorValues(c.stat(i))[key]} ${start + i * p.step}\n`;
        }
        write(chunk);
        lines += p.points;
      }
    }
    write('# EOF\n');
  } finally {
    fs.closeSync(fd);
  }
  return { lines, bytes };
}
