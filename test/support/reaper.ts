// Makes sure child processes started by tests die with the test process, and their leftovers
// (temp dirs, cgroups) go with them: on a normal exit (even after a failing or timed-out test)
// through an 'exit' hook, and on a hard kill of the test process (SIGKILL) through a tiny shell
// watchdog that polls the parent's pid.
import { spawn } from 'child_process';
import fs from 'fs';

interface Entry {
  pid: number;
  paths: string[];
}
const live = new Map<number, Entry>();
let hooked = false;

const isCgroup = (p: string) => p.startsWith('/sys/fs/cgroup/');

function removeSync(p: string) {
  if (!isCgroup(p)) {
    fs.rmSync(p, { recursive: true, force: true });
    return;
  }
  // A cgroup can only be removed once its processes have exited; SIGKILL is quick but async.
  const deadline = Date.now() + 2000;
  while (fs.existsSync(p)) {
    try {
      fs.rmdirSync(p);
    } catch {
      if (Date.now() > deadline) {
        return;
      }
    }
  }
}

function hookExit() {
  if (hooked) {
    return;
  }
  hooked = true;
  process.on('exit', () => {
    for (const e of live.values()) {
      try {
        process.kill(e.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    for (const e of live.values()) {
      e.paths.forEach(removeSync);
    }
  });
}

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/**
 * Registers `pid` to be killed when this process exits or dies, then `paths` removed (temp dirs
 * with rm -rf, cgroup dirs with rmdir). Returns an unregister function to call once the child
 * was stopped and cleaned up normally.
 */
export function reapWithParent(pid: number, paths: string[] = []): () => void {
  hookExit();
  live.set(pid, { pid, paths });
  const cleanup = paths
    .map((p) =>
      isCgroup(p)
        ? `for i in 1 2 3 4 5; do rmdir ${quote(p)} 2>/dev/null && break; sleep 0.3; done`
        : `rm -rf ${quote(p)}`
    )
    .join('; ');
  const script =
    `while kill -0 ${process.pid} 2>/dev/null && kill -0 ${pid} 2>/dev/null; do sleep 1; done; ` +
    `if ! kill -0 ${process.pid} 2>/dev/null; then kill -9 ${pid} 2>/dev/null; sleep 0.3; ${cleanup || 'true'}; fi`;
  const watchdog = spawn('sh', ['-c', script], { detached: true, stdio: 'ignore' });
  watchdog.unref();
  return () => {
    live.delete(pid);
    try {
      if (watchdog.pid) {
        process.kill(watchdog.pid, 'SIGKILL');
      }
    } catch {
      // already gone
    }
  };
}
