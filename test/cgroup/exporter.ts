// A tiny cAdvisor stand-in: an HTTP server on 127.0.0.1 that publishes ONE cgroup's memory as
// cAdvisor does (same metric names, same mapping from memory.stat, see cgroupfs.ts), read fresh
// on every scrape, with fixed Kubernetes-style labels.
//   const exp = await startExporter({ cgroupDir, version: 1 });  // exp.url → /metrics
//   …  await exp.stop();
import http from 'http';
import { AddressInfo } from 'net';

import { cadvisorMemory, CadvisorMemory, CgroupVersion, memoryLimit, memoryPressure } from './cgroupfs';

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
  cgroupDir: string;
  version: CgroupVersion;
  /** Default 0: any free port. */
  port?: number;
  labels?: Partial<typeof EXPORTER_LABELS>;
}

export interface RunningExporter {
  url: string;
  port: number;
  stop(): Promise<void>;
}

/** The Prometheus text exposition of the cgroup's memory, as cAdvisor would publish it. */
export function exposition(opts: ExporterOptions): string {
  const mem = cadvisorMemory(opts.cgroupDir, opts.version);
  const id = opts.cgroupDir.replace(/^\/sys\/fs\/cgroup(\/memory)?/, '') || '/';
  const labels = { ...EXPORTER_LABELS, ...opts.labels, id };
  const labelText = Object.entries(labels)
    .map(([k, v]) => `${k}="${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`)
    .join(',');
  const lines: string[] = [];
  for (const [key, name, help] of METRICS) {
    lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} gauge`, `${name}{${labelText}} ${mem[key]}`);
  }
  // The limit, so headroom and "Show limits" have one; PSI only where the kernel keeps it per cgroup (v2).
  const limit = memoryLimit(opts.cgroupDir, opts.version);
  lines.push(
    '# HELP container_spec_memory_limit_bytes Memory limit for the container.',
    '# TYPE container_spec_memory_limit_bytes gauge',
    `container_spec_memory_limit_bytes{${labelText}} ${limit}`
  );
  const psi = memoryPressure(opts.cgroupDir, opts.version);
  if (psi) {
    lines.push(
      '# HELP container_pressure_memory_waiting_seconds_total Total time duration tasks in the container have waited due to memory congestion.',
      '# TYPE container_pressure_memory_waiting_seconds_total counter',
      `container_pressure_memory_waiting_seconds_total{${labelText}} ${psi.waiting}`,
      '# HELP container_pressure_memory_stalled_seconds_total Total time duration no tasks in the container could make progress due to memory congestion.',
      '# TYPE container_pressure_memory_stalled_seconds_total counter',
      `container_pressure_memory_stalled_seconds_total{${labelText}} ${psi.stalled}`
    );
  }
  return lines.join('\n') + '\n';
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
      res.writeHead(500).end(`cannot read ${opts.cgroupDir}: ${e.message}\n`);
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
