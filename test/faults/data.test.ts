/**
 * Faults in the data itself, served by a real Prometheus: duplicate scrapes with different values,
 * NaN / ±Inf / negative samples, series that start and stop mid-range, a selection that matches
 * nothing, and duplicate series injected into an answer. Every figure is checked: no wrong number,
 * gaps where data is missing or invalid (never 0), and a notice that says why.
 */
import '../support/polyfills';

import type { DataFrame, DataQueryResponse } from '@grafana/data';

import { LOOKBACK_STEPS, MB, NS, SHORT_ACTIVE_FROM, SHORT_FROM, SHORT_TO, WEIRD_AT } from './faultData';
import { faultSuite, fieldValues, panelRequest, runQuery } from './harness';

const suite = faultSuite();
const { end: END, timestamps: TS } = suite;

const query = (target: Record<string, unknown> = {}) =>
  runQuery(suite.rig.ds, panelRequest([{ namespace: NS, ...target }], TS[0], END));

function frameOf(res: DataQueryResponse, container: string): DataFrame {
  const frame = (res.data as DataFrame[]).find((f) => f.fields.some((x) => x.labels?.container === container));
  if (!frame) {
    throw new Error(`no frame for ${container}; frames: ${(res.data as DataFrame[]).map((f) => f.name).join(', ')}`);
  }
  return frame;
}

/** Field values keyed by timestamp in seconds. */
function byTime(frame: DataFrame, name: string): Map<number, number | null> {
  const times = fieldValues(frame, 'Time')!;
  const values = fieldValues(frame, name);
  if (!values) {
    throw new Error(`no field ${name} in ${frame.name}`);
  }
  return new Map(times.map((t, i) => [t! / 1000, values[i]]));
}

const notices = (frame: DataFrame) => (frame.meta?.notices ?? []).map((n) => n.text);

describe('real used vs working set over faulty data', () => {
  let res: DataQueryResponse;
  beforeAll(async () => {
    res = await query();
  });

  it('answers without errors, one frame per container', () => {
    expect(res.errors).toEqual([]);
    expect((res.data as DataFrame[]).map((f) => f.name).sort()).toEqual([
      `dup-0/dup`,
      `ok-0/ok`,
      `short-0/short`,
      `weird-0/weird`,
    ]);
  });

  it('a healthy container: exact figures at every timestamp', () => {
    const f = frameOf(res, 'ok');
    expect([...byTime(f, 'working set').entries()]).toEqual(TS.map((t) => [t, 80 * MB]));
    expect([...byTime(f, 'real used').entries()]).toEqual(TS.map((t) => [t, 50 * MB]));
  });

  it('duplicate scrapes of one container (two jobs, different values): the max, never the sum', () => {
    const f = frameOf(res, 'dup');
    expect(new Set(byTime(f, 'working set').values())).toEqual(new Set([210 * MB]));
    expect(new Set(byTime(f, 'real used').values())).toEqual(new Set([155 * MB]));
  });

  it('NaN, +Inf, -Inf and negative samples become gaps, with a notice naming that container only', () => {
    const f = frameOf(res, 'weird');
    const ws = byTime(f, 'working set');
    const real = byTime(f, 'real used');
    TS.forEach((t, i) => {
      const bad = WEIRD_AT[i] !== undefined;
      expect([i, ws.get(t)]).toEqual([i, bad ? null : 100 * MB]);
      expect([i, real.get(t)]).toEqual([i, bad ? null : 60 * MB]);
    });
    // One notice for the query (on its first frame), naming the one container and its count.
    const all = (res.data as DataFrame[]).flatMap(notices);
    expect(all.filter((t) => /NaN/.test(t))).toEqual([
      `NaN, infinite or negative samples are shown as gaps — 1 of 4 containers: weird-0/weird (4 samples).`,
    ]);
  });

  it('a series that starts and stops mid-range: values only where Prometheus has them, null (not 0) where an input is missing', () => {
    const f = frameOf(res, 'short');
    const ws = byTime(f, 'working set');
    const real = byTime(f, 'real used');
    // Prometheus keeps a series for its 5-minute lookback after the last sample.
    const present = TS.slice(SHORT_FROM, SHORT_TO + LOOKBACK_STEPS + 1);
    expect([...ws.keys()]).toEqual(present);
    expect(new Set(ws.values())).toEqual(new Set([300 * MB]));
    present.forEach((t, k) => {
      const i = SHORT_FROM + k;
      // active file only from SHORT_ACTIVE_FROM: real used is unknown before, not equal to working set.
      expect([i, real.get(t)]).toEqual([i, i < SHORT_ACTIVE_FROM ? null : 200 * MB]);
    });
  });
});

describe('breakdown over faulty data', () => {
  it('duplicate scrapes and mid-range series give exact parts that add up to usage', async () => {
    suite.rig.proxy.requests.length = 0;
    // Three containers (a stack each): dup, short and ok. Beyond three the breakdown sums them.
    const res = await query({ view: 'breakdown', container: '/dup|short|ok/' });
    expect(res.errors).toEqual([]);
    // Nothing swapped: the swap probe is one instant query and no swap range query follows.
    const swapQueries = suite.rig.proxy.requests.filter((r) => r.query?.includes('container_memory_swap'));
    expect(swapQueries.map((r) => r.path)).toEqual(['/api/v1/query']);
    expect(res.data.some((f: DataFrame) => f.fields.some((x) => x.name === 'swap'))).toBe(false);
    const dup = frameOf(res, 'dup');
    // max over the two jobs of each metric: usage 260, rss 153, active 55, inactive 50 (MB).
    expect(new Set(byTime(dup, 'anon').values())).toEqual(new Set([153 * MB]));
    expect(new Set(byTime(dup, 'active file').values())).toEqual(new Set([55 * MB]));
    expect(new Set(byTime(dup, 'other').values())).toEqual(new Set([(260 - 153 - 55 - 50) * MB]));
    const short = frameOf(res, 'short');
    const active = byTime(short, 'active file');
    const other = byTime(short, 'other');
    for (const [t, v] of active) {
      const i = TS.indexOf(t);
      expect([i, v, other.get(t)]).toEqual(
        i < SHORT_ACTIVE_FROM ? [i, null, null] : [i, 100 * MB, (350 - 198 - 100 - 50) * MB]
      );
    }
  });
});

describe('nothing matches', () => {
  it('an empty result names the selector, with no error and no numbers', async () => {
    const res = await runQuery(suite.rig.ds, panelRequest([{ namespace: 'no-such-namespace' }], TS[0], END));
    expect(res.errors).toEqual([]);
    const frames = res.data as DataFrame[];
    expect(frames).toHaveLength(1);
    expect(frames[0].fields).toHaveLength(0);
    expect(notices(frames[0])).toEqual([
      'No cAdvisor memory series match container_memory_working_set_bytes{namespace="no-such-namespace", container!="", container!="POD", pod!="", image!=""} in this time range.',
    ]);
  });
});

describe('duplicate series injected into an answer', () => {
  it('the same group twice in one matrix (a broken proxy or federation layer) is not summed', async () => {
    suite.rig.proxy.fault = (req) =>
      req.query?.includes('container_memory_working_set_bytes')
        ? {
            kind: 'rewrite',
            rewrite: (body) => {
              const ok = body.data.result.find((s: any) => s.metric.container === 'ok');
              body.data.result.push(JSON.parse(JSON.stringify(ok)));
              return body;
            },
          }
        : { kind: 'pass' };
    const res = await query();
    expect(res.errors).toEqual([]);
    const f = frameOf(res, 'ok');
    expect(new Set(byTime(f, 'working set').values())).toEqual(new Set([80 * MB]));
    expect(new Set(byTime(f, 'real used').values())).toEqual(new Set([50 * MB]));
  });
});
