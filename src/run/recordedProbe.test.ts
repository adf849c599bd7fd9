import { DEFAULT_LABELS } from '../prometheus/promql';
import { RECORDED } from '../recordingRules/rules';
import { QueryClient } from './request';
import { RECORDED_PROBE_TTL_MS, TimeSpan, recordedSeriesCover, recordedSeriesProbe } from './recordedProbe';

/**
 * A probe over a fake Prometheus whose rules record from `since` (s) on, until `until` (s; removed
 * after), with a settable clock.
 */
function rig(since: number, until = Infinity) {
  let now = 1_000_000;
  const asked: TimeSpan[] = [];
  let fail = false;
  const probe = recordedSeriesProbe(
    async (span) => {
      asked.push(span);
      if (fail) {
        throw new Error('connection refused');
      }
      const recordingAt = (t: number) => t >= since && t <= until;
      return { atEnd: recordingAt(span.end), atStart: recordingAt(span.start) };
    },
    () => now
  );
  return {
    probe,
    asked,
    advance: (ms: number) => (now += ms),
    failing: (f: boolean) => (fail = f),
    removeRules: (at: number) => (until = at),
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

  it('without the rules, asks once per data source until the answer is stale', async () => {
    const r = rig(Infinity);
    expect(await r.probe.covers({ start: 100, end: 200 })).toBe(false);
    expect(await r.probe.covers({ start: 0, end: 900 })).toBe(false);
    expect(await r.probe.covers({ start: 500, end: 600 })).toBe(false);
    expect(r.asked).toHaveLength(1);
    r.advance(RECORDED_PROBE_TTL_MS);
    await r.probe.covers({ start: 500, end: 600 });
    expect(r.asked).toHaveLength(2);
  });

  it('rules younger than a range: not covered for that start and earlier ones, asked for later ones', async () => {
    const r = rig(150);
    expect(await r.probe.covers({ start: 100, end: 300 })).toBe(false);
    expect(await r.probe.covers({ start: 50, end: 300 })).toBe(false);
    expect(r.asked).toHaveLength(1);
    expect(await r.probe.covers({ start: 160, end: 300 })).toBe(true);
    expect(await r.probe.covers({ start: 120, end: 300 })).toBe(false);
    expect(r.asked).toHaveLength(3);
    // Both facts are kept: no more questions while they are fresh.
    expect(await r.probe.covers({ start: 170, end: 400 })).toBe(true);
    expect(await r.probe.covers({ start: 90, end: 400 })).toBe(false);
    expect(r.asked).toHaveLength(3);
  });

  it('rules removed: not covered once the answer is stale and the probe finds none at the end', async () => {
    const r = rig(0);
    expect(await r.probe.covers({ start: 100, end: 200 })).toBe(true);
    r.removeRules(250);
    r.advance(RECORDED_PROBE_TTL_MS);
    expect(await r.probe.covers({ start: 200, end: 300 })).toBe(false);
    expect(await r.probe.covers({ start: 150, end: 200 })).toBe(false);
    expect(r.asked).toHaveLength(2);
  });

  it('a failed probe answers "not covered" and is not remembered', async () => {
    const r = rig(0);
    r.failing(true);
    expect(await r.probe.covers({ start: 100, end: 200 })).toBe(false);
    r.failing(false);
    expect(await r.probe.covers({ start: 100, end: 200 })).toBe(true);
    expect(r.asked).toHaveLength(2);
  });
});

describe('recordedSeriesCover', () => {
  /** Answers the presence question with `found`, the unrecorded-containers question with `unrecorded`. */
  const client = (found: Array<[string, string]>, unrecorded = 0) => {
    const calls: Array<{ expr: string; time: number }> = [];
    const c = {
      queryInstant: async (expr: string, time: number) => {
        calls.push({ expr, time });
        if (expr.startsWith('count(')) {
          return unrecorded > 0 ? [{ labels: {}, value: unrecorded }] : [];
        }
        return found.map(([name, at]) => ({ labels: { __name__: name, at }, value: 2000 }));
      },
    } as unknown as QueryClient;
    return { c, calls };
  };
  const ws = RECORDED.workingSet;
  const af = RECORDED.activeFile;
  const everywhere: Array<[string, string]> = [
    [ws, 'end'],
    [af, 'end'],
    [ws, 'start'],
    [af, 'start'],
  ];
  const selection = { labels: DEFAULT_LABELS, rawMatchers: ['image!=""'], recordedMatchers: [] };
  const span = { start: 0, end: 60 };

  it('asks at the end of the range, and needs both recorded series at each end', async () => {
    const all = client(everywhere);
    expect(await recordedSeriesCover(all.c, selection, { start: 1000, end: 4600 })).toEqual({
      atEnd: true,
      atStart: true,
    });
    expect(all.calls.map((c) => c.time)).toEqual([4600, 4600]);
    expect(all.calls[0].expr).toContain('offset 3600s');
    expect(
      await recordedSeriesCover(
        client([
          [ws, 'end'],
          [af, 'end'],
          [ws, 'start'],
        ]).c,
        selection,
        span
      )
    ).toEqual({
      atEnd: true,
      atStart: false,
    });
  });

  it('without the recorded series at the end, asks nothing more', async () => {
    const none = client([
      [ws, 'end'],
      [ws, 'start'],
    ]);
    expect(await recordedSeriesCover(none.c, selection, span)).toEqual({ atEnd: false, atStart: false });
    expect(none.calls).toHaveLength(1);
    expect(await recordedSeriesCover(client([]).c, selection, span)).toEqual({ atEnd: false, atStart: false });
  });

  it('is not covered when some container of the data source is missing from the recorded series', async () => {
    expect(await recordedSeriesCover(client(everywhere, 3).c, selection, span)).toEqual({
      atEnd: false,
      atStart: true,
    });
  });
});
