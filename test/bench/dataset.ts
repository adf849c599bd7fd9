// The benchmark's cluster: N containers in M namespaces on K nodes, every cAdvisor memory metric
// (file-cache series included) at P points; each node's root cgroup (id="/") and pods' cgroup
// (/kubepods) with machine_memory_bytes, for the nodes view; kube-state-metrics' memory request
// and limit of each container (every tenth has no limit), for headroom, limits and eviction order.
// Written to an OpenMetrics file series by series, never held in memory whole (2,000 containers
// × 9 series × 720 points is ~13 M lines, ~3 GB of text).
import crypto from 'crypto';
import fs from 'fs';

import { CgroupStat, METRICS, MetricKey, cadvisorValues } from '../fixtures/cadvisor';

export interface BenchParams {
  containers: number;
  namespaces: number;
  nodes: number;
  points: number;
  /** Seconds between samples. */
  step: number;
  /**
   * Last sample time (s). Fixed, so the cached blocks stay valid across runs. An hour into a
   * 2-hour block, as in a live Prometheus, where the last minutes are in the head block: a dataset
   * ending on a block boundary put the last sample of each series in a block of its own, and each
   * refresh (its last 11 minutes) paid two blocks' index lookups (bench: 6.9 against 4.6 ms).
   */
  end: number;
}

export const DEFAULT_PARAMS: BenchParams = {
  containers: 2000,
  namespaces: 20,
  nodes: 40,
  points: 720,
  step: 60,
  end: 1_767_229_200, // 2026-01-01T01:00:00Z
};

/** A short, stable key for the cache folder: any change of parameters or of this generator's version. */
export function paramsKey(p: BenchParams): string {
  const text = JSON.stringify({ ...p, generator: GENERATOR_VERSION });
  return crypto.createHash('sha256').update(text).digest('hex').slice(0, 12);
}
const GENERATOR_VERSION = 2;

export const CONTAINERS_PER_POD = 2;

export interface BenchContainer {
  namespace: string;
  pod: string;
  container: string;
  node: string;
  labels: string;
  /** kube-state-metrics' memory request and limit, bytes; no limit for every tenth container. */
  request: number;
  limit?: number;
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

export function nodeName(n: number): string {
  return `node-${String(n).padStart(2, '0')}`;
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
    const node = nodeName(Math.floor(rand(j * 7 + 2) * p.nodes));
    const labels =
      `container="${container}",id="/kubepods/burstable/pod${hash}/${container}",image="registry.example/${namespace}/${container}:1.${j % 9}",` +
      `instance="${node}:10250",job="kubelet",namespace="${namespace}",node="${node}",pod="${pod}"`;
    // Per-container shape: anon base, file cache base, a log-heavy minority whose active file grows.
    const rss = 20 + rand(j * 7 + 3) * 900;
    const active = rand(j * 7 + 4) * 400;
    const inactive = rand(j * 7 + 5) * 300;
    const logHeavy = j % 5 === 0;
    const swaps = j % 97 === 0;
    const request = Math.round(rss * 1.2) * MB;
    list.push({
      namespace,
      pod,
      container,
      node,
      labels,
      request,
      limit: j % 10 === 9 ? undefined : 2 * request,
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

/** What runs on a node outside pods (kubelet, runtime, kernel): in its root cgroup, not in /kubepods. */
const SYSTEM: CgroupStat = {
  rss: 600 * MB,
  activeFile: 400 * MB,
  inactiveFile: 900 * MB,
  shmem: 0,
  kernel: 150 * MB,
  swap: 0,
};
const MACHINE_MEMORY = 64e9;

function sumStats(stats: CgroupStat[]): CgroupStat {
  const total: CgroupStat = { rss: 0, activeFile: 0, inactiveFile: 0, shmem: 0, kernel: 0, swap: 0 };
  for (const s of stats) {
    for (const k of Object.keys(total) as Array<keyof CgroupStat>) {
      total[k] += s[k];
    }
  }
  return total;
}

/** Per node: the pods' cgroup (/kubepods, its containers) and the root cgroup (id="/", pods + SYSTEM). */
function benchNodeCgroups(
  p: BenchParams,
  containers: BenchContainer[]
): Array<{ labels: string; stats: CgroupStat[] }> {
  const out: Array<{ labels: string; stats: CgroupStat[] }> = [];
  for (let n = 0; n < p.nodes; n++) {
    const node = nodeName(n);
    const onNode = containers.filter((c) => c.node === node);
    const pods = Array.from({ length: p.points }, (_, i) => sumStats(onNode.map((c) => c.stat(i))));
    const labels = (id: string) => `id="${id}",instance="${node}:10250",job="kubelet",node="${node}"`;
    out.push({ labels: labels('/'), stats: pods.map((s) => sumStats([s, SYSTEM])) });
    out.push({ labels: labels('/kubepods'), stats: pods });
  }
  return out;
}

/** Writes the OpenMetrics file (one family per metric, each series' samples in time order). */
export function writeOpenMetrics(p: BenchParams, file: string): { lines: number; bytes: number } {
  const containers = benchContainers(p);
  const nodeCgroups = benchNodeCgroups(p, containers);
  const start = p.end - (p.points - 1) * p.step;
  const fd = fs.openSync(file, 'w');
  let lines = 0;
  let bytes = 0;
  const write = (text: string) => {
    bytes += fs.writeSync(fd, text);
  };
  const series = (prefix: string, value: (i: number) => number) => {
    let chunk = '';
    for (let i = 0; i < p.points; i++) {
      chunk += `${prefix}${value(i)} ${start + i * p.step}\n`;
    }
    write(chunk);
    lines += p.points;
  };
  const family = (name: string, help: string) => write(`# HELP ${name} ${help}\n# TYPE ${name} gauge\n`);
  try {
    for (const key of Object.keys(METRICS) as MetricKey[]) {
      const name = METRICS[key];
      family(name, `cAdvisor ${key}`);
      for (const c of containers) {
        series(`${name}{${c.labels}} `, (i) => cadvisorValues(c.stat(i))[key]);
      }
      for (const cgroup of nodeCgroups) {
        series(`${name}{${cgroup.labels}} `, (i) => cadvisorValues(cgroup.stats[i])[key]);
      }
    }
    family('machine_memory_bytes', 'cAdvisor machine memory');
    for (let n = 0; n < p.nodes; n++) {
      const node = nodeName(n);
      series(
        `machine_memory_bytes{boot_id="boot-${node}",instance="${node}:10250",job="kubelet",node="${node}"} `,
        () => MACHINE_MEMORY
      );
    }
    const ksm = [
      { name: 'kube_pod_container_resource_requests', value: (c: BenchContainer) => c.request },
      { name: 'kube_pod_container_resource_limits', value: (c: BenchContainer) => c.limit },
    ];
    for (const { name, value } of ksm) {
      family(name, 'kube-state-metrics');
      for (const c of containers) {
        const v = value(c);
        if (v !== undefined) {
          const labels =
            `container="${c.container}",instance="ksm:8080",job="kube-state-metrics",namespace="${c.namespace}",` +
            `node="${c.node}",pod="${c.pod}",resource="memory",unit="byte"`;
          series(`${name}{${labels}} `, () => v);
        }
      }
    }
    write('# EOF\n');
  } finally {
    fs.closeSync(fd);
  }
  return { lines, bytes };
}
