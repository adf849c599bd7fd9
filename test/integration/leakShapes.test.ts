// Every leak-check story through DataSource.query() on a real Prometheus: the shapes of
// test/fixtures/leakShapes.ts (warm-up, GC sawtooth, kernel memory, leak plus cache, OOM loop,
// cache cycling at the limit, calm and thrashing caches with PSI, a cgroup v1 cache without PSI,
// the demo's log writer) backfilled in cAdvisor's format, each judged over its own range.
import '../support/polyfills';
import { DataFrame, Field } from '@grafana/data';

import { FIELD_PRESSURE, FIELD_VERDICT } from '../../src/frames/leakFrames';
import { NOTE_NO_PSI } from '../../src/memory/pressure';
import { SHAPES, LeakShape } from '../fixtures/leakShapes';
import { buildTrendDataset, SHAPES_NS } from '../fixtures/trends';
import { panelRequest, PrometheusDataSource, runQuery, startPrometheusDataSource } from '../support/dataSource';

jest.setTimeout(180000);

const data = buildTrendDataset({ shapes: true });
let rig: PrometheusDataSource;

beforeAll(async () => {
  rig = await startPrometheusDataSource({ openMetrics: data.openMetrics }, { uid: 'shapes' });
}, 90000);

afterAll(async () => {
  await rig?.stop();
});

const field = (frame: DataFrame, name: string): Field => {
  const f = frame.fields.find((x) => x.name === name);
  if (!f) {
    throw new Error(`no field "${name}": ${frame.fields.map((x) => x.name).join(', ')}`);
  }
  return f;
};

/** The leak-check row of one shape over `seconds` ending with the data (default: the shape's own range). */
async function judge(shape: LeakShape, seconds = (shape.points - 1) * shape.step, stepSeconds = shape.step) {
  const req = panelRequest(
    [{ view: 'leakCheck', namespace: SHAPES_NS, pod: `${shape.name}-0` }],
    data.end - seconds,
    data.end,
    {
      intervalMs: stepSeconds * 1000,
      maxDataPoints: 100000,
    }
  );
  const res = await runQuery(rig.ds, req);
  expect(res.errors ?? []).toEqual([]);
  const [frame] = res.data as DataFrame[];
  expect(frame.length).toBe(1);
  return {
    verdict: field(frame, FIELD_VERDICT).values[0] as string,
    pressure: field(frame, FIELD_PRESSURE).values[0] as number | null,
    notes: String(frame.fields.find((f) => f.name === 'notes')?.values[0] ?? ''),
    notices: (frame.meta?.notices ?? []).map((n) => n.text).join(' '),
  };
}

it.each(SHAPES.map((s) => [s.story, s] as const))('%s: the verdict the story needs', async (_story, shape) => {
  expect((await judge(shape)).verdict).toBe(shape.expected);
});

it('memory pressure: ≈ 0 for a calm cache, the thrashing share for a thrashing one, empty (never 0) without PSI', async () => {
  const byName = (name: string) => SHAPES.find((s) => s.name === name)!;
  const calm = await judge(byName('calm-cache'));
  const thrashing = await judge(byName('thrashing-cache'));
  const v1 = await judge(byName('v1-cache'));
  expect(calm.pressure).not.toBeNull();
  expect(calm.pressure!).toBeLessThan(0.01);
  expect(thrashing.pressure!).toBeGreaterThan(0.2);
  expect(thrashing.pressure!).toBeLessThan(0.3);
  expect(v1.pressure).toBeNull();
  // Said once for the table, as a notice, not on the row.
  expect(v1.notices).toContain(NOTE_NO_PSI);
  expect(v1.notes).not.toContain(NOTE_NO_PSI);
});

it('a range too short to fit says so, with the fitted span, whatever the shape', async () => {
  const leak = SHAPES.find((s) => s.expected.startsWith('anon memory growing'))!;
  // The last 9 minutes at a dashboard's 15 s interval: plenty of points, too short a span.
  const short = await judge(leak, 9 * 60, 15);
  expect(short.verdict).toMatch(/^too short to tell \(fitted (8|9) min\)$/);
});
