// A tiny cAdvisor stand-in: an HTTP server on 127.0.0.1 that publishes ONE cgroup's memory as
// cAdvisor does (same metric names, same mapping from memory.stat, see cgroupfs.ts), read fresh
// on every scrape, with fixed Kubernetes-style labels. With `node`, it also publishes this
// machine as that node, as the kubelet's cAdvisor does: the root memory cgroup as id="/" and
// machine_memory_bytes, every series labelled node=<name> (kube-prometheus' relabeling).
//   const exp = await startExporter({ cgroupDir, version: 1, node: os.hostname() });  // exp.url → /metrics
//   …  await exp.stop();
import http from 'http';
import { AddressInfo } from 'net';

import {
  cadvisorMemory,
  CadvisorMemory,
  CgroupVersion,
  machineMemoryBytes,
  memoryLimit,
  memoryPressure,
  rootCadvisorMemory,
  rootMemoryCgroup,
} from './cgroupfs';

export const EXPORTER_LABELS = {
  namespace: 'demo',
  pod: 'log-writer-0',
  container: 'writer',
  image: 'demo/log-writer:1',
};

const METRICS: Array<[keyof CadvisorMemory, string, string]> = [
  ['cache', 'container_memory_cache', 'Number of bytes of page cache memory.'],
  ['rss', 'container_memory_rss', 'Size of RSS in bytes.'],
  ['swap', 'container_memory_swap', 'Container swap usage in bytes.'],
  [
    'usage',
    'container_memory_usage_bytes',
    'Current memory usage in bytes, including all memory regardless of when it was accessed',
  ],
  ['workingSet', 'container_memory_working_set_bytes', 'Current working set in bytes.'],
  ['activeFile', 'container_memory_total_active_file_bytes', 'Current total active file in bytes.'],
  ['inactiveFile', 'container_memory_total_inactive_file_bytes', 'Current total inactive file in bytes.'],
];

export interface ExporterOptions {
  /** The workload's cgroup, published as a container; optional when only the node is wanted. */
  cgroupDir?: string;
  version?: CgroupVersion;
  /** Default 0: any free port. */
  port?: number;
  labels?: Partial<typeof EXPORTER_LABELS>;
  /** Publish this machine as the node of that name (root cgroup id="/", machine_memory_bytes). */
  node?: string;
}

export interface RunningExporter {
  url: string;
  port: number;
  stop(): Promise<void>;
}

/** The Prometheus text exposition of the cgroup's memory (and the node's), as cAdvisor would publish it. */
export function exposition(opts: ExporterOptions): string {
  const nodeLabel: Record<string, string> = opts.node ? { node: opts.node } : {};
  const cgroups: Array<{ labels: Record<string, string>; mem: CadvisorMemory }> = [];
  let container: { dir: string; version: CgroupVersion; labels: Record<string, string> } | undefined;
  if (opts.cgroupDir) {
    const id = opts.cgroupDir.replace(/^\/sys\/fs\/cgroup(\/memory)?/, '') || '/';
    container = {
      dir: opts.cgroupDir,
      version: opts.version ?? 1,
      labels: { ...EXPORTER_LABELS, ...opts.labels, ...nodeLabel, id },
    };
    cgroups.push({ labels: container.labels, mem: cadvisorMemory(container.dir, container.version) });
  }
  if (opts.node) {
    const root = rootMemoryCgroup();
    if (!root.ok) {
      throw new Error(root.reason);
    }
    // The kubelet's cAdvisor labels the root cgroup with its id alone (no namespace, pod, container or image).
    cgroups.push({ labels: { id: '/', node: opts.node }, mem: rootCadvisorMemory(root) });
  }
  const lines: string[] = [];
  for (const [key, name, help] of METRICS) {
    lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} gauge`);
    for (const { labels, mem } of cgroups) {
      lines.push(`${name}{${labelText(labels)}} ${mem[key]}`);
    }
  }
  if (container) {
    // The limit, so headroom and "Show limits" have one; PSI only where the kernel keeps it per cgroup (v2).
    const labels = labelText(container.labels);
    const limit = memoryLimit(container.dir, container.version);
    lines.push(
      '# HELP container_spec_memory_limit_bytes Memory limit for the container.',
      '# TYPE container_spec_memory_limit_bytes gauge',
      `container_spec_memory_limit_bytes{${labels}} ${limit}`
    );
    const psi = memoryPressure(container.dir, container.version);
    if (psi) {
      lines.push(
        '# HELP container_pressure_memory_waiting_seconds_total Total time duration tasks in the container have waited due to memory congestion.',
        '# TYPE container_pressure_memory_waiting_seconds_total counter',
        `container_pressure_memory_waiting_seconds_total{${labels}} ${psi.waiting}`,
        '# HELP container_pressure_memory_stalled_seconds_total Total time duration no tasks in the container could make progress due to memory congestion.',
        '# TYPE container_pressure_memory_stalled_seconds_total counter',
        `container_pressure_memory_stalled_seconds_total{${labels}} ${psi.stalled}`
      );
    }
  }
  if (opts.node) {
    lines.push(
      '# HELP machine_memory_bytes Amount of memory installed on the machine.',
      '# TYPE machine_memory_bytes gauge',
      `machine_memory_bytes{${labelText({ node: opts.node })}} ${machineMemoryBytes()}`
    );
  }
  return lines.join('\n') + '\n';
}

function labelText(labels: Record<string, string>): string {
  return Object.entries(labels)
    .map(([k, v]) => `${k}="${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`)
    .join(',');
}

export async function startExporter(opts: ExporterOptions): Promise<RunningExporter> {
  const server = http.createServer((req, res) => {
    if (req.url !== '/metrics') {
      res.writeHead(404).end('only /metrics\n');
      return;
    }
    try {
      const body = exposition(opts);
      res.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4; charset=utf-8' }).end(body);
    } catch (e: any) {
      res.writeHead(500).end(`cannot read ${opts.cgroupDir ?? 'the root memory cgroup'}: ${e.message}\n`);
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', resolve);
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/metrics`,
    port,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
