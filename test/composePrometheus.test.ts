/**
 * The compose stack's Prometheus config, run for real: Debian's Prometheus loads
 * docker/prometheus.yml (only the target address, the interval and the rule file's path changed)
 * and scrapes a stand-in that serves what cAdvisor exports for docker compose containers. The
 * plugin's own query must then find the demo container under the Kubernetes-style labels the
 * relabeling gives it, and leave out cgroups that are not compose containers; the rule file's
 * recording rules and alerts must see it too.
 */
import './support/polyfills';
import fs from 'fs';
import http from 'http';
import path from 'path';
import { AddressInfo } from 'net';
import { lastValueFrom } from 'rxjs';
import { CoreApp, DataFrame, DataQueryRequest, dateTime } from '@grafana/data';

import { RealMemoryQuery } from '../src/types';
import { installBackendSrv } from './support/backendSrv';
import { makeDataSource, UID } from './support/dataSource';
import { httpRequest, sleep } from './support/http';
import { RunningPrometheus, promQuery, startPrometheus } from './support/prometheus';
import { installTemplateSrv } from './support/templateSrv';

const ROOT = path.resolve(__dirname, '..');
const HAVE_PROMETHEUS = fs.existsSync('/usr/bin/prometheus') && fs.existsSync('/usr/bin/promtool');

// cAdvisor v0.60 with --store_container_labels=false and the compose labels whitelisted.
const demo = (extra: string) =>
  `{container_label_com_docker_compose_project="realmemory",container_label_com_docker_compose_service="demo-app",id="/system.slice/docker-0a1b.scope",image="busybox:1.37.0",name="realmemory-demo-app-1"${extra}}`;
const root = '{id="/"}';
const CADVISOR_TEXT = [
  '# TYPE container_memory_working_set_bytes gauge',
  `container_memory_working_set_bytes${demo('')} 1.5e+08`,
  `container_memory_working_set_bytes${root} 2e+09`,
  '# TYPE container_memory_total_active_file_bytes gauge',
  `container_memory_total_active_file_bytes${demo('')} 1.2e+08`,
  `container_memory_total_active_file_bytes${root} 5e+08`,
  '# TYPE container_spec_memory_limit_bytes gauge',
  `container_spec_memory_limit_bytes${demo('')} 1.6e+08`,
  '# TYPE machine_memory_bytes gauge',
  'machine_memory_bytes 8e+09',
  '',
].join('\n');

const maybe = HAVE_PROMETHEUS ? describe : describe.skip;
if (!HAVE_PROMETHEUS) {
  console.log('Skipping the compose Prometheus test: /usr/bin/prometheus missing (apt-get install -y prometheus)');
}

maybe('docker/prometheus.yml against a real Prometheus', () => {
  let server: http.Server;
  let prom: RunningPrometheus;

  beforeAll(async () => {
    server = http.createServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4' });
      res.end(CADVISOR_TEXT);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    const config = fs
      .readFileSync(path.join(ROOT, 'docker/prometheus.yml'), 'utf8')
      .replace("'cadvisor:8080'", `'127.0.0.1:${port}'`)
      .replace(/scrape_interval: 5s/, 'scrape_interval: 1s')
      .replace('/etc/prometheus/rules/', `${path.join(ROOT, 'rules')}/`);
    expect(config).toContain(`127.0.0.1:${port}`);
    expect(config).toContain(path.join(ROOT, 'rules/real-memory.rules.yml'));
    prom = await startPrometheus({ config });
    for (let i = 0; i < 50; i++) {
      if (
        (await promQuery(prom.url, 'count_over_time(container_memory_working_set_bytes[1m])')).some(
          (s) => Number(s.value[1]) >= 2
        )
      ) {
        break;
      }
      await sleep(200);
    }
  });

  afterAll(async () => {
    await prom?.stop();
    await new Promise((r) => server?.close(r));
  });

  it('relabels compose containers to namespace, pod and container and drops the compose labels', async () => {
    const series = (await promQuery(prom.url, 'container_memory_working_set_bytes')).map((s) => s.metric);
    const demoSeries = series.find((m) => m.container === 'demo-app')!;
    expect(demoSeries).toMatchObject({
      namespace: 'realmemory',
      pod: 'realmemory-demo-app-1',
      container: 'demo-app',
      job: 'cadvisor',
    });
    expect(Object.keys(demoSeries).filter((k) => k.startsWith('container_label_'))).toEqual([]);
    const rootSeries = series.find((m) => m.id === '/')!;
    expect(rootSeries.container).toBeUndefined();
  });

  it('the plugin query finds the demo container and figures real used, leaving out the root cgroup', async () => {
    installTemplateSrv([]);
    installBackendSrv({ [UID]: prom.url });
    const now = Date.now();
    const request = {
      requestId: 'compose',
      targets: [{ refId: 'A', view: 'realVsWorkingSet' }],
      range: { from: dateTime(now - 60_000), to: dateTime(now), raw: { from: 'now-1m', to: 'now' } },
      interval: '1s',
      intervalMs: 1000,
      maxDataPoints: 100,
      scopedVars: {},
      timezone: 'UTC',
      app: CoreApp.Dashboard,
      startTime: now,
    } as unknown as DataQueryRequest<RealMemoryQuery>;
    const response = await lastValueFrom(makeDataSource().query(request));
    expect(response.errors ?? []).toEqual([]);
    const frames: DataFrame[] = response.data;
    expect(frames).toHaveLength(1);
    const last = (name: string) => {
      const values = frames[0].fields.find((f) => f.name === name)!.values.filter((v) => v !== null);
      return values[values.length - 1];
    };
    expect(frames[0].fields[1].labels).toMatchObject({
      namespace: 'realmemory',
      pod: 'realmemory-demo-app-1',
      container: 'demo-app',
    });
    expect(last('working set')).toBe(150e6);
    expect(last('real used')).toBe(30e6);
  });

  it('records real used for the demo container and raises the page-cache note, not a near-limit alert', async () => {
    const demoSelector = '{namespace="realmemory", pod="realmemory-demo-app-1", container="demo-app"}';
    let alerts: Array<{ labels: Record<string, string>; state: string }> = [];
    for (let i = 0; i < 150 && alerts.length === 0; i++) {
      await sleep(200);
      const res = await httpRequest(`${prom.url}/api/v1/alerts`);
      alerts = JSON.parse(res.body).data.alerts;
    }
    const recorded = await promQuery(
      prom.url,
      `namespace_pod_container:container_memory_real_used_bytes${demoSelector}`
    );
    expect(recorded.map((s) => Number(s.value[1]))).toEqual([30e6]);
    // Working set 150 MB of a 160 MB limit, real used 30 MB: page cache (pending for its 5 minutes).
    expect(alerts.map((a) => [a.labels.alertname, a.labels.container, a.state])).toEqual([
      ['ContainerWorkingSetIsPageCache', 'demo-app', 'pending'],
    ]);
  });

  it('the Docker host is a node: the nodes view reads its root cgroup and capacity', async () => {
    installTemplateSrv([]);
    installBackendSrv({ [UID]: prom.url });
    const now = Date.now();
    const request = {
      requestId: 'compose-nodes',
      targets: [{ refId: 'A', view: 'nodes' }],
      range: { from: dateTime(now - 60_000), to: dateTime(now), raw: { from: 'now-1m', to: 'now' } },
      interval: '1s',
      intervalMs: 1000,
      maxDataPoints: 100,
      scopedVars: {},
      timezone: 'UTC',
      app: CoreApp.Dashboard,
      startTime: now,
    } as unknown as DataQueryRequest<RealMemoryQuery>;
    const response = await lastValueFrom(makeDataSource().query(request));
    expect(response.errors ?? []).toEqual([]);
    const frames: DataFrame[] = response.data;
    expect(frames).toHaveLength(1);
    const last = (name: string) => {
      const values = frames[0].fields.find((f) => f.name === name)!.values.filter((v) => v !== null);
      return values[values.length - 1];
    };
    expect(frames[0].fields[1].labels).toEqual({ node: 'docker-host' });
    expect(last('working set')).toBe(2e9);
    expect(last('real used')).toBe(1.5e9);
    expect(last('capacity')).toBe(8e9);
  });
});
