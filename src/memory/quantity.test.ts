import { evictionLine, formatThreshold, parseEvictionThreshold } from './quantity';

const bytesOf = (text: string) => {
  const r = parseEvictionThreshold(text);
  if (!r.ok) {
    throw new Error(r.error);
  }
  return r.threshold;
};
const errorOf = (text: string) => {
  const r = parseEvictionThreshold(text);
  return r.ok ? undefined : r.error;
};

describe('parseEvictionThreshold', () => {
  it.each([
    ['100Mi', 100 * 1024 * 1024],
    ['500M', 500e6],
    ['1Gi', 1024 ** 3],
    ['1.5Gi', 1.5 * 1024 ** 3],
    ['750Ki', 750 * 1024],
    ['2k', 2000],
    ['1G', 1e9],
    ['1Ti', 1024 ** 4],
    ['1e9', 1e9],
    ['1.5E6', 1.5e6],
    ['123456', 123456],
    [' 100Mi ', 100 * 1024 * 1024],
    ['.5Ki', 512],
    // The kubelet rounds a fractional byte count up.
    ['0.1k', 100],
    ['1.0001k', 1001],
  ])('%s is %d bytes', (text, bytes) => {
    expect(bytesOf(text)).toEqual({ bytes });
  });

  it.each([
    ['5%', 5],
    ['10.5%', 10.5],
    ['0.5%', 0.5],
  ])('%s is a percentage of capacity', (text, percent) => {
    expect(bytesOf(text)).toEqual({ percent });
  });

  it.each([
    ['', /is empty/],
    ['  ', /is empty/],
    ['100Mb', /unknown unit "Mb".*Ki, Mi, Gi/],
    ['100mi', /unknown unit "mi"/],
    ['100m', /fraction of a byte.*did you mean 100Mi or 100M\?/],
    ['5u', /fraction of a byte/],
    ['Mi', /not a Kubernetes quantity/],
    ['100 Mi', /not a Kubernetes quantity/],
    ['1,5Gi', /not a Kubernetes quantity/],
    ['memory.available<100Mi', /not a Kubernetes quantity/],
    ['-100Mi', /more than 0 bytes/],
    ['0', /more than 0 bytes/],
    ['0Mi', /more than 0 bytes/],
    ['0%', /above 0% and below 100%/],
    ['100%', /above 0% and below 100%/],
    ['150%', /above 0% and below 100%/],
    ['-5%', /not a Kubernetes quantity/],
  ])('%j is refused: %s', (text, message) => {
    expect(errorOf(text)).toMatch(message);
  });
});

describe('evictionLine', () => {
  const GiB = 1024 ** 3;
  it('is capacity − the threshold in bytes: where working set triggers eviction', () => {
    expect(evictionLine(8 * GiB, { bytes: 100 * 1024 * 1024 })).toBe(8 * GiB - 100 * 1024 * 1024);
  });
  it('is capacity × (1 − p) for a percentage', () => {
    expect(evictionLine(10e9, { percent: 5 })).toBe(9.5e9);
  });
  it('is unknown without a capacity, never a number', () => {
    expect(evictionLine(null, { bytes: 1 })).toBeNull();
    expect(evictionLine(null, { percent: 5 })).toBeNull();
  });
});

describe('formatThreshold', () => {
  it('writes whole MiB like the kubelet flag, else bytes, else the percentage', () => {
    expect(formatThreshold({ bytes: 100 * 1024 * 1024 })).toBe('100Mi');
    expect(formatThreshold({ bytes: 500e6 })).toBe('500000000 bytes');
    expect(formatThreshold({ percent: 5 })).toBe('5% of capacity');
  });
});
