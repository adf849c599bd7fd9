import { DataFrame, FieldColorModeId } from '@grafana/data';

/**
 * Several groups in one panel: each meaning keeps its hue, in shades, so containers can be told
 * apart (Grafana's "Shades of a color" mode, from the same base colour). With one group the colours
 * stay fixed, exactly the meaning's colour.
 */
export function shadeWhenSeveralGroups(frames: DataFrame[]): DataFrame[] {
  const coloured = (frame: DataFrame) => frame.fields.some((f) => f.config.color?.mode === FieldColorModeId.Fixed);
  if (frames.filter(coloured).length < 2) {
    return frames;
  }
  return frames.map((frame) =>
    coloured(frame)
      ? {
          ...frame,
          fields: frame.fields.map((f) =>
            f.config.color?.mode === FieldColorModeId.Fixed
              ? { ...f, config: { ...f.config, color: { ...f.config.color, mode: FieldColorModeId.Shades } } }
              : f
          ),
        }
      : frame
  );
}
