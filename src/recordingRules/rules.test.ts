import { DEFAULT_LABELS } from '../prometheus/promql';
import { ALERT, AlertingRule, NEAR_LIMIT_RATIO, RECORDED, RecordingRule, realMemoryRules } from './rules';

const recording = (groups = realMemoryRules()) => groups[0].rules as RecordingRule[];
const alerting = (groups = realMemoryRules()) => groups[1].rules as AlertingRule[];

describe('realMemoryRules', () => {
  it('records each figure once, at container level, with exactly the container identity', () => {
    const rules = recording();
    expect(rules.map((r) => r.record)).toEqual(Object.values(RECORDED));
    for (const r of rules) {
      expect(r.record.startsWith('namespace_pod_container:')).toBe(true);
      // Every aggregation keeps exactly cluster, namespace, pod, container; nothing is summed away.
      const bys = Array.from(r.expr.matchAll(/(?:max|sum|min|count) by \(([^)]*)\)/g)).map((m) => m[1]);
      expect(bys.length).toBeGreaterThan(0);
      expect(new Set(bys)).toEqual(new Set(['cluster, namespace, pod, container']));
      expect(r.expr).not.toMatch(/\bsum by\b/);
    }
  });

  it('uses relabeled label names everywhere, in expressions and alert templates', () => {
    const labels = { namespace: 'k8s_ns', pod: 'k8s_pod', container: 'k8s_container', cluster: 'k8s_cluster' };
    const groups = realMemoryRules({ labels });
    const text = JSON.stringify(groups);
    expect(text).toContain('by (k8s_cluster, k8s_ns, k8s_pod, k8s_container)');
    expect(text).toContain('k8s_container!=\\"POD\\"');
    expect(text).toContain('{{ $labels.k8s_pod }}');
    for (const name of Object.values(DEFAULT_LABELS)) {
      expect(text).not.toMatch(new RegExp(`[({ ,]${name}(!?=|,|\\))`));
      expect(text).not.toContain(`$labels.${name} `);
    }
  });

  it('adds the extra selector to cAdvisor selectors; kube-state-metrics keep only the cluster matcher', () => {
    const rules = recording(realMemoryRules({ extraSelector: 'cluster="prod", job="kubelet"' }));
    const limit = rules.find((r) => r.record === RECORDED.limit)!.expr;
    expect(limit).toContain(
      'container_spec_memory_limit_bytes{cluster="prod", job="kubelet", container!="", container!="POD", pod!="", image!=""}'
    );
    expect(limit).toContain(
      'kube_pod_container_resource_limits{cluster="prod", container!="", container!="POD", pod!="", resource="memory"}'
    );
    expect(limit).not.toMatch(/kube_pod_container_resource_limits\{[^}]*job=/);
  });

  it('alerts on the recorded series, with the thresholds of the named constants', () => {
    const alerts = alerting();
    expect(alerts.map((a) => a.alert)).toEqual(Object.values(ALERT));
    const near = alerts.find((a) => a.alert === ALERT.nearLimit)!;
    expect(near.expr).toBe(`${RECORDED.realUsedPerLimit} > ${NEAR_LIMIT_RATIO}`);
    expect(alerts.find((a) => a.alert === ALERT.pageCache)!.labels.severity).toBe('info');
  });

  it('links each alert to its runbook section under the given base', () => {
    const alerts = alerting(realMemoryRules({ runbookBase: 'https://wiki.example/real-memory' }));
    expect(alerts.map((a) => a.annotations.runbook_url)).toEqual([
      'https://wiki.example/real-memory#containerrealmemorynearlimit',
      'https://wiki.example/real-memory#containerrealmemorygrowing',
      'https://wiki.example/real-memory#containerworkingsetispagecache',
    ]);
  });
});
