// `npm run demo`: Real Memory without Docker. Starts Prometheus (Debian's binary) with a small
// cluster (test/fixtures/cluster.ts: three nodes, six namespaces, 22 containers, limits and
// requests from kube-state-metrics, one older cAdvisor), its past hour backfilled and its present
// scraped; beside it, where cgroups are writable, a live workload in a real cgroup of this machine
// that writes and re-reads log files (exported in cAdvisor's format, scraped every second). Then
// the sandbox; prints the URLs, each opening on the last 30 minutes. Ctrl-C stops everything it
// started and removes its temp data.
//
// Options: --port <n> (default 3000, or $PORT), --backfill (no live workload: the cluster alone).
import { CLUSTER_CONTAINERS, LEAKER } from '../fixtures/cluster';
import { RunningPrometheus, ScrapeTarget, startPrometheus } from '../support/prometheus';
import { buildPage } from './build-page';
import { clusterHistory, startClusterExporter } from './clusterExporter';
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

/** The cluster's past hour is backfilled at its scrape interval; the scrapes carry on from there. */
const CLUSTER_STEP_SECONDS = 15;
const HISTORY_SECONDS = 3600;

const link = (base: string, query: object) =>
  `${base}?query=${encodeURIComponent(JSON.stringify(query))}&from=now-30m&to=now&refresh=15s`;

async function main() {
  const pageBuild = buildPage();

  const lastBackfilled =
    Math.floor(Date.now() / 1000 / CLUSTER_STEP_SECONDS) * CLUSTER_STEP_SECONDS - CLUSTER_STEP_SECONDS;
  const origin = lastBackfilled - HISTORY_SECONDS;
  const cluster = await startClusterExporter(origin);
  cleanups.push(() => cluster.stop());
  const targets: ScrapeTarget[] = [
    { job: 'cluster', url: cluster.url, interval: `${CLUSTER_STEP_SECONDS}s`, honorLabels: true },
  ];

  let live: LiveDemo | undefined;
  let why = forceBackfill ? '--backfill given' : liveDemoUnavailable();
  if (!why) {
    // e.g. a temp dir on tmpfs: say why and show the cluster alone.
    live = await startLiveDemo().catch((e) => {
      why = e.message;
      return undefined;
    });
  }
  if (live) {
    cleanups.push(() => live!.stop());
    targets.push({ job: 'cadvisor', url: live.metricsUrl, interval: '1s' });
  }

  console.log("backfilling the small cluster's last hour…");
  const prometheus: RunningPrometheus = await startPrometheus({
    openMetrics: clusterHistory(origin, origin, lastBackfilled, CLUSTER_STEP_SECONDS),
    scrapeTargets: targets,
  });
  cleanups.push(() => prometheus.stop());
  console.log(`Prometheus: ${prometheus.url}`);

  const namespaces = [
    ...Array.from(new Set(CLUSTER_CONTAINERS.map((c) => c.namespace))),
    ...(live ? [live.labels.namespace] : []),
  ];
  const variables: TestVariable[] = [
    { name: 'namespace', options: namespaces, value: 'shop' },
    {
      name: 'pod',
      options: Array.from(new Set(CLUSTER_CONTAINERS.map((c) => c.pod))),
      value: '$__all',
      includeAll: true,
    },
  ];
  const sandbox: Sandbox = await startSandbox({
    prometheusUrl: prometheus.url,
    pageDir: await pageBuild,
    port,
    variables,
  });
  cleanups.push(() => sandbox.stop());

  const base = sandbox.url;
  console.log(
    `\nReal Memory demo, a small cluster (3 nodes, ${namespaces.length} namespaces, ${CLUSTER_CONTAINERS.length} containers):`
  );
  console.log(`  namespace shop:  ${link(base, { namespace: 'shop', topN: 10 })}`);
  console.log(
    "    log-writer-0's working set climbs toward its limit with active page cache; its real used stays flat."
  );
  console.log(`  leak check:      ${link(base, { view: 'leakCheck', topN: 10 })}`);
  console.log(`    ${LEAKER.namespace}/${LEAKER.pod} grows 4 MB a minute in anon memory: a leak, not cache.`);
  console.log(`  headroom:        ${link(base, { view: 'headroom', topN: 10 })}`);
  console.log(`  nodes:           ${link(base, { view: 'nodes', node: '/node-.*/' })}`);
  if (live) {
    const query = { namespace: live.labels.namespace, pod: live.labels.pod, container: live.labels.container };
    console.log(`\nLive, in a real cgroup of this machine (${live.cgroup}), from now on:`);
    console.log(`  ${link(base, query).replace('refresh=15s', 'refresh=5s')}`);
    console.log(`  it writes and re-reads log files in ${live.logDir}.`);
    console.log(`  This machine as node "${live.node}": ${link(base, { view: 'nodes', node: live.node })}`);
  } else {
    console.log(`\nNo live workload (${why}): the cluster alone.`);
  }
  console.log('\nCtrl-C stops.');
}

main().catch(async (e) => {
  console.error(`demo failed: ${e.message}`);
  await stopAll(1);
});
