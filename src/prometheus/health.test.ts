import { checkConnection, plural } from './health';
import { CADVISOR_METRIC } from './metrics';

/** Answers each count query with the number of series of its metric. */
const prometheus = (counts: Partial<Record<string, number>>) => ({
  queryInstant: async (expr: string) => {
    const metric = Object.values(CADVISOR_METRIC).find((m) => expr.includes(`(${m}{`))!;
    const n = counts[metric] ?? 0;
    return n > 0 ? [{ labels: {}, value: n }] : [];
  },
});

const all = (n: number) => Object.fromEntries(Object.values(CADVISOR_METRIC).map((m) => [m, n]));

describe('Save & test', () => {
  it('a short title with the count, the series found below it', async () => {
    const one = await checkConnection(prometheus(all(1)), ['namespace="shop"']);
    expect(one.status).toBe('success');
    expect(one.message).toBe('Prometheus answers: 1 container with cAdvisor memory series; real used is exact.');
    expect(one.details?.message).toMatch(/^Series found in the last hour: container_memory_usage_bytes, .*File-cache series present\.$/);
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
