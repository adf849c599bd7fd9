import { checkConnection, plural } from './health';
import { CADVISOR_METRIC } from './metrics';

/** Answers each count query with the number of series of its metric; range queries within `maxPoints`. */
const prometheus = (counts: Partial<Record<string, number>>, maxPoints = 11000) => ({
  queryInstant: async (expr: string) => {
    const metric = Object.values(CADVISOR_METRIC).find((m) => expr.includes(`(${m}{`))!;
    const n = counts[metric] ?? 0;
    return n > 0 ? [{ labels: {}, value: n }] : [];
  },
  queryRange: async (_expr: string, range: { start: number; end: number; step: number }) => {
    const points = (range.end - range.start) / range.step + 1;
    if (points > maxPoints) {
      throw new Error(
        `Prometheus error (422): too many points: ${points}; cannot exceed -search.maxPointsPerTimeseries=${maxPoints}`
      );
    }
    return [];
  },
});

const all = (n: number) => Object.fromEntries(Object.values(CADVISOR_METRIC).map((m) => [m, n]));

describe('Save & test', () => {
  it("names an engine's points limit below 11,000, which panels fit their step to", async () => {
    const limited = await checkConnection(prometheus(all(3), 50), ['namespace="shop"']);
    expect(limited.status).toBe('success');
    expect(limited.details?.message).toMatch(
      /The engine allows at most 50 points per series \(VictoriaMetrics -search\.maxPointsPerTimeseries\): panels raise their step to fit/
    );
    const plain = await checkConnection(prometheus(all(3)), ['namespace="shop"']);
    expect(plain.details?.message).not.toMatch(/points per series/);
  });

  it('a short title with the count, the series found below it', async () => {
    const one = await checkConnection(prometheus(all(1)), ['namespace="shop"']);
    expect(one.status).toBe('success');
    expect(one.message).toBe('Prometheus answers: 1 container with cAdvisor memory series; real used is exact.');
    expect(one.details?.message).toMatch(
      /^Series found in the last hour: container_memory_usage_bytes, .*File-cache series present\.$/
    );
    const many = await checkConnection(prometheus(all(12)), []);
    expect(many.message).toMatch(/^Prometheus answers: 12 containers /);
  });

  it('warns when the file-cache series are missing, and says what follows', async () => {
    const r = await checkConnection(
      prometheus({ ...all(3), [CADVISOR_METRIC.activeFile]: 0, [CADVISOR_METRIC.inactiveFile]: 0 }),
      []
    );
    expect(r.status).toBe('warning');
    expect(r.message).toMatch(/3 containers, but the file-cache series are missing/);
    expect(r.details?.message).toMatch(/estimated from cache/);
  });

  it('fails when there are no working-set series', async () => {
    const r = await checkConnection(prometheus({}), []);
    expect(r.status).toBe('error');
    expect(r.details?.message).toMatch(/container_memory_working_set_bytes/);
  });

  it('plural', () => {
    expect([0, 1, 2].map((n) => plural(n, 'container'))).toEqual(['0 containers', '1 container', '2 containers']);
  });
});
