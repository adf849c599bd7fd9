// The demo's small cluster (test/fixtures/cluster.ts) in Prometheus: its past as OpenMetrics for
// `promtool tsdb create-blocks-from openmetrics`, and its present from an HTTP endpoint that
// Prometheus scrapes (with honor_labels, as a federation or a kubelet scrape keeps its labels).
// Both read the same functions of time, so the backfilled hour runs into the scraped minutes.
import http from 'http';
import { AddressInfo } from 'net';

import { ClusterSample, clusterSamples, isCounter } from '../fixtures/cluster';

function labelText(labels: Record<string, string>): string {
  return Object.entries(labels)
    .map(([k, v]) => `${k}="${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`)
    .join(',');
}

/** Samples grouped into one family per metric, in first-seen order. */
function families(samples: Array<ClusterSample & { ts?: number }>): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const s of samples) {
    const lines = out.get(s.metric) ?? [];
    lines.push(`${s.metric}{${labelText(s.labels)}} ${s.value}${s.ts === undefined ? '' : ` ${s.ts}`}`);
    out.set(s.metric, lines);
  }
  return out;
}

const minutesSince = (originSec: number, tSec: number) => (tSec - originSec) / 60;

/** OpenMetrics text of the cluster at fromSec, fromSec + step, … ≤ toSec (seconds), for a backfill. */
export function clusterHistory(originSec: number, fromSec: number, toSec: number, stepSec: number): string {
  const samples: Array<ClusterSample & { ts: number }> = [];
  for (let ts = fromSec; ts <= toSec; ts += stepSec) {
    samples.push(...clusterSamples(minutesSince(originSec, ts)).map((s) => ({ ...s, ts })));
  }
  const out: string[] = [];
  // The backfill stores no metric type; "gauge" keeps OpenMetrics from asking counters for a _total family name.
  families(samples).forEach((lines, metric) => out.push(`# TYPE ${metric} gauge`, ...lines));
  out.push('# EOF', '');
  return out.join('\n');
}

/** The cluster now, in the Prometheus text format a scrape reads. */
export function clusterExposition(originSec: number, nowSec: number): string {
  const out: string[] = [];
  families(clusterSamples(minutesSince(originSec, nowSec))).forEach((lines, metric) =>
    out.push(`# TYPE ${metric} ${isCounter(metric) ? 'counter' : 'gauge'}`, ...lines)
  );
  return out.join('\n') + '\n';
}

export interface RunningClusterExporter {
  url: string;
  stop(): Promise<void>;
}

/** Serves the cluster at /metrics on 127.0.0.1, as of each scrape's time. */
export async function startClusterExporter(originSec: number): Promise<RunningClusterExporter> {
  const server = http.createServer((req, res) => {
    if (req.url !== '/metrics') {
      res.writeHead(404).end('only /metrics\n');
      return;
    }
    res
      .writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4; charset=utf-8' })
      .end(clusterExposition(originSec, Date.now() / 1000));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/metrics`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
