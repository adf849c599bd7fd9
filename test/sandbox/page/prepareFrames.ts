// What Grafana's time-series panel does to frames before drawing: its field defaults
// (palette colours, lines), then field overrides, which attach display names and processors.
import { DataFrame, FieldType, GrafanaTheme2, applyFieldOverrides } from '@grafana/data';

const TIMESERIES_DEFAULTS = {
  drawStyle: 'line',
  lineInterpolation: 'linear',
  lineWidth: 1,
  fillOpacity: 0,
  gradientMode: 'none',
  showPoints: 'never',
  pointSize: 4,
  spanNulls: false,
  axisPlacement: 'auto',
  stacking: { mode: 'none', group: 'A' },
};

export function prepareFrames(frames: DataFrame[], theme: GrafanaTheme2): DataFrame[] {
  const withDefaults = frames.map((frame) => ({
    ...frame,
    fields: frame.fields.map((field) =>
      field.type === FieldType.number
        ? {
            ...field,
            config: {
              ...field.config,
              color: field.config.color ?? { mode: 'palette-classic' },
              custom: { ...TIMESERIES_DEFAULTS, ...field.config.custom },
            },
          }
        : field
    ),
  }));
  return applyFieldOverrides({
    data: withDefaults,
    fieldConfig: { defaults: {}, overrides: [] },
    replaceVariables: (v) => v,
    theme,
    timeZone: 'utc',
  });
}
