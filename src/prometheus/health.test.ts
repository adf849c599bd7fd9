import { NAMED_AT_MOST } from './fileCacheCoverage';
import { checkConnection, plural } from './health';
import { CADVISOR_METRIC } from './metrics';
import { DEFAULT_LABELS } from './promql';
import { groupCountExpr } from './ranking';
import { containersWithoutFileCacheExpr, withoutFileCacheExpr } from './withoutFileCache';

const MATCHERS = ['namespace="big"'];
// Relabeled: the check must ask with the data source's label names, or the fake does not know the query.
const LABELS = { ...DEFAULT_LABELS, container: 'container_name' };
const SELECTION = { matchers: MATCHERS, labels: LABELS };
const WINDOW_SECONDS = 3600;

interface Container {
  labels: Record<string, string>;
  fileCache: boolean;
}

const container = (pod: string, fileCache = true, extra: Record<string, string> = {}): Container => ({
  labels: { namespace: 'big', pod, container_name: 'main', ...extra },
  fileCache,
});

/** `n` containers app-0 … app-(n-1); those at `old` come from a cAdvisor without file-cache series. */
const fleet = (n: number, old: number[] = []) =>
  Array.from({ length: n }, (_, k) => container(`app-${k}`, !old.includes(k)));

const countOf = (n: number) => (n > 0 ? [{ labels: {}, value: n }] : []);

/**
 * A Prometheus holding `containers`: it answers the queries "Save & test" is known to send and
 * fails any other. Range queries succeed within `maxPoints`.
 */
function prometheus(containers: Container[], maxPoints = 11000) {
  const sent: string[] = [];
  const lacking = containers.filter((c) => !c.fileCache);
  const answers = new Map([
    [groupCountExpr(MATCHERS, LABELS, 'container', WINDOW_SECONDS), countOf(containers.length)],
    [withoutFileCacheExpr(MATCHERS, LABELS, WINDOW_SECONDS), countOf(lacking.length)],
    // Prometheus keeps any three; here in reverse order, so the check's own sorting shows.
    [
      `topk(${NAMED_AT_MOST}, ${containersWithoutFileCacheExpr(MATCHERS, LABELS, WINDOW_SECONDS)})`,
      lacking
        .slice(0, NAMED_AT_MOST)
        .reverse()
        .map((c) => ({ labels: c.labels, value: 1 })),
    ],
  ]);
  const seriesOf = (metric: string) =>
    metric === CADVISOR_METRIC.activeFile || metric === CADVISOR_METRIC.inactiveFile
      ? containers.length - lacking.length
      : containers.length;
  return {
    sent,
    queryInstant: async (expr: string) => {
      sent.push(expr);
      const metric = Object.values(CADVISOR_METRIC).find((m) => expr.startsWith(`count(last_over_time(${m}{`));
      const answer = metric ? countOf(seriesOf(metric)) : answers.get(expr);
      if (!answer) {
        throw new Error(`unexpected query: ${expr}`);
      }
      return answer;
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
  };
}

describe('Save & test', () => {
  it("names an engine's points limit below 11,000, which panels fit their step to", async () => {
    const limited = await checkConnection(prometheus(fleet(3), 50), SELECTION);
    expect(limited.status).toBe('success');
    expect(limited.details?.message).toMatch(
      /The engine allows at most 50 points per series \(VictoriaMetrics -search\.maxPointsPerTimeseries\): panels raise their step to fit/
    );
    const plain = await checkConnection(prometheus(fleet(3)), SELECTION);
    expect(plain.details?.message).not.toMatch(/points per series/);
  });

  it('a short title when every container has file-cache series, the series found below it', async () => {
    const one = await checkConnection(prometheus(fleet(1)), SELECTION);
    expect(one.status).toBe('success');
    expect(one.message).toBe('Real used is exact for 1 container.');
    expect(one.details?.message).toMatch(
      /^Series found in the last hour: container_memory_usage_bytes, .*File-cache series present\.$/
    );
    const sixty = prometheus(fleet(60));
    expect((await checkConnection(sixty, SELECTION)).message).toBe('Real used is exact for all 60 containers.');
    // Nothing to name, so no names are asked for.
    expect(sixty.sent.filter((q) => q.startsWith('topk('))).toEqual([]);
  });

  it('counts and names the one container without file-cache series', async () => {
    const r = await checkConnection(prometheus([...fleet(60).slice(1), container('legacy-7', false)]), SELECTION);
    expect(r.status).toBe('success');
    expect(r.message).toBe(
      'Real used is exact for 59 of 60 containers; 1 container has no file-cache series (older cAdvisor), so its split is estimated: big/legacy-7/main.'
    );
  });

  it('names at most three, sorted, and counts the rest', async () => {
    const r = await checkConnection(prometheus(fleet(60, [3, 11, 25, 40, 52])), SELECTION);
    expect(r.message).toBe(
      'Real used is exact for 55 of 60 containers; 5 containers have no file-cache series (older cAdvisor), so their split is estimated: big/app-11/main, big/app-25/main, big/app-3/main and 2 more.'
    );
  });

  it('names a container with its cluster where the series have one', async () => {
    const r = await checkConnection(
      prometheus([container('web-0'), container('legacy-7', false, { cluster: 'prod' })]),
      SELECTION
    );
    expect(r.message).toMatch(/so its split is estimated: prod\/big\/legacy-7\/main\.$/);
  });

  it('warns when the file-cache series are missing, and says what follows', async () => {
    const r = await checkConnection(prometheus(fleet(3, [0, 1, 2])), SELECTION);
    expect(r.status).toBe('warning');
    expect(r.message).toBe('Prometheus answers: 3 containers, but the file-cache series are missing.');
    expect(r.details?.message).toMatch(/estimated from cache/);
  });

  it('fails when there are no working-set series', async () => {
    const r = await checkConnection(prometheus([]), SELECTION);
    expect(r.status).toBe('error');
    expect(r.details?.message).toMatch(/container_memory_working_set_bytes/);
  });

  it('fails with the query error when a query fails', async () => {
    const broken = {
      ...prometheus(fleet(3)),
      queryInstant: async () => Promise.reject(new Error('Prometheus error (503): overloaded')),
    };
    expect(await checkConnection(broken, SELECTION)).toEqual({
      status: 'error',
      message: 'Prometheus error (503): overloaded',
    });
  });

  it('plural', () => {
    expect([0, 1, 2].map((n) => plural(n, 'container'))).toEqual(['0 containers', '1 container', '2 containers']);
  });
});
