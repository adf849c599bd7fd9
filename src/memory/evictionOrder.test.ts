import { PodUsage, evictionOrder } from './evictionOrder';

const MB = 1e6;
const pod = (
  node: string,
  name: string,
  workingSet: number,
  request: number | null,
  realUsed = workingSet
): PodUsage => ({
  node,
  labels: { node, namespace: 'shop', pod: name },
  namespace: 'shop',
  pod: name,
  workingSet: workingSet * MB,
  realUsed: realUsed * MB,
  request: request === null ? null : request * MB,
});

const order = (pods: PodUsage[]) => evictionOrder(pods).map((p) => `${p.node}:${p.rank}:${p.pod}`);

describe('evictionOrder', () => {
  it('puts pods above their request first, then the largest excess first', () => {
    expect(
      order([
        pod('a', 'within-big', 900, 1000), // −100, within request
        pod('a', 'slightly-over', 210, 200), // +10
        pod('a', 'far-over', 500, 100), // +400
        pod('a', 'within-small', 50, 1000), // −950
      ])
    ).toEqual(['a:1:far-over', 'a:2:slightly-over', 'a:3:within-big', 'a:4:within-small']);
  });

  it('a pod within its request goes after every pod above, however large it is', () => {
    const ranked = evictionOrder([pod('a', 'huge-within', 4000, 5000), pod('a', 'tiny-over', 11, 10)]);
    expect(ranked.map((p) => [p.pod, p.exceedsRequest, p.aboveRequest])).toEqual([
      ['tiny-over', true, 1 * MB],
      ['huge-within', false, -1000 * MB],
    ]);
  });

  it('counts a pod without a request as requesting 0, as the kubelet does', () => {
    const [first] = evictionOrder([pod('a', 'requested', 300, 100), pod('a', 'no-request', 250, null)]);
    expect(first.pod).toBe('no-request');
    expect(first.aboveRequest).toBe(250 * MB);
    expect(first.request).toBeNull();
  });

  it('ranks each node on its own, nodes in name order', () => {
    expect(order([pod('b', 'x', 10, null), pod('a', 'y', 5, null), pod('b', 'z', 20, null)])).toEqual([
      'a:1:y',
      'b:1:z',
      'b:2:x',
    ]);
  });

  it('shows real used beside the kubelet’s figure: first in line may be mostly page cache', () => {
    const [first] = evictionOrder([pod('a', 'log-writer', 800, 200, 150), pod('a', 'api', 400, 200, 380)]);
    expect([first.pod, first.workingSet, first.realUsed]).toEqual(['log-writer', 800 * MB, 150 * MB]);
  });

  it('breaks ties by namespace and pod name, so the order is stable', () => {
    expect(order([pod('a', 'b', 10, 5), pod('a', 'a', 10, 5)])).toEqual(['a:1:a', 'a:2:b']);
  });
});
