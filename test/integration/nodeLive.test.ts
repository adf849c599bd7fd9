// The node view on a real kernel: the cAdvisor-format exporter publishes this machine's root
// memory cgroup as id="/" (labelled with the hostname as `node`) and machine_memory_bytes,
// Prometheus scrapes it every second, and DataSource.query() must show that log files written and
// read twice raise the node's working set — the kubelet's eviction signal — while real used stays
// put. Only reading the root cgroup is needed; skipped, with the reason printed, where it cannot be read.
import '../support/polyfills';

import { DataFrame } from '@grafana/data';
import fs from 'fs';
import os from 'os';
import path from 'path';

import { machineMemoryBytes, rootMemoryCgroup } from '../cgroup/cgroupfs';
import { RunningExporter, startExporter } from '../cgroup/exporter';
import { assertRealDisk } from '../cgroup/workload';
import { panelRequest, PrometheusDataSource, runQuery, startPrometheusDataSource } from '../support/dataSource';
import { sleep } from '../support/http';
import { promQuery } from '../support/prometheus';

jest.setTimeout(180000);

const MiB = 1024 * 1024;
const FILE_MB = 256;
const FILE_BYTES = FILE_MB * MiB;
const TRIALS = 5;
/**
 * The root cgroup holds every process of the machine. On our shared 2-core build VMs other jobs
 * (builds, browsers, other test suites) allocate and free hundreds of MiB of anonymous memory
 * within the seconds of one trial (seen: real used −195 … +224 MiB around a 128 MiB log), which
 * moves working set and real used alike. So each trial discounts the root's own anon change
 * (container_memory_rss{id="/"}, read straight from Prometheus at the same two instants), and each
 * figure is the median of TRIALS trials. The bounds are generous but still separate the readings:
 * beyond the anon change, real used must move by less than a quarter of the file (a figure that
 * counted the page cache would move by the whole file), working set must rise by at least 3/4 of
 * it, and by at most 1.5× (other jobs' page cache lands there too).
 */
const REAL_USED_TOLERANCE = FILE_BYTES / 4;
const MIN_WORKING_SET_RISE = 0.75 * FILE_BYTES;
const MAX_WORKING_SET_RISE = 1.5 * FILE_BYTES;

const root = rootMemoryCgroup();
if (!root.ok) {
  console.log(`SKIPPED node reproduction: ${root.reason}`);
}
const describeIfRoot = root.ok ? describe : describe.skip;

const nowSeconds = () => Math.floor(Date.now() / 1000);
const mib = (bytes: number) => `${(bytes / MiB).toFixed(1)} MiB`;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Writes `bytes` to a new file with one reused buffer (no anon growth), fsyncs, reads it twice. */
function writeAndReadTwice(file: string, bytes: number) {
  const buf = Buffer.alloc(MiB, 'INFO request served in 12ms path=/api/v1/items status=200\n');
  const fd = fs.openSync(file, 'w');
  for (let written = 0; written < bytes; written += MiB) {
    fs.writeSync(fd, buf, 0, MiB);
  }
  fs.fsyncSync(fd);
  fs.closeSync(fd);
  for (let pass = 0; pass < 2; pass++) {
    const rfd = fs.openSync(file, 'r');
    while (fs.readSync(rfd, buf, 0, MiB, null) > 0) {
      // reading is the point: the pages move to the active file list
    }
    fs.closeSync(rfd);
  }
}

describeIfRoot("this machine's node: page cache raises the kubelet's signal, not real used", () => {
  const node = os.hostname();
  let exporter: RunningExporter;
  let rig: PrometheusDataSource;
  let dir: string;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'realmemory-node-logs-'));
    assertRealDisk(dir);
    exporter = await startExporter({ node });
    rig = await startPrometheusDataSource({ scrapeTargets: [{ job: 'cadvisor', url: exporter.url, interval: '1s' }] });
    // A few scrapes first.
    for (let i = 0; i < 60; i++) {
      const r = await promQuery(rig.prom.url, 'count_over_time(container_memory_working_set_bytes{id="/"}[30s])');
      if (r.length && Number(r[0].value[1]) >= 3) {
        break;
      }
      await sleep(500);
    }
  }, 60000);

  afterAll(async () => {
    await rig?.stop();
    await exporter?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function nodeFrame(from: number, to: number): Promise<DataFrame> {
    const res = await runQuery(
      rig.ds,
      panelRequest([{ view: 'nodes', node }], from, to, {
        requestId: `node-${from}`,
        interval: '1s',
        intervalMs: 1000,
        maxDataPoints: 10000,
      })
    );
    expect(res.errors ?? []).toEqual([]);
    expect(res.data).toHaveLength(1);
    return res.data[0];
  }

  it('shows the machine as a node: capacity = MemTotal, eviction threshold = MemTotal − 100Mi', async () => {
    const frame = await nodeFrame(nowSeconds() - 10, nowSeconds());
    const last = (name: string) => {
      const values = frame.fields.find((f) => f.name === name)!.values as Array<number | null>;
      return values[values.length - 1];
    };
    expect(frame.fields[1].labels).toEqual({ node });
    expect(last('capacity')).toBe(machineMemoryBytes());
    expect(last('eviction threshold')).toBe(machineMemoryBytes() - 100 * MiB);
    expect(last('working set')).toBeGreaterThan(0);
    expect(last('real used')!).toBeLessThanOrEqual(last('working set')!);
  });

  it(`a ${FILE_MB} MiB log written and read twice raises working set by about its size; real used moves < ${mib(REAL_USED_TOLERANCE)} (beyond other processes' anon, median of ${TRIALS})`, async () => {
    const wsRises: number[] = [];
    const realChanges: number[] = [];
    const anonChanges: number[] = [];
    const raw: string[] = [];
    const rootAnonAt = async (ms: number) =>
      Number((await promQuery(rig.prom.url, 'max(container_memory_rss{id="/"})', ms / 1000))[0].value[1]);
    for (let trial = 0; trial < TRIALS; trial++) {
      const file = path.join(dir, `app-${trial}.log`);
      const rangeStart = nowSeconds() - 2;
      await sleep(1500);
      const tBefore = nowSeconds() - 1; // a scrape that surely happened before the log was written
      writeAndReadTwice(file, FILE_BYTES);
      await sleep(2500); // let Prometheus scrape the new state
      const tAfter = nowSeconds();
      const frame = await nodeFrame(rangeStart, tAfter);
      const times = frame.fields.find((f) => f.name === 'Time')!.values as number[];
      const col = (name: string) => frame.fields.find((f) => f.name === name)!.values as Array<number | null>;
      const iBefore = times.filter((t) => t <= tBefore * 1000).length - 1;
      const iAfter = times.length - 1;
      expect(iBefore).toBeGreaterThanOrEqual(0);
      expect(times[iAfter]).toBeGreaterThan(tBefore * 1000 + 2000);
      const at = (name: string, i: number) => col(name)[i] as number;
      const anonChange = (await rootAnonAt(times[iAfter])) - (await rootAnonAt(times[iBefore]));
      anonChanges.push(anonChange);
      raw.push(
        `working set ${mib(at('working set', iBefore))} -> ${mib(at('working set', iAfter))}, ` +
          `real used ${mib(at('real used', iBefore))} -> ${mib(at('real used', iAfter))}`
      );
      wsRises.push(at('working set', iAfter) - at('working set', iBefore) - anonChange);
      realChanges.push(at('real used', iAfter) - at('real used', iBefore) - anonChange);
      // Deleting the file drops its page cache, so each trial starts from the same state.
      fs.rmSync(file);
      await sleep(1000);
    }
    console.log(
      `node reproduction figures (${node}, cgroup v${root.ok ? root.version : '?'}, ${FILE_MB} MiB per trial; ` +
        `changes beyond the root's anon change):\n` +
        JSON.stringify(
          {
            raw,
            rootAnonChange: anonChanges.map(mib),
            workingSetRise: wsRises.map(mib),
            realUsedChange: realChanges.map(mib),
            median: { workingSetRise: mib(median(wsRises)), realUsedChange: mib(median(realChanges)) },
          },
          null,
          2
        )
    );
    expect(median(wsRises)).toBeGreaterThanOrEqual(MIN_WORKING_SET_RISE);
    expect(median(wsRises)).toBeLessThanOrEqual(MAX_WORKING_SET_RISE);
    expect(Math.abs(median(realChanges))).toBeLessThanOrEqual(REAL_USED_TOLERANCE);
  });
});
