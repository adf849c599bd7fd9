import { typedQuery } from './typedQuery';

const ok = (query: Record<string, unknown>) => {
  const typed = typedQuery({ refId: 'A', ...query });
  if (!typed.ok) {
    throw new Error(typed.error);
  }
  return typed.query;
};
const error = (query: Record<string, unknown>) => {
  const typed = typedQuery({ refId: 'A', ...query });
  return typed.ok ? undefined : typed.error;
};

describe('a stored query typed at the door', () => {
  it('keeps a query of the right types as it is', () => {
    const query = {
      view: 'headroom',
      namespace: '!kube-system',
      showLimits: true,
      legendFormat: '{{pod}}',
      minStep: '1m',
    };
    expect(ok(query)).toEqual({ refId: 'A', ...query });
  });

  it('reads "true" and "false" as booleans, and nothing else', () => {
    expect(ok({ showLimits: 'false', showUsage: ' True ', incremental: 'false' })).toMatchObject({
      showLimits: false,
      showUsage: true,
      incremental: false,
    });
    expect(error({ showLimits: 'yes', incremental: 0 })).toBe(
      'showLimits must be true or false, got "yes". incremental must be true or false, got a number (0).'
    );
  });

  it('reads a list of values as any of them, each exactly, and an empty list as any', () => {
    expect(ok({ namespace: ['shop', 'a.b'], pod: [] })).toMatchObject({ namespace: '/(shop|a\\.b)/', pod: '' });
    expect(error({ namespace: [1, 2] })).toMatch(/^namespace must be text .* or a list of values, got a list\.$/);
  });

  it.each([
    [
      { namespace: 42 },
      'namespace must be text (a value, /regex/ or $variable) or a list of values, got a number (42).',
    ],
    [{ node: { name: 'a' } }, 'node must be text (a value, /regex/ or $variable) or a list of values, got an object.'],
    [{ legendFormat: 42 }, 'legendFormat must be text such as {{pod}}, got a number (42).'],
    [{ minStep: 30 }, 'minStep must be a duration such as 30s, 1m or 1h, got a number (30).'],
  ])('names the key and what arrived: %p', (query, message) => {
    expect(error(query)).toBe(message);
  });

  it('refuses a filter that is not valid Unicode (a lone surrogate), which Prometheus cannot parse', () => {
    expect(error({ cluster: '\uD800' })).toMatch(
      /^cluster must be valid Unicode text \(it holds half of a surrogate pair\), got /
    );
    expect(ok({ cluster: 'prod-🙂' })).toMatchObject({ cluster: 'prod-🙂' });
  });

  it('treats null as unset', () => {
    expect(ok({ namespace: null, showLimits: null, legendFormat: null })).toEqual({ refId: 'A' });
  });
});
