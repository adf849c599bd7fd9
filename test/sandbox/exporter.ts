// The demo's exporter: one cgroup's memory published with cAdvisor's metric names and cAdvisor's
// mapping (container/libcontainer/handler.go): v1 reads memory.usage_in_bytes and memory.stat's
// total_* keys, v2 memory.current and memory.stat; working set = usage − inactive_file, floored
// at 0. Read fresh on every scrape.
import fs from 'fs';
import http from 'http';
import path from 'path';

export interface ExportedCgroup {
  path: string;
  v2: boolean;
  labels: Record<string, string>;
}

function readStat(dir: string): Record<string, number> {
  const stat: Record<string, number> = {};
  for (const line of fs.readFileSync(path.join(dir, 'memory.stat'), 'utf8').split('\n')) {
    const [k, v] = line.split(' ');
    if (k && v !== undefined) {
      stat[k] = Number(v);
    }
  }
  return stat;
}

/** cAdvisor's figures for one cgroup, by metric name. */
export function cadvisorMemory(cg: ExportedCgroup): Record<string, number> {
  const stat = readStat(cg.path);
  const key = (v1: string, v2: string) => stat[cg.v2 ? v2 : v1] ?? 0;
  const usage = Number(fs.readFileSync(path.join(cg.path, cg.v2 ? 'memory.current' : 'memory.usage_in_bytes'), 'utf8'));
  const inactiveFile = key('total_inactive_file', 'inactive_file');
  return {
    container_memory_usage_bytes: usage,
    container_memory_working_set_bytes: Math.max(usage - inactiveFile, 0),
    container_memory_rss: key('total_rss', 'anon'),
    container_memory_cache: key('total_cache', 'file'),
    container_memory_swap: key('total_swap', 'swap'),
    container_memory_total_active_file_bytes: key('total_active_file', 'active_file'),
    container_memory_total_inactive_file_bytes: inactiveFile,
  };
}

function exposition(cg: ExportedCgroup): string {
  const labels = Object.entries({ ...cg.labels, id: cg.path })
    .map(([k, v]) => `${k}="${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`)
    .join(',');
  return Object.entries(cadvisorMemory(cg))
    .map(([name, value]) => `# TYPE ${name} gauge\n${name}{${labels}} ${value}\n`)
    .join('');
}

export async function startExporter(cg: ExportedCgroup): Promise<{ url: string; stop(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    try {
      const body = exposition(cg);
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
      res.end(body);
    } catch (e: any) {
      res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(`cannot read ${cg.path}: ${e.message}\n`);
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}/metrics`,
    stop: () => new Promise<void>((r) => server.close(() => r())),
  };
}
