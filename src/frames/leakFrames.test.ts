import { FieldType, createTheme, formattedValueToString, getDisplayProcessor } from '@grafana/data';

import {
  LeakResult,
  VERDICT_CACHE,
  VERDICT_CYCLING,
  VERDICT_KERNEL,
  VERDICT_LEAK,
  VERDICT_NO_DATA,
  VERDICT_STABLE,
  verdictThrashing,
  verdictTooShort,
} from '../memory/leakVerdict';
import {
  FIELD_ANON_SLOPE,
  FIELD_CACHE_SLOPE,
  FIELD_FITTED_SPAN,
  FIELD_KERNEL_SLOPE,
  FIELD_PRESSURE,
  FIELD_REAL_SLOPE,
  FIELD_TIME_TO_LIMIT,
  FIELD_VERDICT,
  leakFrame,
} from './leakFrames';
import { bytesPerHourOf } from './iecPerHour';

const MiB = 2 ** 20;
const GiB = 2 ** 30;

const result = (over: Partial<LeakResult>): LeakResult => ({
  verdict: VERDICT_STABLE,
  anonSlope: 0,
  kernelSlope: 0,
  fileCacheSlope: 0,
  realUsedSlope: 0,
  fitQuality: 0.1,
  timeToLimit: null,
  fittedFrom: 0,
  fittedSpan: 6 * 3600,
  restarts: 0,
  memoryPressure: null,
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
          anonSlope: 12.3 * MiB,
          kernelSlope: 0.3,
          fileCacheSlope: -2.5 * GiB,
          realUsedSlope: 12.3 * MiB,
          fitQuality: 0.99,
          timeToLimit: 5 * 3600 + 14 * 60,
          memoryPressure: 0.0123,
        }),
      },
      {
        labels: { namespace: 'shop', pod: 'db-0', container: 'db' },
        result: result({ notes: ['no memory limit: no time to limit'], kernelSlope: null }),
      },
    ],
    [],
    'q'
  );
  const theme = createTheme();
  const byName = (name: string) => frame.fields.find((f) => f.name === name)!;
  const show = (name: string, v: unknown) => {
    const f = byName(name);
    return getDisplayProcessor({ field: { ...f, state: {} } as any, theme })(v);
  };

  it('is one table frame with a row per container and no empty cluster column', () => {
    expect(frame.length).toBe(2);
    expect(frame.meta?.preferredVisualisationType).toBe('table');
    expect(frame.fields.map((f) => f.name).slice(0, 3)).toEqual(['namespace', 'pod', 'container']);
    expect(byName('pod').values).toEqual(['api-1', 'db-0']);
    expect(byName(FIELD_VERDICT).type).toBe(FieldType.string);
    expect(byName(FIELD_VERDICT).values).toEqual([VERDICT_LEAK, VERDICT_STABLE]);
    expect(byName('notes').values[1]).toMatch(/no memory limit/);
  });

  it('has a slope per kind of memory per hour, each column in one IEC unit as the charts show bytes', () => {
    const text = (name: string, row: number) => formattedValueToString(show(name, byName(name).values[row]));
    expect(byName(FIELD_ANON_SLOPE).config).toMatchObject({ unit: 'suffix:MiB/h', decimals: 1 });
    expect(text(FIELD_ANON_SLOPE, 0)).toBe('12.3 MiB/h');
    // The other row in the same unit, so the column reads at a glance and sorts right.
    expect(text(FIELD_ANON_SLOPE, 1)).toBe('0.0 MiB/h');
    expect(text(FIELD_CACHE_SLOPE, 0)).toBe('-2.5 GiB/h');
    expect(text(FIELD_CACHE_SLOPE, 1)).toBe('0.0 GiB/h');
    // Nothing over 1 KiB/h: whole bytes (0.3 B/h is 0), and no slope stays empty.
    expect(byName(FIELD_KERNEL_SLOPE).values).toEqual([0, null]);
    expect(text(FIELD_KERNEL_SLOPE, 0)).toBe('0 B/h');
    // Read back in bytes per hour, for code that compares them across columns.
    const real = byName(FIELD_REAL_SLOPE);
    expect(bytesPerHourOf(real.values[0], real.config.unit)).toBeCloseTo(12.3 * MiB, 0);
  });

  it('shows memory pressure as a percentage, empty (never 0) when unknown', () => {
    expect(byName(FIELD_PRESSURE).config.unit).toBe('percentunit');
    expect(byName(FIELD_PRESSURE).values).toEqual([0.0123, null]);
    expect(formattedValueToString(show(FIELD_PRESSURE, 0.0123))).toBe('1.2%');
    expect(show(FIELD_PRESSURE, null).text).toBe('—');
  });

  it('formats time to limit and the fitted span as durations', () => {
    expect(show(FIELD_TIME_TO_LIMIT, 5 * 3600 + 14 * 60).text).toBe('5 hours, 14 minutes');
    expect(show(FIELD_FITTED_SPAN, 6 * 3600 + 20 * 60).text).toBe('6 hours, 20 minutes');
    expect(byName('fitted from').type).toBe(FieldType.time);
  });

  it('colours a leak red, kernel growth and thrashing amber, cache and stable green, unknown grey', () => {
    const color = (v: string) => show(FIELD_VERDICT, v).color;
    const named = (c: string) => theme.visualization.getColorByName(c);
    expect(color(VERDICT_LEAK)).toBe(named('red'));
    expect(color(VERDICT_KERNEL)).toBe(named('orange'));
    expect(color(verdictThrashing(0.27))).toBe(named('orange'));
    expect(color(verdictThrashing(0.9))).toBe(named('orange'));
    for (const v of [VERDICT_CACHE, VERDICT_CYCLING, VERDICT_STABLE]) {
      expect(color(v)).toBe(named('green'));
    }
    expect(color(VERDICT_NO_DATA)).toBe(named('gray'));
    expect(color(verdictTooShort(9 * 60))).toBe(named('gray'));
    expect(named('gray')).not.toBe(named('green'));
    // The text itself is kept (mappings only colour it).
    expect(show(FIELD_VERDICT, verdictThrashing(0.27)).text).toBe('page cache thrashing: memory pressure 27%');
  });
});
