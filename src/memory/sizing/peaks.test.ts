import { DAILY_WINDOW_HOURS, HOURLY_WINDOW_HOURS, peakWindowHours, validPeaks, windowWord } from './peaks';

describe('peaks', () => {
  it('asks for daily peaks from two days of data, hourly ones below', () => {
    expect(peakWindowHours(14 * 24)).toBe(DAILY_WINDOW_HOURS);
    expect(peakWindowHours(48)).toBe(DAILY_WINDOW_HOURS);
    expect(peakWindowHours(47.9)).toBe(HOURLY_WINDOW_HOURS);
    expect(peakWindowHours(3)).toBe(HOURLY_WINDOW_HOURS);
    expect(windowWord(24)).toBe('daily');
    expect(windowWord(1)).toBe('hourly');
  });

  it('drops windows without a value instead of reading them as 0', () => {
    expect(validPeaks([5, null, NaN, Infinity, 0, 7])).toEqual([5, 0, 7]);
  });
});
