import { RawSeries, rawSeries } from '../memory/series';
import { CancelledError } from '../prometheus/cancelled';
import { SharedRangeQueries } from './sharedQueries';
import { RangeParams } from '../prometheus/step';

const range: RangeParams = { start: 0, end: 3600, step: 60 };
const answer: RawSeries[] = [rawSeries({ container: 'a' }, [[0, 1]])];

/** A Prometheus whose answers the test releases by hand, recording each request's abort signal. */
function manualPrometheus() {
  const requests: Array<{ expr: string; signal: AbortSignal; release: (s: RawSeries[]) => void; fail: (e: Error) => void }> = [];
  const fetch = (expr: string, _r: RangeParams, _id: string | undefined, signal: AbortSignal) =>
    new Promise<RawSeries[]>((resolve, reject) => requests.push({ expr, signal, release: resolve, fail: reject }));
  return { fetch, requests };
}

describe('SharedRangeQueries', () => {
  it('sends one request for the same expression, range and step, and gives every asker the answer', async () => {
    const prom = manualPrometheus();
    const shared = new SharedRangeQueries(prom.fetch);
    const a = shared.queryRange('ws', range, 'A', undefined, 'panel1');
    const b = shared.queryRange('ws', range, 'B', undefined, 'panel2');
    const c = shared.queryRange('ws', { ...range, step: 120 }, 'C', undefined, 'panel3');
    expect(prom.requests.map((r) => r.expr)).toEqual(['ws', 'ws']);
    prom.requests[0].release(answer);
    prom.requests[1].release([]);
    expect(await a).toBe(answer);
    expect(await b).toBe(answer);
    expect(await c).toEqual([]);
  });

  it('answers from memory for a few seconds after, then asks again', async () => {
    let now = 0;
    const prom = manualPrometheus();
    const shared = new SharedRangeQueries(prom.fetch, () => now, 5000);
    const first = shared.queryRange('ws', range, undefined, undefined, 'panel4');
    prom.requests[0].release(answer);
    await first;
    now = 4000;
    expect(await shared.queryRange('ws', range, undefined, undefined, 'panel5')).toBe(answer);
    expect(prom.requests).toHaveLength(1);
    now = 9001;
    void shared.queryRange('ws', range, undefined, undefined, 'panel6');
    expect(prom.requests).toHaveLength(2);
  });

  it('lets go of an answer when its window has passed, even if no one asks again (a large answer is not kept)', async () => {
    const prom = manualPrometheus();
    // The clock never moves: only the window's timer can forget the answer.
    const shared = new SharedRangeQueries(prom.fetch, () => 0, 20);
    const first = shared.queryRange('ws', range, undefined, undefined, 'panel14');
    prom.requests[0].release(answer);
    await first;
    await new Promise((r) => setTimeout(r, 60));
    void shared.queryRange('ws', range, undefined, undefined, 'panel15');
    expect(prom.requests).toHaveLength(2);
  });

  it('a cancelled asker stops waiting; the request goes on for the others and is aborted when no one waits', async () => {
    const prom = manualPrometheus();
    const shared = new SharedRangeQueries(prom.fetch);
    const panelA = new AbortController();
    const panelB = new AbortController();
    const a = shared.queryRange('ws', range, 'A', panelA.signal, 'panel7');
    const b = shared.queryRange('ws', range, 'B', panelB.signal, 'panel8');
    panelA.abort();
    await expect(a).rejects.toBeInstanceOf(CancelledError);
    expect(prom.requests[0].signal.aborted).toBe(false);
    panelB.abort();
    await expect(b).rejects.toBeInstanceOf(CancelledError);
    expect(prom.requests[0].signal.aborted).toBe(true);
    // A later asker gets a new request, not the aborted one.
    void shared.queryRange('ws', range, 'C', undefined, 'panel9');
    expect(prom.requests).toHaveLength(2);
  });

  it('a failure reaches every waiter and is not kept: the next asker tries again', async () => {
    const prom = manualPrometheus();
    const shared = new SharedRangeQueries(prom.fetch);
    const a = shared.queryRange('ws', range, undefined, undefined, 'panel10');
    const b = shared.queryRange('ws', range, undefined, undefined, 'panel11');
    prom.requests[0].fail(new Error('Prometheus error (execution): boom'));
    await expect(a).rejects.toThrow('boom');
    await expect(b).rejects.toThrow('boom');
    void shared.queryRange('ws', range, undefined, undefined, 'panel12');
    expect(prom.requests).toHaveLength(2);
  });

  it('an asker already cancelled sends nothing', async () => {
    const prom = manualPrometheus();
    const shared = new SharedRangeQueries(prom.fetch);
    const cancelled = new AbortController();
    cancelled.abort();
    await expect(shared.queryRange('ws', range, 'A', cancelled.signal, 'panel13')).rejects.toBeInstanceOf(CancelledError);
    expect(prom.requests).toHaveLength(0);
  });
});

describe('SharedRangeQueries, the same asker', () => {
  it('a panel target asking again (refresh, retry, newer run) goes to Prometheus; other panels share', async () => {
    const prom = manualPrometheus();
    const shared = new SharedRangeQueries(prom.fetch);
    void shared.queryRange('ws', range, 'Q1-A', undefined, 'd/1/A');
    void shared.queryRange('ws', range, 'Q2-A', undefined, 'd/2/A');
    expect(prom.requests).toHaveLength(1);
    void shared.queryRange('ws', range, 'Q3-A', undefined, 'd/1/A');
    expect(prom.requests).toHaveLength(2);
  });
});
