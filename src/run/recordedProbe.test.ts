import { DEFAULT_LABELS } from '../prometheus/promql';
import { RECORDED } from '../prometheus/rules';
import { QueryClient } from './request';
import { RECORDED_PROBE_TTL_MS, RecordedSeriesProbe, TimeSpan, recordedSeriesCover } from './recordedProbe';

/** A probe over a fake Prometheus whose rules recorded from `recordingSince` (s) on, with a settable clock. */
function rig(recordingSince: number) {
  let now = 1_000_000;
  const asked: TimeSpan[] = [];
  let fail = false;
  const probe = new RecordedSeriesProbe(
    async (span) => {
      asked.push(span);
      if (fail) {
        throw new Error('connection refused');
      }
      return span.start >= recordingSince;
    },
    () => now
  );
  return {
    probe,
    asked,
    advance: (ms: number) => (now += ms),
    failNext: (f: boolean) => (fail = f),
  };
}

describe('RecordedSeriesProbe', () => {
  it('asks once for the panels of a refresh over the same range', async () => {
    const r = rig(0);
    const answers = await Promise.all(Array.from({ length: 8 }, () => r.probe.covers({ start: 100, end: 200 })));
    expect(answers).toEqual(Array(8).fill(true));
    expect(r.asked).toEqual([{ start: 100, end: 200 }]);
    expect(r.probe.sent).toBe(1);
  });

  it('a covered start covers every later range while the answer is fresh, then asks again', async () => {
    const r = rig(0);
    await r.probe.covers({ start: 100, end: 200 });
    expect(await r.probe.covers({ start: 160, end: 260 })).toBe(true);
    expect(await r.probe.covers({ start: 100, end: 900 })).toBe(true);
    expect(r.asked).toHaveLength(1);
    r.advance(RECORDED_PROBE_TTL_MS);
    expect(await r.probe.covers({ start: 220, end: 320 })).toBe(true);
    expect(r.asked).toHaveLength(2);
  });

  it('asks for a range that starts before any covered start, and keeps the earliest', async () => {
    const r = rig(50);
    await r.probe.covers({ start: 100, end: 200 });
    expect(await r.probe.covers({ start: 40, end: 200 })).toBe(false);
    expect(r.asked).toHaveLength(2);
    // A negative answer forgets what was known: the rules may have been removed.
    expect(await r.probe.covers({ start: 120, end: 220 })).toBe(true);
    expect(await r.probe.covers({ start: 60, end: 220 })).toBe(true);
    expect(r.asked).toHaveLength(4);
    expect(await r.probe.covers({ start: 60, end: 300 })).toBe(true);
    expect(r.asked).toHaveLength(4);
  });

  it('remembers a negative answer for its range until it is stale', async () => {
    const r = rig(500);
    expect(await r.probe.covers({ start: 100, end: 200 })).toBe(false);
    expect(await r.probe.covers({ start: 100, end: 200 })).toBe(false);
    expect(r.asked).toHaveLength(1);
    r.advance(RECORDED_PROBE_TTL_MS);
    await r.probe.covers({ start: 100, end: 200 });
    expect(r.asked).toHaveLength(2);
  });

  it('a failed probe answers "not covered" and is not remembered', async () => {
    const r = rig(0);
    r.failNext(true);
    expect(await r.probe.covers({ start: 100, end: 200 })).toBe(false);
    r.failNext(false);
    expect(await r.probe.covers({ start: 100, end: 200 })).toBe(true);
    expect(r.asked).toHaveLength(2);
  });
});

describe('recordedSeriesCover', () => {
  const client = (names: string[]) => {
    const calls: Array<{ expr: string; time: number }> = [];
    const c = {
      queryInstant: async (expr: string, time: number) => {
        calls.push({ expr, time });
        return names.map((n) => ({ labels: { __name__: n }, value: 2000 }));
      },
    } as unknown as QueryClient;
    return { c, calls };
  };

  it('is covered only when both recorded series come back, asked at the end of the range', async () => {
    const both = client([RECORDED.workingSet, RECORDED.activeFile]);
    expect(await recordedSeriesCover(both.c, DEFAULT_LABELS, { start: 1000, end: 4600 })).toBe(true);
    expect(both.calls).toHaveLength(1);
    expect(both.calls[0].time).toBe(4600);
    expect(both.calls[0].expr).toContain('offset 3600s');
    expect(await recordedSeriesCover(client([RECORDED.workingSet]).c, DEFAULT_LABELS, { start: 0, end: 60 })).toBe(false);
    expect(await recordedSeriesCover(client([]).c, DEFAULT_LABELS, { start: 0, end: 60 })).toBe(false);
  });
});
