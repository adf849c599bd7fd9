import { FieldColorModeId, FieldType, createDataFrame } from '@grafana/data';

import { MEANING_COLOUR } from './colours';
import { shadeWhenSeveralGroups } from './shades';

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

const colours = (frames: ReturnType<typeof shadeWhenSeveralGroups>) =>
  frames.flatMap((f) => f.fields.flatMap((x) => (x.config.color ? [x.config.color] : [])));

describe('shadeWhenSeveralGroups', () => {
  it('keeps the fixed colour of one group', () => {
    const one = [group('a')];
    expect(shadeWhenSeveralGroups(one)).toBe(one);
    expect(colours(one)).toEqual([{ mode: FieldColorModeId.Fixed, fixedColor: 'yellow' }]);
  });

  it('turns every fixed colour into shades of the same colour when several groups share the panel', () => {
    const shaded = shadeWhenSeveralGroups([group('a'), group('b')]);
    expect(colours(shaded)).toEqual([
      { mode: FieldColorModeId.Shades, fixedColor: 'yellow' },
      { mode: FieldColorModeId.Shades, fixedColor: 'yellow' },
    ]);
    // Fields without a colour are left alone.
    expect(shaded[0].fields[2].config.color).toBeUndefined();
  });

  it('counts only frames with coloured fields (a table beside one series stays fixed)', () => {
    const table = createDataFrame({ fields: [{ name: 'verdict', type: FieldType.string, values: ['stable'] }] });
    expect(colours(shadeWhenSeveralGroups([group('a'), table]))).toEqual([
      { mode: FieldColorModeId.Fixed, fixedColor: 'yellow' },
    ]);
  });
});
