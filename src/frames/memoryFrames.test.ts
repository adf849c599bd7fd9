// @grafana/ui (Grafana's own axis-key function) needs the browser APIs jsdom lacks.
import '../../test/support/polyfills';
import { DataFrame, Field, FieldType } from '@grafana/data';
import { buildScaleKey } from '@grafana/ui';

import { MEANING_COLOUR } from './colours';
import { limitFields } from './headroomFrames';
import { BREAKDOWN_ORDER, breakdownFrame, realVsWorkingSetFrame } from './memoryFrames';

const ctx = {
  refId: 'A',
  timestamps: [1000, 2000],
  labels: { namespace: 'shop', pod: 'api-1', container: 'api' },
  legend: 'shop/api-1/api',
  notices: [],
  executedQueryString: 'q',
};
const two = [1, 2];

const valueFields = (frame: DataFrame): Field[] => frame.fields.filter((f) => f.type === FieldType.number);
/** The axis Grafana's time-series panel puts each field on (its own scale-key function). */
const axes = (fields: Field[]) => new Set(fields.map((f) => buildScaleKey(f.config, f.type)));
const colours = (fields: Field[]) =>
  Object.fromEntries(
    fields.map((f) => [f.name, f.config.color?.mode === 'fixed' ? f.config.color.fixedColor : f.config.color?.mode])
  );

describe('real used vs working set frame', () => {
  const frame = realVsWorkingSetFrame(ctx, { workingSet: two, real: two, usage: two }, 'realUsed');
  const withLimits = [
    ...valueFields(frame),
    ...limitFields(ctx, { limit: [200e6, 200e6], request: [64e6, 64e6], sources: ['cAdvisor'] }),
  ];

  it('puts every memory field, limit and request included, on one axis: bytes from 0', () => {
    expect(withLimits.map((f) => f.name)).toEqual(['working set', 'real used', 'usage', 'limit', 'request']);
    expect(axes(withLimits).size).toBe(1);
    for (const f of withLimits) {
      expect([f.name, f.config.unit, f.config.min]).toEqual([f.name, 'bytes', 0]);
    }
    // The check can fail: a limit without min 0 would get an axis of its own.
    const [limit] = withLimits.slice(3);
    expect(axes([...withLimits, { ...limit, config: { ...limit.config, min: undefined } }]).size).toBe(2);
  });

  it('colours by meaning: limit red, request orange, real used warm, working set and usage cool', () => {
    expect(colours(withLimits)).toEqual({
      'working set': MEANING_COLOUR.workingSet,
      'real used': MEANING_COLOUR.realUsed,
      usage: MEANING_COLOUR.usage,
      limit: 'red',
      request: 'orange',
    });
  });

  it('carries the formula in the field description, not in a notice', () => {
    const real = valueFields(frame).find((f) => f.name === 'real used')!;
    expect(real.config.description).toMatch(/usage − active file − inactive file \(= working set − active file\)/);
    expect(frame.meta?.notices).toEqual([]);
    const variant = realVsWorkingSetFrame(ctx, { workingSet: two, real: two }, 'usageMinusActiveFile');
    expect(colours(valueFields(variant))['usage − active file']).toBe(MEANING_COLOUR.usageMinusActiveFile);
  });
});

describe('breakdown frame', () => {
  const frame = breakdownFrame(ctx, { anon: two, activeFile: two, inactiveFile: two, other: two, swap: two });
  const fields = valueFields(frame);

  it('stacks anon, other, active file, inactive file, so the band edges read real used, working set, usage', () => {
    expect(BREAKDOWN_ORDER).toEqual(['anon', 'other', 'active file', 'inactive file']);
    expect(fields.map((f) => f.name)).toEqual([...BREAKDOWN_ORDER, 'swap']);
    const stacked = fields.filter((f) => f.config.custom?.stacking?.mode === 'normal').map((f) => f.name);
    expect(stacked).toEqual([...BREAKDOWN_ORDER]);
    expect(
      fields.every(
        (f) => f.config.custom?.stacking?.group === undefined || f.config.custom.stacking.group === ctx.legend
      )
    ).toBe(true);
  });

  it('one axis in bytes from 0; page cache cool, anon and other warm, each colour meaning one thing', () => {
    expect(axes(fields).size).toBe(1);
    expect(colours(fields)).toEqual({
      anon: MEANING_COLOUR.anon,
      other: MEANING_COLOUR.other,
      'active file': MEANING_COLOUR.activeFile,
      'inactive file': MEANING_COLOUR.inactiveFile,
      swap: MEANING_COLOUR.swap,
    });
    const warm = /yellow|orange|red/;
    const cool = /blue|purple|green/;
    expect([MEANING_COLOUR.anon, MEANING_COLOUR.other, MEANING_COLOUR.realUsed].every((c) => warm.test(c))).toBe(true);
    expect(
      [MEANING_COLOUR.activeFile, MEANING_COLOUR.inactiveFile, MEANING_COLOUR.workingSet].every((c) => cool.test(c))
    ).toBe(true);
    // No colour stands for two meanings (yellow was real used in one view and active file in the next).
    expect(new Set(Object.values(MEANING_COLOUR)).size).toBe(Object.keys(MEANING_COLOUR).length);
  });
});
