// "Save & test" (DataSource.testDatasource) against a real Prometheus backfilled in cAdvisor format:
// sixty containers in "big", one of them (legacy-7) from an older cAdvisor without file-cache series
// and one scraped twice, and six in "old", five of them without. The title counts the containers
// whose real used is exact and names those whose split is estimated.
import '../support/polyfills';

import { CgroupStat, MB, SeriesSpec, toOpenMetrics } from '../fixtures/cadvisor';
import { installBackendSrv } from '../support/backendSrv';
import { makeDataSource } from '../support/dataSource';
import { RunningPrometheus, startPrometheus } from '../support/prometheus';
import { installTemplateSrv } from '../support/templateSrv';

jest.setTimeout(120000);

const STEP = 60;
const POINTS = 30;
// Within the last hour, which "Save & test" looks back over.
const END = Math.floor(Date.now() / 60000) * 60 - 60;
const TIMESTAMPS = Array.from({ length: POINTS }, (_, i) => END - (POINTS - 1 - i) * STEP);

const stat: CgroupStat = {
  rss: 50 * MB,
  activeFile: 10 * MB,
  inactiveFile: 20 * MB,
  shmem: 0,
  kernel: 2 * MB,
  swap: 0,
};

function container(namespace: string, pod: string, fileCache: boolean, job = 'kubelet'): SeriesSpec {
  return {
    labels: {
      namespace,
      pod,
      container: 'main',
      image: `${namespace}/app:1`,
      id: `/kubepods/${pod}/main`,
      job,
      instance: `${job}-node-1:10250`,
    },
    stat: () => stat,
    drop: (metric) => !fileCache && (metric === 'activeFile' || metric === 'inactiveFile'),
  };
}

const BIG = Array.from({ length: 60 }, (_, k) =>
  k === 7 ? container('big', 'legacy-7', false) : container('big', `app-${k}`, true)
);
// The same container from a second scrape job: still one container.
const DUPLICATE = container('big', 'app-0', true, 'cadvisor');
const OLD_WITHOUT = ['old-0', 'old-1', 'old-2', 'old-3', 'old-4'];
const OLD = [...OLD_WITHOUT.map((pod) => container('old', pod, false)), container('old', 'new-0', true)];

let prom: RunningPrometheus;

beforeAll(async () => {
  prom = await startPrometheus({ openMetrics: toOpenMetrics([...BIG, DUPLICATE, ...OLD], TIMESTAMPS, true) });
  installBackendSrv({ health: prom.url });
  installTemplateSrv([]);
}, 60000);

afterAll(async () => {
  await prom?.stop();
});

const saveAndTest = (extraSelector: string) => makeDataSource({ extraSelector }, 'health').testDatasource();

describe('Save & test counts the containers whose real used is exact', () => {
  it('names the one of sixty without file-cache series, counting a container scraped twice once', async () => {
    expect(await saveAndTest('namespace="big"')).toMatchObject({
      status: 'success',
      message:
        'Real used is exact for 59 of 60 containers; 1 container has no file-cache series (older cAdvisor), so its split is estimated: big/legacy-7/main.',
    });
  });

  it('keeps the title short when every container has them', async () => {
    const result = await saveAndTest('namespace="big", pod!="legacy-7"');
    expect(result.status).toBe('success');
    expect(result.message).toBe('Real used is exact for all 59 containers.');
    expect(result.details?.message).toMatch(/File-cache series present\./);
  });

  it('names three of five, sorted, and counts the rest', async () => {
    const result = await saveAndTest('namespace="old"');
    const named = /so their split is estimated: (.*) and 2 more\.$/.exec(result.message ?? '')?.[1].split(', ');
    expect(result.message).toMatch(
      /^Real used is exact for 1 of 6 containers; 5 containers have no file-cache series \(older cAdvisor\), so their split is estimated: /
    );
    expect(named).toHaveLength(3);
    expect(named).toEqual([...named!].sort());
    expect(named!.every((name) => OLD_WITHOUT.map((pod) => `old/${pod}/main`).includes(name))).toBe(true);
  });

  it('counts across namespaces without an extra selector', async () => {
    expect((await saveAndTest('')).message).toMatch(
      /^Real used is exact for 60 of 66 containers; 6 containers have no file-cache series .* and 3 more\.$/
    );
  });
});
