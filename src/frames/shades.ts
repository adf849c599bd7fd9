import { DataFrame, FieldColorModeId } from '@grafana/data';

/**
 * Colours when several groups share a panel. Up to `FEW_GROUPS`, each meaning keeps its hue, in
 * shades (Grafana's "Shades of a color" mode), so real used stays yellow. Beyond that, 60 shades
 * of yellow beside 60 of purple cannot be told apart: each group gets its own palette colour,
 * and the meaning is carried by the line and the legend (real used thick, working set and usage
 * thin, references such as the limit dashed; set by the frame builders). Stacked bands (the
 * breakdown) keep the colours of their meaning: a band's colour is what it says.
 */
export const FEW_GROUPS = 3;

/** Grafana's classic palette, the colours it gives series by default, in its order. */
const PALETTE = [
  '#7EB26D',
  '#EAB839',
  '#6ED0E0',
  '#EF843C',
  '#E24D42',
  '#1F78C1',
  '#BA43A9',
  '#705DA0',
  '#508642',
  '#CCA300',
  '#447EBC',
  '#C15C17',
  '#890F02',
  '#0A437C',
  '#6D1F62',
  '#584477',
  '#B7DBAB',
  '#F4D598',
  '#70DBED',
  '#F9BA8F',
  '#F29191',
  '#82B5D8',
  '#E5A8E2',
  '#AEA2E0',
];

const fixed = (f: DataFrame['fields'][number]) => f.config.color?.mode === FieldColorModeId.Fixed;
const stacked = (f: DataFrame['fields'][number]) => {
  const mode = (f.config.custom as { stacking?: { mode?: string } } | undefined)?.stacking?.mode;
  return mode !== undefined && mode !== 'none';
};

export function colourGroups(frames: DataFrame[]): DataFrame[] {
  const coloured = frames.filter((frame) => frame.fields.some(fixed));
  if (coloured.length < 2) {
    return frames;
  }
  const byGroup = coloured.length > FEW_GROUPS;
  return frames.map((frame) => {
    const index = coloured.indexOf(frame);
    if (index < 0) {
      return frame;
    }
    const colour = (f: DataFrame['fields'][number]) =>
      byGroup && !stacked(f)
        ? { mode: FieldColorModeId.Fixed, fixedColor: PALETTE[index % PALETTE.length] }
        : { ...f.config.color, mode: FieldColorModeId.Shades };
    return {
      ...frame,
      fields: frame.fields.map((f) => (fixed(f) ? { ...f, config: { ...f.config, color: colour(f) } } : f)),
    };
  });
}
