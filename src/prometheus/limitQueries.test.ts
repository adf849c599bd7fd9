import { DEFAULT_LABELS, SelectorParts } from './promql';
import { ksmMatchers, limitExprs } from './limitQueries';

const parts: SelectorParts = {
  labels: DEFAULT_LABELS,
  namespace: { op: '=', value: 'shop' },
  pod: { op: '=~', value: 'api-.*' },
  container: null,
  extraSelector: 'cluster="prod", job="kubelet"',
  adHocFilters: [{ key: 'image', operator: '=~', value: '.*nginx.*' }],
};

describe('ksmMatchers', () => {
  it('keeps the user filters and the cluster matcher, drops cAdvisor-only matchers', () => {
    const m = ksmMatchers(parts);
    expect(m).toContain('namespace="shop"');
    expect(m).toContain('pod=~"api-.*"');
    expect(m).toContain('cluster="prod"');
    expect(m).toContain('container!=""');
    expect(m.join(',')).not.toMatch(/image|job/);
  });
});

describe('limitExprs', () => {
  it('at container level sums per container, memory resource only for kube-state-metrics', () => {
    const e = limitExprs(['namespace="shop"', 'image!=""'], ['namespace="shop"'], DEFAULT_LABELS, 'container');
    expect(e.cadvisorLimit).toBe(
      'sum by (cluster, namespace, pod, container) (max by (cluster, namespace, pod, container) (container_spec_memory_limit_bytes{namespace="shop", image!=""}))'
    );
    expect(e.ksmLimit).toContain('kube_pod_container_resource_limits{namespace="shop", resource="memory"}');
    expect(e.ksmRequest).toContain('kube_pod_container_resource_requests{namespace="shop", resource="memory"}');
  });

  it('above container level guards against partially limited groups', () => {
    const e = limitExprs(['a="1"'], ['a="1"'], DEFAULT_LABELS, 'pod');
    expect(e.cadvisorLimit).toMatch(
      /unless on \(cluster, namespace, pod\) \(min by \(cluster, namespace, pod\) .* == 0\)/
    );
    expect(e.cadvisorLimit).toMatch(/ or on \(cluster, namespace, pod\) \(min by/);
    expect(e.ksmLimit).toMatch(
      /and on \(cluster, namespace, pod\) \(count by .*resource_limits.* == count by .*kube_pod_container_info\{a="1"\}/
    );
  });
});
