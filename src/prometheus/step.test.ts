import { MAX_POINTS_PER_SERIES, parseStepSeconds, rangeParams } from './step';

describe('rangeParams', () => {
  it('uses the panel interval and aligns start and end to the step', () => {
    expect(rangeParams(1_000_007_000, 1_000_607_000, 15000, 1000)).toEqual({ start: 1_000_005, end: 1_000_620, step: 15 });
  });

  it('never asks Prometheus for more than its point limit, whatever the interval', () => {
    const year = 365 * 24 * 3600 * 1000;
    const p = rangeParams(0, year, 1, undefined);
    expect((p.end - p.start) / p.step + 1).toBeLessThanOrEqual(MAX_POINTS_PER_SERIES);
  });

  it('respects max data points', () => {
    const p = rangeParams(0, 3600_000, 1000, 100);
    expect(p.step).toBe(36);
  });
});

describe('min step', () => {
  it('raises the step to the min step, never lowers it', () => {
    expect(rangeParams(0, 3600_000, 15000, 1000, 60).step).toBe(60);
    expect(rangeParams(0, 3600_000, 120000, 1000, 60).step).toBe(120);
  });

  it('reads Prometheus durations and plain seconds, and refuses anything else', () => {
    expect(parseStepSeconds('30s')).toBe(30);
    expect(parseStepSeconds(' 1m ')).toBe(60);
    expect(parseStepSeconds('1.5h')).toBe(5400);
    expect(parseStepSeconds('45')).toBe(45);
    expect(parseStepSeconds('500ms')).toBe(0.5);
    for (const bad of ['', '0s', '-1m', '1m30s', 'fast', '$__interval', '1 m']) {
      expect(parseStepSeconds(bad)).toBeNull();
    }
  });
});
