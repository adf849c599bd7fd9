// Reading and creating memory cgroups (v1 at /sys/fs/cgroup/memory, or a writable v2 tree), and
// whether this machine lets us. Shared by the workload, the exporter, the test and the demo.
import fs from 'fs';
import path from 'path';

export type CgroupVersion = 1 | 2;

export interface CgroupRoot {
  version: CgroupVersion;
  /** Directory under which a child memory cgroup can be made. */
  dir: string;
}

export type Writability = ({ ok: true } & CgroupRoot) | { ok: false; reason: string };

const V1_MEMORY = '/sys/fs/cgroup/memory';
const V2_ROOT = '/sys/fs/cgroup';

function canMakeChild(dir: string): string | undefined {
  const probe = path.join(dir, `realmemory-probe-${process.pid}`);
  try {
    fs.mkdirSync(probe);
    fs.rmdirSync(probe);
    return undefined;
  } catch (e: any) {
    return `${dir}: ${e.code ?? e.message}`;
  }
}

/** Whether a memory cgroup can be created here, and where; else why not. */
export function cgroupsWritable(): Writability {
  const reasons: string[] = [];
  if (process.platform !== 'linux') {
    return { ok: false, reason: `cgroups need Linux (this is ${process.platform})` };
  }
  if (fs.existsSync(path.join(V1_MEMORY, 'memory.usage_in_bytes'))) {
    const why = canMakeChild(V1_MEMORY);
    if (!why) {
      return { ok: true, version: 1, dir: V1_MEMORY };
    }
    reasons.push(`cgroup v1 memory controller not writable (${why})`);
  } else {
    reasons.push(`no cgroup v1 memory controller at ${V1_MEMORY}`);
  }
  const controllers = path.join(V2_ROOT, 'cgroup.subtree_control');
  if (fs.existsSync(path.join(V2_ROOT, 'cgroup.controllers'))) {
    let enabled = fs.readFileSync(controllers, 'utf8').split(/\s+/).includes('memory');
    if (!enabled) {
      try {
        fs.writeFileSync(controllers, '+memory');
        enabled = true;
      } catch (e: any) {
        reasons.push(`cgroup v2 at ${V2_ROOT} has no memory controller for children (${e.code ?? e.message})`);
      }
    }
    if (enabled) {
      const why = canMakeChild(V2_ROOT);
      if (!why) {
        return { ok: true, version: 2, dir: V2_ROOT };
      }
      reasons.push(`cgroup v2 tree not writable (${why})`);
    }
  } else {
    reasons.push(`no cgroup v2 tree at ${V2_ROOT}`);
  }
  return { ok: false, reason: reasons.join('; ') + ' (needs root on a host or VM, or a privileged container)' };
}

/** Parses memory.stat ("key value" lines). */
export function readMemoryStat(cgroupDir: string): Record<string, number> {
  const stat: Record<string, number> = {};
  for (const line of fs.readFileSync(path.join(cgroupDir, 'memory.stat'), 'utf8').split('\n')) {
    const [key, value] = line.split(' ');
    if (key && value !== undefined) {
      stat[key] = Number(value);
    }
  }
  return stat;
}

function readNumber(file: string): number | undefined {
  try {
    return Number(fs.readFileSync(file, 'utf8').trim());
  } catch {
    return undefined;
  }
}

/** The cAdvisor memory figures of one cgroup. */
export interface CadvisorMemory {
  usage: number;
  workingSet: number;
  rss: number;
  cache: number;
  swap: number;
  activeFile: number;
  inactiveFile: number;
}

/**
 * cAdvisor's own mapping, from google/cadvisor lib/container/libcontainer/handler.go,
 * setMemoryStats (lines 820-899 at commit 6a0c4f2):
 *   v2:                 Cache = stat["file"], RSS = stat["anon"],
 *                       Swap = SwapUsage.Usage − Usage (libcontainer: swap.current + current, so = memory.swap.current)
 *   v1 UseHierarchy:    Cache = total_cache, RSS = total_rss, Swap = total_swap
 *   v1 otherwise:       Cache = cache, RSS = rss, Swap = swap
 *   TotalActiveFile   = stat["total_active_file"] (v1) / stat["active_file"] (v2)
 *   TotalInactiveFile = stat["total_inactive_file"] (v1) / stat["inactive_file"] (v2)
 *   WorkingSet        = Usage − TotalInactiveFile, 0 when inactive > usage
 * Usage is memory.usage_in_bytes (v1) / memory.current (v2). lib/metrics/prometheus.go (lines
 * 447-553) publishes them as container_memory_{cache,rss,swap,usage_bytes,working_set_bytes,
 * total_active_file_bytes,total_inactive_file_bytes}. A key missing from memory.stat reads 0, as
 * a missing Go map key does.
 */
export function cadvisorMemory(cgroupDir: string, version: CgroupVersion): CadvisorMemory {
  const s = readMemoryStat(cgroupDir);
  const k = (key: string) => s[key] ?? 0;
  let usage: number;
  let rss: number;
  let cache: number;
  let swap: number;
  let activeFile: number;
  let inactiveFile: number;
  if (version === 2) {
    usage = readNumber(path.join(cgroupDir, 'memory.current')) ?? 0;
    rss = k('anon');
    cache = k('file');
    swap = readNumber(path.join(cgroupDir, 'memory.swap.current')) ?? 0;
    activeFile = k('active_file');
    inactiveFile = k('inactive_file');
  } else {
    usage = readNumber(path.join(cgroupDir, 'memory.usage_in_bytes')) ?? 0;
    const hierarchy = readNumber(path.join(cgroupDir, 'memory.use_hierarchy')) === 1;
    rss = hierarchy ? k('total_rss') : k('rss');
    cache = hierarchy ? k('total_cache') : k('cache');
    swap = hierarchy ? k('total_swap') : k('swap');
    activeFile = k('total_active_file');
    inactiveFile = k('total_inactive_file');
  }
  const workingSet = usage < inactiveFile ? 0 : usage - inactiveFile;
  return { usage, workingSet, rss, cache, swap, activeFile, inactiveFile };
}

/**
 * The memory limit as cAdvisor publishes it (container_spec_memory_limit_bytes): memory.max (v2,
 * "max" = unlimited) or memory.limit_in_bytes (v1, a page-rounded 2^63 = unlimited); 0 when unlimited.
 */
export function memoryLimit(cgroupDir: string, version: CgroupVersion): number {
  if (version === 2) {
    const text = readText(path.join(cgroupDir, 'memory.max'));
    return text === undefined || text === 'max' ? 0 : Number(text);
  }
  const limit = readNumber(path.join(cgroupDir, 'memory.limit_in_bytes')) ?? 0;
  return limit >= 2 ** 62 ? 0 : limit;
}

/**
 * PSI of the cgroup's memory (cgroup v2 memory.pressure: "some … total=<µs>" and "full … total=<µs>")
 * in seconds, as cAdvisor ≥ 0.52 publishes container_pressure_memory_{waiting,stalled}_seconds_total.
 * Undefined on cgroup v1, which has no per-cgroup PSI.
 */
export function memoryPressure(cgroupDir: string, version: CgroupVersion): { waiting: number; stalled: number } | undefined {
  if (version !== 2) {
    return undefined;
  }
  const text = readText(path.join(cgroupDir, 'memory.pressure'));
  const total = (kind: string) => Number(new RegExp(`^${kind} .*total=(\\d+)`, 'm').exec(text ?? '')?.[1] ?? NaN) / 1e6;
  const waiting = total('some');
  const stalled = total('full');
  return Number.isFinite(waiting) && Number.isFinite(stalled) ? { waiting, stalled } : undefined;
}

function readText(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8').trim();
  } catch {
    return undefined;
  }
}

/** The machine's root memory cgroup: what cAdvisor publishes as id="/", the kubelet's node figure. */
export type RootCgroup = { ok: true; version: CgroupVersion; dir: string } | { ok: false; reason: string };

/** Where the root memory cgroup's memory.stat can be read (no write access needed), or why not. */
export function rootMemoryCgroup(): RootCgroup {
  if (process.platform !== 'linux') {
    return { ok: false, reason: `cgroups need Linux (this is ${process.platform})` };
  }
  const readable = (file: string) => {
    try {
      fs.accessSync(file, fs.constants.R_OK);
      return true;
    } catch {
      return false;
    }
  };
  if (readable(path.join(V1_MEMORY, 'memory.stat')) && readable(path.join(V1_MEMORY, 'memory.usage_in_bytes'))) {
    return { ok: true, version: 1, dir: V1_MEMORY };
  }
  if (readable(path.join(V2_ROOT, 'cgroup.controllers')) && readable(path.join(V2_ROOT, 'memory.stat'))) {
    return { ok: true, version: 2, dir: V2_ROOT };
  }
  return {
    ok: false,
    reason: `no readable root memory cgroup (${V1_MEMORY}/memory.stat on cgroup v1, ${V2_ROOT}/memory.stat on v2)`,
  };
}

/** /proc/meminfo in bytes (its values are in kB). */
function meminfo(): Record<string, number> {
  const out: Record<string, number> = {};
  for (const line of fs.readFileSync('/proc/meminfo', 'utf8').split('\n')) {
    const m = /^(\w+):\s+(\d+)(?: kB)?$/.exec(line.trim());
    if (m) {
      out[m[1]] = Number(m[2]) * 1024;
    }
  }
  return out;
}

/** cAdvisor's machine_memory_bytes: MemTotal of /proc/meminfo (cAdvisor's machine info reads the same). */
export function machineMemoryBytes(): number {
  return meminfo().MemTotal;
}

/**
 * The root cgroup's figures as cAdvisor reports them. cgroup v1: the root has memory.usage_in_bytes
 * and a hierarchical memory.stat (total_*), read like any cgroup. cgroup v2: the root has no
 * memory.current, so runc (libcontainer/cgroups/fs2/memory.go, rootStatsFromMeminfo) takes
 * usage = anon + file of the root's memory.stat and swap = SwapTotal − SwapFree of /proc/meminfo.
 */
export function rootCadvisorMemory(root: { version: CgroupVersion; dir: string }): CadvisorMemory {
  if (root.version === 1) {
    return cadvisorMemory(root.dir, 1);
  }
  const s = readMemoryStat(root.dir);
  const k = (key: string) => s[key] ?? 0;
  const info = meminfo();
  const usage = k('anon') + k('file');
  const inactiveFile = k('inactive_file');
  return {
    usage,
    workingSet: usage < inactiveFile ? 0 : usage - inactiveFile,
    rss: k('anon'),
    cache: k('file'),
    swap: (info.SwapTotal ?? 0) - (info.SwapFree ?? 0),
    activeFile: k('active_file'),
    inactiveFile,
  };
}
