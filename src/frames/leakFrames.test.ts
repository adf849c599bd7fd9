import { FieldType, createTheme, formattedValueToString, getDisplayProcessor } from '@grafana/data';

import { LeakResult, VERDICT_LEAK, VERDICT_STABLE } from '../memory/leakVerdict';
import { FIELD_REAL_SLOPE, FIELD_TIME_TO_LIMIT, FIELD_VERDICT, leakFrame } from './leakFrames';

const MiB = 1024 * 1024;
const result = (over: Partial<LeakResult>): LeakResult => ({
  verdict: VERDICT_STABLE,
  realUsedSlope: 0,
  fileCacheSlope: 0,
  fitQuality: 0.1,
  timeToLimit: null,
  fittedFrom: 0,
  restarts: 0,
  notes: [],
  ...over,
});

describe('leakFrame', () => {
  const frame = leakFrame(
    'A',
    ['cluster', 'namespace', 'pod', 'container'],
    [
      {
        labels: { namespace: 'shop', pod: 'api-1', container: 'api' },
        result: result({
          verdict: VERDICT_LEAK,
          realUsedSlope: 50 * MiB,
          fitQuality: 0.99,
          timeToLimit: 5 * 3600 + 14 * 60,
        }),
      },
      {
        labels: { namespace: 'shop', pod: 'db-0', container: 'db' },
        result: result({ notes: ['no memory limit: no time to limit'] }),
      },
    ],
    [],
    'q'
  );
  const byName = (name: string) => frame.fields.find((f) => f.name === name)!;

  it('is one table frame with a row per container and no empty cluster column', () => {
    expect(frame.length).toBe(2);
    expect(frame.meta?.preferredVisualisationType).toBe('table');
    expect(frame.fields.map((f) => f.name).slice(0, 3)).toEqual(['namespace', 'pod', 'container']);
    expect(byName('pod').values).toEqual(['api-1', 'db-0']);
    expect(byName(FIELD_VERDICT).type).toBe(FieldType.string);
    expect(byName(FIELD_VERDICT).values).toEqual([VERDICT_LEAK, VERDICT_STABLE]);
    expect(byName('notes').values[1]).toMatch(/no memory limit/);
  });

  it('formats slopes as bytes, time to limit as a duration and colors the verdict', () => {
    const theme = createTheme();
    const show = (name: string, v: unknown) => {
      const f = byName(name);
      return getDisplayProcessor({ field: { ...f, state: {} } as any, theme })(v);
    };
    const slope = show(FIELD_REAL_SLOPE, 50 * MiB);
    expect(formattedValueToString(slope)).toBe('50 MiB');
    expect(show(FIELD_TIME_TO_LIMIT, 5 * 3600 + 14 * 60).text).toBe('5 hours, 14 minutes');
    expect(show(FIELD_VERDICT, VERDICT_LEAK).color).toBe(theme.visualization.getColorByName('red'));
  });
});
