// The demo's live workload: test/cgroup's log-writing workload in a memory cgroup of its own, with
// a memory limit, published by the cAdvisor-format exporter together with this machine as a node
// (its root memory cgroup as id="/", named by the hostname). Every few seconds it writes a log
// file and reads it twice (its page cache stays active: working set climbs, real used does not);
// only the newest KEEP_FILES are kept, so disk use is bounded. stop() ends it all; if the demo is
// killed hard, the reaper started by startWorkload kills the workload and removes its cgroup and logs.
import fs from 'fs';
import os from 'os';

import { cgroupsWritable } from '../cgroup/cgroupfs';
import { EXPORTER_LABELS, RunningExporter, startExporter } from '../cgroup/exporter';
import { startWorkload } from '../cgroup/workload';

const LIMIT_BYTES = 200e6;
const FILE_MB = 4;
const KEEP_FILES = 32; // 128 MiB of logs at most, well under the limit
const PERIOD_MS = 3000;

export interface LiveDemo {
  cgroup: string;
  logDir: string;
  metricsUrl: string;
  labels: typeof EXPORTER_LABELS;
  /** This machine's node name in the exported series. */
  node: string;
  stop(): Promise<void>;
}

/** Why the live demo cannot run here, or undefined when it can. */
export function liveDemoUnavailable(): string | undefined {
  const where = cgroupsWritable();
  return where.ok ? undefined : where.reason;
}

export async function startLiveDemo(): Promise<LiveDemo> {
  const workload = await startWorkload({ name: `realmemory-demo-${process.pid}`, memoryLimitBytes: LIMIT_BYTES });
  let exporter: RunningExporter;
  try {
    exporter = await startExporter({ cgroupDir: workload.cgroupDir, version: workload.version, node: os.hostname() });
  } catch (e) {
    await workload.stop();
    throw e;
  }

  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let round = 0;
  const files: string[] = [];
  const tick = async () => {
    try {
      files.push((await workload.logCycle(FILE_MB)).file);
      for (const old of files.splice(0, Math.max(0, files.length - KEEP_FILES))) {
        fs.rmSync(old, { force: true });
      }
      if (++round % 10 === 1) {
        console.log(`log-writer: round ${round}, ${files.length} files of ${FILE_MB} MiB, newest written and read twice`);
      }
    } catch (e: any) {
      if (!stopped) {
        console.error(`log-writer stopped: ${e.message}`);
      }
      return;
    }
    if (!stopped) {
      timer = setTimeout(tick, PERIOD_MS);
    }
  };
  void tick();

  return {
    cgroup: workload.cgroupDir,
    logDir: workload.logDir,
    metricsUrl: exporter.url,
    labels: EXPORTER_LABELS,
    node: os.hostname(),
    stop: async () => {
      stopped = true;
      clearTimeout(timer);
      await exporter.stop();
      await workload.stop();
    },
  };
}
