// Reading the plugin's frames in integration tests, and comparing them with the oracle
// (test/fixtures/expected.ts): shared by the runs against Prometheus and VictoriaMetrics.
import { DataFrame, Field } from '@grafana/data';

import { ExpectedPoint, expectedFigures, ExpectOptions } from '../fixtures/expected';

export const labelsOf = (frame: DataFrame) => frame.fields.find((f) => f.name !== 'Time')?.labels ?? {};

const canonical = (l: Record<string, string>) => JSON.stringify(Object.entries(l).sort());

/** The frame whose value fields carry exactly these labels. */
export function frameFor(frames: DataFrame[], labels: Record<string, string>): DataFrame {
  const f = frames.find((fr) => canonical(labelsOf(fr)) === canonical(labels));
  if (!f) {
    throw new Error(
      `no frame for ${JSON.stringify(labels)}; frames: ${frames.map((fr) => JSON.stringify(labelsOf(fr))).join(' ')}`
    );
  }
  return f;
}

export function field(frame: DataFrame, name: string): Field {
  const f = frame.fields.find((x) => x.name === name);
  if (!f) {
    throw new Error(`no field "${name}" in frame ${frame.name}: ${frame.fields.map((x) => x.name).join(', ')}`);
  }
  return f;
}

/** Value of a field at time t (seconds); undefined when the frame has no row at t. */
export function valueAt(frame: DataFrame, name: string, t: number): number | null | undefined {
  const i = (field(frame, 'Time').values as number[]).indexOf(t * 1000);
  return i < 0 ? undefined : (field(frame, name).values[i] as number | null);
}

/**
 * Compares frames with the oracle: one frame per expected group and no other, and for each
 * field, its value at every timestamp — missing or null where the oracle says null (never 0).
 */
export function expectFramesMatch(
  frames: DataFrame[],
  ds: { openMetrics: string; timestamps: number[] },
  opts: ExpectOptions,
  fieldToFigure: Record<string, keyof ExpectedPoint>
) {
  const oracle = expectedFigures(ds.openMetrics, ds.timestamps, opts);
  expect(frames.map((f) => canonical(labelsOf(f))).sort()).toEqual(
    [...oracle.values()].map((g) => canonical(g.labels)).sort()
  );
  const got: Record<string, Array<number | null>> = {};
  const want: Record<string, Array<number | null>> = {};
  for (const [key, group] of oracle) {
    const frame = frameFor(frames, group.labels);
    for (const [name, figure] of Object.entries(fieldToFigure)) {
      const k = `${key} ${name}`;
      want[k] = group.points.map((p) => p[figure] as number | null);
      got[k] = group.points.map((p) => valueAt(frame, name, p.t) ?? null);
    }
  }
  expect(got).toEqual(want);
}
