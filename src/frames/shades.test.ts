import { FieldColorModeId, FieldType, createDataFrame } from '@grafana/data';

import { MEANING_COLOUR } from './colours';
import { FEW_GROUPS, colourGroups } from './shades';

const group = (container: string) =>
  createDataFrame({
    fields: [
      { name: 'Time', type: FieldType.time, values: [1, 2] },
      {
        name: 'real used',
        type: FieldType.number,
        values: [1, 2],
        labels: { container },
        config: { color: { mode: FieldColorModeId.Fixed, fixedColor: MEANING_COLOUR.realUsed } },
      },
      { name: 'note', type: FieldType.number, values: [0, 0] },
    ],
  });

const colours = (frames: ReturnType<typeof colourGroups>) =>
  frames.flatMap((f) => f.fields.flatMap((x) => (x.config.color ? [x.config.color] : [])));

describe('colourGroups', () => {
  it('keeps the fixed colour of one group', () => {
    const one = [group('a')];
    expect(colourGroups(one)).toBe(one);
    expect(colours(one)).toEqual([{ mode: FieldColorModeId.Fixed, fixedColor: 'yellow' }]);
  });

  it('turns every fixed colour into shades of the same colour when several groups share the panel', () => {
    const shaded = colourGroups([group('a'), group('b')]);
    expect(colours(shaded)).toEqual([
      { mode: FieldColorModeId.Shades, fixedColor: 'yellow' },
      { mode: FieldColorModeId.Shades, fixedColor: 'yellow' },
    ]);
    // Fields without a colour are left alone.
    expect(shaded[0].fields[2].config.color).toBeUndefined();
  });

  it('counts only frames with coloured fields (a table beside one series stays fixed)', () => {
    const table = createDataFrame({ fields: [{ name: 'verdict', type: FieldType.string, values: ['stable'] }] });
    expect(colours(colourGroups([group('a'), table]))).toEqual([
      { mode: FieldColorModeId.Fixed, fixedColor: 'yellow' },
    ]);
  });

  it('beyond a few groups, each group gets its own palette colour on every line; stacked bands keep their meaning', () => {
    const many = Array.from({ length: 60 }, (_, i) => group(`c${i}`));
    const coloured = colourGroups(many);
    const perGroup = coloured.map((f) => f.fields[1].config.color);
    expect(perGroup.every((c) => c?.mode === FieldColorModeId.Fixed)).toBe(true);
    // Neighbours differ, and the palette repeats only after its length.
    const hexes = perGroup.map((c) => c?.fixedColor);
    expect(new Set(hexes.slice(0, 20)).size).toBe(20);
    expect(hexes.every((h) => /^#[0-9A-F]{6}$/.test(h ?? ''))).toBe(true);
    expect(FEW_GROUPS).toBe(3);
    const band = (container: string) =>
      createDataFrame({
        fields: [
          { name: 'Time', type: FieldType.time, values: [1] },
          {
            name: 'anon',
            type: FieldType.number,
            values: [1],
            labels: { container },
            config: {
              color: { mode: FieldColorModeId.Fixed, fixedColor: MEANING_COLOUR.anon },
              custom: { stacking: { mode: 'normal', group: container } },
            },
          },
        ],
      });
    const bands = colourGroups(Array.from({ length: 5 }, (_, i) => band(`c${i}`)));
    expect(bands.map((f) => f.fields[1].config.color)).toEqual(
      Array(5).fill({ mode: FieldColorModeId.Shades, fixedColor: MEANING_COLOUR.anon })
    );
  });
});
