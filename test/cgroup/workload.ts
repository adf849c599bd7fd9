// A log-writing workload in its own memory cgroup: a Node child process moved into a fresh
// cgroup that, on command, writes a log file of N MB to a real disk (not tmpfs), fsyncs it and
// reads the whole file twice. Its page cache lands on the cgroup's file LRU (active after the
// second read) while its anonymous memory stays put: the case where working set climbs and
// real used does not.
//   const w = await startWorkload();      // w.cgroupDir, w.pid, w.logDir, w.version
//   await w.logCycle(16);                 // write 16 MB, read it twice
//   await w.stop();                       // kill the child, delete the log, remove the cgroup
import { ChildProcess, spawn } from 'child_process';
import fs from 'fs';
import os from 'os';
import path from 'path';

import { reapWithParent } from '../support/reaper';
import { cgroupsWritable, CgroupVersion } from './cgroupfs';

export { cgroupsWritable } from './cgroupfs';

const TMPFS_MAGIC = 0x01021994;
const RAMFS_MAGIC = 0x858458f6;

// Runs in the child. One 1 MB buffer, allocated up front and reused, so writing and reading the
// file adds page cache but no anonymous memory.
const CHILD = `
const fs = require('fs');
const MB = 1024 * 1024;
const buf = Buffer.alloc(MB, 'INFO request served in 12ms path=/api/v1/items status=200\\n');
process.on('disconnect', () => process.exit(0));
process.on('message', (m) => {
  try {
    const fd = fs.openSync(m.file, 'w');
    for (let i = 0; i < m.mb; i++) fs.writeSync(fd, buf, 0, MB);
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    let read = 0;
    for (let pass = 0; pass < 2; pass++) {
      const rfd = fs.openSync(m.file, 'r');
      let n;
      while ((n = fs.readSync(rfd, buf, 0, MB, null)) > 0) read += n;
      fs.closeSync(rfd);
    }
    process.send({ ok: true, bytes: fs.statSync(m.file).size, read });
  } catch (e) {
    process.send({ ok: false, error: String(e && e.message || e) });
  }
});
process.send({ ready: true });
`;

export interface WorkloadOptions {
  /** Cgroup directory name. Default realmemory-<pid>-<time>. */
  name?: string;
  /** Directory for the log files, on a real disk. Default a new temp dir. */
  logDir?: string;
  /** Memory limit of the cgroup (memory.limit_in_bytes on v1, memory.max on v2). Default none. */
  memoryLimitBytes?: number;
}

export interface Workload {
  version: CgroupVersion;
  cgroupDir: string;
  pid: number;
  logDir: string;
  /** Writes a log file of `mb` MiB, fsyncs it, reads it twice. */
  logCycle(mb: number): Promise<{ file: string; bytes: number }>;
  stop(): Promise<void>;
}

/** Throws when the directory is on tmpfs/ramfs: its pages would be shmem, not file cache. */
export function assertRealDisk(dir: string): void {
  const type = Number(fs.statfsSync(dir).type);
  if (type === TMPFS_MAGIC || type === RAMFS_MAGIC) {
    throw new Error(`${dir} is on tmpfs/ramfs; the workload needs a directory on a real disk (set logDir)`);
  }
}

export async function startWorkload(opts: WorkloadOptions = {}): Promise<Workload> {
  const where = cgroupsWritable();
  if (!where.ok) {
    throw new Error(`cannot create a memory cgroup: ${where.reason}`);
  }
  const logDir = opts.logDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'realmemory-logs-'));
  assertRealDisk(logDir);
  const cgroupDir = path.join(where.dir, opts.name ?? `realmemory-${process.pid}-${Date.now()}`);
  fs.mkdirSync(cgroupDir);

  let child: ChildProcess | undefined;
  let unreap = () => {};
  const cleanup = () => {
    removeCgroup(cgroupDir, where.dir);
    if (!opts.logDir) {
      fs.rmSync(logDir, { recursive: true, force: true });
    }
  };
  try {
    if (opts.memoryLimitBytes !== undefined) {
      const limitFile = where.version === 2 ? 'memory.max' : 'memory.limit_in_bytes';
      fs.writeFileSync(path.join(cgroupDir, limitFile), String(opts.memoryLimitBytes));
    }
    child = spawn(process.execPath, ['-e', CHILD], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const proc = child;
    unreap = reapWithParent(proc.pid!, opts.logDir ? [cgroupDir] : [logDir, cgroupDir]);
    // Moving the process in charges its memory from now on to the new cgroup.
    fs.writeFileSync(path.join(cgroupDir, 'cgroup.procs'), String(proc.pid));
    await new Promise<void>((resolve, reject) => {
      proc.once('exit', (code) => reject(new Error(`workload exited early (code ${code})`)));
      proc.once('message', () => resolve());
    });

    let cycles = 0;
    const logCycle = (mb: number) =>
      new Promise<{ file: string; bytes: number }>((resolve, reject) => {
        const file = path.join(logDir, `app-${++cycles}.log`);
        const onExit = (code: number | null, signal: string | null) =>
          reject(new Error(`workload exited (${signal ?? `code ${code}`}) during a log cycle`));
        proc.once('exit', onExit);
        proc.once('message', (m: any) => {
          proc.off('exit', onExit);
          return m.ok ? resolve({ file, bytes: m.bytes }) : reject(new Error(m.error));
        });
        proc.send({ file, mb });
      });

    const stop = async () => {
      if (proc.exitCode === null && proc.signalCode === null) {
        const exited = new Promise((r) => proc.once('exit', r));
        proc.kill('SIGKILL');
        await exited;
      }
      unreap();
      cleanup();
    };
    return { version: where.version, cgroupDir, pid: proc.pid!, logDir, logCycle, stop };
  } catch (e) {
    unreap();
    child?.kill('SIGKILL');
    await new Promise((r) => setTimeout(r, 200));
    cleanup();
    throw e;
  }
}

/** Moves any process left to the parent cgroup, then removes the (then empty) cgroup. */
function removeCgroup(cgroupDir: string, parentDir: string) {
  if (!fs.existsSync(cgroupDir)) {
    return;
  }
  for (let attempt = 0; attempt < 20; attempt++) {
    const pids = fs.readFileSync(path.join(cgroupDir, 'cgroup.procs'), 'utf8').split('\n').filter(Boolean);
    for (const pid of pids) {
      try {
        fs.writeFileSync(path.join(parentDir, 'cgroup.procs'), pid);
      } catch {
        // exited meanwhile
      }
    }
    try {
      fs.rmdirSync(cgroupDir);
      return;
    } catch {
      // EBUSY while an exiting process is still listed; retry shortly
      const until = Date.now() + 100;
      while (Date.now() < until) {
        // bounded busy wait: stop() must be able to finish synchronously after the child exited
      }
    }
  }
  throw new Error(`could not remove cgroup ${cgroupDir}: processes still inside`);
}
