// `npm run demo`: Real Memory without Docker. Starts Prometheus (Debian's binary), a live
// workload in a real cgroup that writes and re-reads log files (exported in cAdvisor's format,
// scraped every second) where cgroups are writable, else a backfilled dataset, and the
// sandbox; prints the URL. Ctrl-C stops everything it started and removes its temp data.
//
// Options: --port <n> (default 3000, or $PORT), --backfill (skip the live workload).
import { DatasetKind, buildDataset } from '../fixtures/cadvisor';
import { NODE_A, buildNodeDataset, mergeOpenMetrics } from '../fixtures/nodes';
import { RunningPrometheus, startPrometheus } from '../support/prometheus';
import { buildPage } from './build-page';
import { LiveDemo, liveDemoUnavailable, startLiveDemo } from './live';
import type { TestVariable } from '../support/templateSrv';
import { Sandbox, startSandbox } from './server';

const args = process.argv.slice(2);
const port = Number(args[args.indexOf('--port') + 1] || process.env.PORT || 3000);
const forceBackfill = args.includes('--backfill');

const cleanups: Array<() => Promise<void>> = [];
let stopping = false;

async function stopAll(code: number) {
  if (stopping) {
    return;
  }
  stopping = true;
  console.log('\nstopping…');
  for (const cleanup of cleanups.reverse()) {
    await cleanup().catch((e) => console.error(`cleanup failed: ${e.message}`));
  }
  console.log('stopped; temporary data removed.');
  process.exit(code);
}
process.on('SIGINT', () => stopAll(0));
process.on('SIGTERM', () => stopAll(0));

async function main() {
  const pageBuild = buildPage();

  let prometheus: RunningPrometheus;
  let live: LiveDemo | undefined;
  let variables: TestVariable[];
  let link: string;
  let nodeLink: string;
  let why = forceBackfill ? '--backfill given' : liveDemoUnavailable();
  if (!why) {
    // e.g. a temp dir on tmpfs: say why and show the backfilled data instead.
    live = await startLiveDemo().catch((e) => {
      why = e.message;
      return undefined;
    });
  }
  if (live) {
    cleanups.push(() => live!.stop());
    prometheus = await startPrometheus({ scrapeTargets: [{ job: 'cadvisor', url: live.metricsUrl, interval: '1s' }] });
    cleanups.push(() => prometheus.stop());
    variables = [];
    const query = { namespace: live.labels.namespace, pod: live.labels.pod, container: live.labels.container };
    link = `?query=${encodeURIComponent(JSON.stringify(query))}&from=now-10m&to=now&refresh=5s`;
    nodeLink = `?query=${encodeURIComponent(JSON.stringify({ view: 'nodes', node: live.node }))}&from=now-10m&to=now&refresh=5s`;
    console.log(`live workload: cgroup ${live.cgroup}, writing and re-reading log files in ${live.logDir}`);
    console.log(`this machine is node "${live.node}": its root memory cgroup is exported as id="/"`);
  } else {
    console.log(`no live workload (${why}): showing the backfilled "new" cAdvisor dataset instead.`);
    const kind: DatasetKind = 'new';
    const end = Math.floor(Date.now() / 60000) * 60 - 60;
    const dataset = buildDataset(kind, { end });
    const nodes = buildNodeDataset({ end });
    prometheus = await startPrometheus({ openMetrics: mergeOpenMetrics(dataset.openMetrics, nodes.openMetrics) });
    cleanups.push(() => prometheus.stop());
    variables = [
      { name: 'namespace', options: ['shop', 'data'], value: 'shop' },
      { name: 'pod', options: ['web-1', 'log-writer-0', 'batch-1'], value: ['web-1', 'log-writer-0'], multi: true },
      { name: 'container', options: ['nginx', 'app', 'writer', 'batch'], value: '$__all', includeAll: true },
    ];
    const query = { namespace: 'shop', pod: 'web-1', container: 'app' };
    link = `?query=${encodeURIComponent(JSON.stringify(query))}&from=${dataset.start * 1000}&to=${dataset.end * 1000}`;
    nodeLink = `?query=${encodeURIComponent(JSON.stringify({ view: 'nodes', node: NODE_A }))}&from=${nodes.start * 1000}&to=${nodes.end * 1000}`;
  }
  console.log(`Prometheus: ${prometheus.url}`);

  const sandbox: Sandbox = await startSandbox({ prometheusUrl: prometheus.url, pageDir: await pageBuild, port, variables });
  cleanups.push(() => sandbox.stop());
  console.log(`\nReal Memory demo: ${sandbox.url}${link}`);
  console.log(`The node view (the kubelet's eviction signal): ${sandbox.url}${nodeLink}\n`);
  console.log(
    live
      ? 'Watch working set climb with the page cache of the log files while real used stays flat. Ctrl-C stops.'
      : 'shop/web-1/app: its file cache grows 1 MB a minute, so working set climbs while real used stays flat. Ctrl-C stops.'
  );
}

main().catch(async (e) => {
  console.error(`demo failed: ${e.message}`);
  await stopAll(1);
});
