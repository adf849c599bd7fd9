import { parser } from '@prometheus-io/lezer-promql';

import {
  ksmNodeMemoryExpr,
  machineMemoryExpr,
  nodeMatchers,
  podOnNodeExpr,
  podRequestExpr,
  rootAndPodsExpr,
  rootCgroupCountExpr,
  rootCgroupExpr,
} from './nodeQueries';
import { DEFAULT_LABELS } from './promql';

const WS = 'container_memory_working_set_bytes';

function parses(expr: string): boolean {
  let errors = 0;
  parser.parse(expr).iterate({ enter: (n) => void (errors += n.type.isError ? 1 : 0) });
  return errors === 0;
}

describe('nodeMatchers', () => {
  const m = nodeMatchers({
    labels: DEFAULT_LABELS,
    nodeLabel: 'node',
    node: { op: '=~', value: 'node-(a|b)' },
    extraSelector: 'cluster="prod", job="kubelet"',
    adHocFilters: [
      { key: 'namespace', operator: '=', value: 'shop' },
      { key: 'instance', operator: '!=', value: 'x:1' },
      { key: 'image', operator: '=~', value: '.*nginx.*' },
    ],
  });

  it('machine series: the node filter, ad-hoc filters a node cgroup can carry, the extra selector; no container exclusions', () => {
    expect(m.machine).toEqual(['node!=""', 'node=~"node-(a|b)"', 'instance!="x:1"', 'cluster="prod", job="kubelet"']);
  });

  it('kube-state-metrics node series: the node filter on "node" and only the cluster part of the extra selector', () => {
    expect(m.ksmNodes).toEqual(['node!=""', 'node=~"node-(a|b)"', 'cluster="prod"']);
  });

  it('containers on the nodes: real containers only (no pod cgroup, pause or slices), every pod of the node', () => {
    expect(m.containers).toEqual([
      'node!=""',
      'node=~"node-(a|b)"',
      'instance!="x:1"',
      'cluster="prod", job="kubelet"',
      'container!=""',
      'container!="POD"',
      'pod!=""',
      'image!=""',
    ]);
    expect(m.ksmContainers).toEqual([
      'node!=""',
      'node=~"node-(a|b)"',
      'cluster="prod"',
      'container!=""',
      'container!="POD"',
      'pod!=""',
    ]);
  });

  it('always requires a node name (a series without one would merge every node into one)', () => {
    const all = nodeMatchers({ labels: DEFAULT_LABELS, nodeLabel: 'node', node: null });
    expect([all.machine, all.ksmNodes, all.containers[0], all.ksmContainers[0]]).toEqual([
      ['node!=""'],
      ['node!=""'],
      'node!=""',
      'node!=""',
    ]);
  });

  it('uses the configured node label on cAdvisor series, "node" on kube-state-metrics', () => {
    const other = nodeMatchers({ labels: DEFAULT_LABELS, nodeLabel: 'instance', node: { op: '=', value: 'n"1' } });
    expect(other.machine).toEqual(['instance!=""', 'instance="n\\"1"']);
    expect(other.ksmNodes).toEqual(['node!=""', 'node="n\\"1"']);
  });

  it('refuses an ad-hoc filter Prometheus would refuse', () => {
    expect(() =>
      nodeMatchers({
        labels: DEFAULT_LABELS,
        nodeLabel: 'node',
        node: null,
        adHocFilters: [{ key: 'a b', operator: '=', value: '' }],
      })
    ).toThrow(/not a valid Prometheus label name/);
  });
});

describe('node expressions', () => {
  const machine = ['node="node-a"'];

  it('a node figure is the root cgroup, duplicates collapsed with max, never a sum of containers', () => {
    const expr = rootCgroupExpr(WS, machine, DEFAULT_LABELS, 'node');
    expect(expr).toBe(`max by (cluster, node) (${WS}{id="/", node="node-a"})`);
    expect(expr).not.toMatch(/sum|container[!=]/);
  });

  it('the breakdown asks for the root and the pods cgroup (cgroupfs or systemd driver) in one query', () => {
    expect(rootAndPodsExpr('container_memory_rss', machine, DEFAULT_LABELS, 'node')).toBe(
      'max by (cluster, node, id) (container_memory_rss{id=~"/|/kubepods|/kubepods\\\\.slice", node="node-a"})'
    );
  });

  it('capacity from cAdvisor and kube-state-metrics, allocatable from kube-state-metrics', () => {
    expect(machineMemoryExpr(machine, DEFAULT_LABELS, 'node')).toBe(
      'max by (cluster, node) (machine_memory_bytes{node="node-a"})'
    );
    expect(ksmNodeMemoryExpr('kube_node_status_allocatable', ['node="node-a"'], DEFAULT_LABELS)).toBe(
      'max by (cluster, node) (kube_node_status_allocatable{resource="memory", node="node-a"})'
    );
  });

  it('pods on a node: containers summed per pod and node; requests summed per pod', () => {
    expect(podOnNodeExpr(WS, ['node="node-a"', 'container!=""'], DEFAULT_LABELS, 'node')).toBe(
      `sum by (cluster, node, namespace, pod) (max by (cluster, node, namespace, pod, container) (${WS}{node="node-a", container!=""}))`
    );
    expect(podRequestExpr(['node="node-a"'], DEFAULT_LABELS)).toBe(
      'sum by (cluster, namespace, pod) (max by (cluster, namespace, pod, container) (kube_pod_container_resource_requests{resource="memory", node="node-a"}))'
    );
  });

  it('"Save & test" counts named nodes only', () => {
    expect(rootCgroupCountExpr(WS, [], DEFAULT_LABELS, 'node')).toBe(
      `count(count by (cluster, node) (last_over_time(${WS}{id="/", node!=""}[1h])))`
    );
  });

  it('every expression is valid PromQL', () => {
    const m = nodeMatchers({ labels: DEFAULT_LABELS, nodeLabel: 'node', node: { op: '=~', value: 'a"|b\\' } });
    const exprs = [
      rootCgroupExpr(WS, m.machine, DEFAULT_LABELS, 'node'),
      rootAndPodsExpr(WS, m.machine, DEFAULT_LABELS, 'node'),
      machineMemoryExpr(m.machine, DEFAULT_LABELS, 'node'),
      ksmNodeMemoryExpr('kube_node_status_capacity', m.ksmNodes, DEFAULT_LABELS),
      podOnNodeExpr(WS, m.containers, DEFAULT_LABELS, 'node'),
      podRequestExpr(m.ksmContainers, DEFAULT_LABELS),
      rootCgroupCountExpr(WS, m.machine, DEFAULT_LABELS, 'node'),
    ];
    expect(exprs.filter((e) => !parses(e))).toEqual([]);
    expect(parses('max by (node) (x{')).toBe(false); // the check can fail
  });
});
