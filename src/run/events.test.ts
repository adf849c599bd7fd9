import { DEFAULT_LABELS } from '../prometheus/promql';
import { eventExprs } from '../prometheus/eventQueries';
import { eventsFrame } from '../frames/eventsFrame';
import { RawSeries, rawSeries } from '../memory/series';
import { runEvents } from './events';
import { QueryClient, RunRequest } from './request';

const range = { start: 1000, end: 4600, step: 60 };
const req = {
  refId: 'Anno',
  requestId: 'r1-Anno',
  matchers: ['namespace="shop"', 'image!=""'],
  ksmMatchers: ['namespace="shop"'],
  labels: DEFAULT_LABELS,
  range,
} as RunRequest;
const api = { namespace: 'shop', pod: 'api-1', container: 'api' };
const db = { namespace: 'shop', pod: 'db-0', container: 'db' };
const at = (...minutes: number[]): Array<[number, number]> => minutes.map((m) => [(range.start + m * 60) * 1000, 1]);

/** Answers each event query from a table, by the request-id suffix, and records the expressions. */
function fake(series: Record<'oom' | 'restarts' | 'oomKilled', RawSeries[]>) {
  const seen: string[] = [];
  const client: QueryClient = {
    queryRange: async (expr, r, requestId) => {
      seen.push(expr);
      expect(r).toBe(range);
      return series[requestId!.replace('r1-Anno-', '') as keyof typeof series];
    },
    queryInstant: async () => [],
  };
  return { client, seen };
}

/** The events of the one frame runEvents returns, as plain objects. */
async function fetchEvents(client: QueryClient) {
  const [frame] = await runEvents(client, req);
  const col = (name: string) => frame.fields.find((f) => f.name === name)!.values;
  const events = col('time').map((time, i) => ({
    time,
    title: col('title')[i],
    text: col('text')[i],
    tags: col('tags')[i],
  }));
  return { events, frame };
}

describe('eventExprs', () => {
  it("reads each counter's exact rise over step + 1m on the right selectors", () => {
    const e = eventExprs(req.matchers, req.ksmMatchers, req.labels, range);
    expect(e.oom).toBe(
      'sum by (cluster, namespace, pod, container) (container_oom_events_total{namespace="shop", image!=""} - container_oom_events_total{namespace="shop", image!=""} offset 120s) > 0'
    );
    expect(e.restarts).toContain(
      'kube_pod_container_status_restarts_total{namespace="shop"} - kube_pod_container_status_restarts_total{namespace="shop"} offset 120s) > 0'
    );
    expect(e.oomKilled).toContain(
      'kube_pod_container_status_last_terminated_reason{namespace="shop", reason="OOMKilled"}'
    );
  });
});

describe('runEvents', () => {
  it('turns runs into one event each, names the container, and ties restarts to OOMKilled', async () => {
    const { client, seen } = fake({
      // cAdvisor saw the kill at minute 10 (two positive steps: the window is wider than a step).
      oom: [rawSeries(api, at(10, 11))],
      // api restarted at 10 and db at 30 and 50.
      restarts: [
        rawSeries(api, at(10, 11)),
        rawSeries(db, [...at(30), ...at(50).map(([t]) => [t, 2] as [number, number])]),
      ],
      // api's last termination was an OOM kill from minute 10 on; db's from 45 (no restart seen then) on.
      oomKilled: [
        rawSeries(api, at(10, 11, 12, 13)),
        rawSeries(db, at(...Array.from({ length: 16 }, (_, i) => 45 + i))),
        rawSeries({ ...db, pod: 'db-old' }, at(0, 1)), // set before the range: not an event
      ],
    });
    const { events, frame } = await fetchEvents(client);
    expect(frame.meta?.executedQueryString).toBe(seen.join('\n'));
    expect(seen).toHaveLength(3);
    const t = (m: number) => (range.start + m * 60) * 1000;
    expect(events.map((e) => [e.time, e.title])).toEqual([
      [t(10), 'OOM kill'],
      [t(10), 'Restart after OOM kill'],
      [t(30), 'Restart'],
      [t(45), 'OOMKilled'],
      [t(50), 'Restart after OOM kill'],
    ]);
    expect(events[0].text).toBe('shop/api-1/api: OOM kill (cAdvisor container_oom_events_total)');
    expect(events[1].tags).toEqual(['restart', 'oom', 'api']);
    expect(events[4].text).toMatch(/shop\/db-0\/db: 2 restarts, last terminated reason OOMKilled/);
  });

  it('no series, no events', async () => {
    const { client } = fake({ oom: [], restarts: [], oomKilled: [] });
    expect((await fetchEvents(client)).events).toEqual([]);
  });
});

describe('eventsFrame', () => {
  it('frames carry the fields Grafana maps to annotations', () => {
    const f = eventsFrame('Anno', [{ time: 5, title: 'OOM kill', text: 'x', tags: ['oom'] }], 'q');
    expect(f.fields.map((x) => x.name)).toEqual(['time', 'title', 'text', 'tags']);
    expect(f.length).toBe(1);
  });
});
