// The demo's live workload: log-writer.js in a cgroup of its own (cgroup v1 memory controller
// or a cgroup v2 tree), with a memory limit, exported in cAdvisor's format (exporter.ts).
// Its log files live in a temp dir; stop() kills it, removes the files and the
// cgroup.
import { ChildProcess, spawn } from 'child_process';
import fs from 'fs';
import os from 'os';
import path from 'path';

import { reapWithParent } from '../support/reaper';
import { startExporter } from './exporter';

export interface LiveDemo {
  cgroup: string;
  logDir: string;
  metricsUrl: string;
  labels: { namespace: string; pod: string; container: string };
  stop(): Promise<void>;
}

const V1 = '/sys/fs/cgroup/memory';
const V2 = '/sys/fs/cgroup';
const LIMIT_BYTES = 200e6;
const LABELS = { namespace: 'demo', pod: 'log-writer-0', container: 'writer' };

function cgroupRoot(): { root: string; v2: boolean } | undefined {
  if (fs.existsSync(path.join(V1, 'memory.usage_in_bytes'))) {
    return { root: V1, v2: false };
  }
  const controllers = path.join(V2, 'cgroup.controllers');
  if (fs.existsSync(controllers) && fs.readFileSync(controllers, 'utf8').includes('memory')) {
    return { root: V2, v2: true };
  }
  return undefined;
}

/** Why the live demo cannot run here, or undefined when it can. */
export function liveDemoUnavailable(): string | undefined {
  const found = cgroupRoot();
  if (!found) {
    return 'no cgroup v1 memory controller or cgroup v2 memory tree';
  }
  try {
    fs.accessSync(found.root, fs.constants.W_OK);
  } catch {
    return `${found.root} is not writable (run as root, or delegate a cgroup to this user)`;
  }
  return undefined;
}

function removeCgroup(dir: string) {
  const deadline = Date.now() + 3000;
  while (fs.existsSync(dir)) {
    try {
      fs.rmdirSync(dir);
    } catch (e) {
      if (Date.now() > deadline) {
        throw e;
      }
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 50); // processes still exiting
    }
  }
}

export async function startLiveDemo(): Promise<LiveDemo> {
  const { root, v2 } = cgroupRoot()!;
  const cgroup = path.join(root, `realmemory-demo-${process.pid}`);
  const logDir = fs.mkdtempSync(path.join(os.tmpdir(), 'realmemory-demo-logs-'));
  fs.mkdirSync(cgroup);
  fs.writeFileSync(path.join(cgroup, v2 ? 'memory.max' : 'memory.limit_in_bytes'), String(LIMIT_BYTES));

  let workload: ChildProcess | undefined;
  let exporter: { url: string; stop(): Promise<void> } | undefined;
  let unreap = () => {};
  const stop = async () => {
    unreap();
    await exporter?.stop();
    if (workload && workload.exitCode === null && workload.signalCode === null) {
      const exited = new Promise((r) => workload!.once('exit', r));
      workload.kill('SIGKILL');
      await exited;
    }
    fs.rmSync(logDir, { recursive: true, force: true });
    removeCgroup(cgroup);
  };
  try {
    // The shell joins the cgroup, then becomes the workload: every page it touches is charged there.
    const script = path.join(__dirname, 'log-writer.js');
    workload = spawn('sh', ['-c', `echo $$ > "${cgroup}/cgroup.procs" && exec "${process.execPath}" "${script}" "${logDir}"`], {
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    // Even if the demo is killed hard, the workload dies and its files and cgroup go.
    unreap = reapWithParent(workload.pid!, [logDir, cgroup]);
    exporter = await startExporter({ path: cgroup, v2, labels: { ...LABELS, image: 'demo/log-writer:1' } });
    return { cgroup, logDir, metricsUrl: exporter.url, labels: LABELS, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}
