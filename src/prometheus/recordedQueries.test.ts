import { parser } from '@prometheus-io/lezer-promql';

import { DEFAULT_LABELS, LabelNames, SelectorParts } from './promql';
import {
  RECORDED_NOTE,
  recordedExpr,
  recordedMatchers,
  recordedPresenceExpr,
  unrecordedContainersExpr,
} from './recordedQueries';
import { RECORDED } from '../recordingRules/rules';

const parts = (over: Partial<SelectorParts> = {}): SelectorParts => ({
  labels: DEFAULT_LABELS,
  namespace: null,
  pod: null,
  container: null,
  ...over,
});

/** Whether Prometheus' own grammar parses `expr` without an error node. */
function parses(expr: string): boolean {
  const cursor = parser.parse(expr).cursor();
  do {
    if (cursor.type.isError) {
      return false;
    }
  } while (cursor.next());
  return true;
}

describe('recordedMatchers', () => {
  it('keeps the filters on cluster, namespace, pod and container, without the exclusions', () => {
    expect(
      recordedMatchers(
        parts({
          cluster: { op: '=', value: 'prod' },
          namespace: { op: '!=', value: 'kube-system' },
          pod: { op: '=~', value: '(web-1|api-0)' },
          container: { op: '!~', value: 'istio-.*' },
        })
      )
    ).toEqual(['cluster="prod"', 'namespace!="kube-system"', 'pod=~"(web-1|api-0)"', 'container!~"istio-.*"']);
    expect(recordedMatchers(parts())).toEqual([]);
  });

  it('keeps ad-hoc filters and extra-selector matchers on those labels', () => {
    expect(
      recordedMatchers(
        parts({
          adHocFilters: [{ key: 'namespace', operator: '=~', value: 'shop|data' }],
          extraSelector: 'cluster="prod"',
        })
      )
    ).toEqual(['namespace=~"shop|data"', 'cluster="prod"']);
  });

  it('gives up on any other label: it exists only on cAdvisor series', () => {
    expect(
      recordedMatchers(parts({ adHocFilters: [{ key: 'image', operator: '=', value: 'nginx' }] }))
    ).toBeUndefined();
    expect(recordedMatchers(parts({ extraSelector: 'job="kubelet"' }))).toBeUndefined();
    expect(recordedMatchers(parts({ extraSelector: 'cluster="prod", job="kubelet"' }))).toBeUndefined();
  });

  it('follows relabeled label names', () => {
    const labels: LabelNames = {
      namespace: 'k8s_ns',
      pod: 'k8s_pod',
      container: 'k8s_container',
      cluster: 'k8s_cluster',
    };
    expect(
      recordedMatchers(parts({ labels, adHocFilters: [{ key: 'k8s_ns', operator: '=', value: 'shop' }] }))
    ).toEqual(['k8s_ns="shop"']);
    expect(
      recordedMatchers(parts({ labels, adHocFilters: [{ key: 'namespace', operator: '=', value: 'shop' }] }))
    ).toBeUndefined();
  });
});

describe('recordedExpr', () => {
  it('reads the container level as the plain recorded series and sums them above it', () => {
    const m = ['namespace="shop"'];
    expect(recordedExpr(RECORDED.workingSet, m, DEFAULT_LABELS, 'container')).toBe(
      'namespace_pod_container:container_memory_working_set_bytes{namespace="shop"}'
    );
    expect(recordedExpr(RECORDED.activeFile, m, DEFAULT_LABELS, 'pod')).toBe(
      'sum by (cluster, namespace, pod) (namespace_pod_container:container_memory_total_active_file_bytes{namespace="shop"})'
    );
    expect(recordedExpr(RECORDED.workingSet, [], DEFAULT_LABELS, 'namespace')).toBe(
      'sum by (cluster, namespace) (namespace_pod_container:container_memory_working_set_bytes{})'
    );
    for (const groupBy of ['container', 'pod', 'namespace'] as const) {
      expect(parses(recordedExpr(RECORDED.workingSet, m, DEFAULT_LABELS, groupBy))).toBe(true);
    }
  });
});

describe('the probe’s questions', () => {
  const raw = ['cluster="prod"', 'container!=""', 'container!="POD"', 'pod!=""', 'image!=""'];

  it('counts both recorded series at the end of the range and at its start, labelled apart', () => {
    const expr = recordedPresenceExpr(DEFAULT_LABELS, ['cluster="prod"'], 21600);
    const sel =
      '{__name__=~"namespace_pod_container:container_memory_working_set_bytes|namespace_pod_container:container_memory_total_active_file_bytes", cluster="prod", namespace!="", pod!="", container!=""}';
    expect(expr).toBe(
      `label_replace(count by (__name__) (${sel}), "at", "end", "", "") or ` +
        `label_replace(count by (__name__) (${sel} offset 21600s), "at", "start", "", "")`
    );
    expect(parses(expr)).toBe(true);
  });

  it('counts the containers of the data source’s selection the rules did not record', () => {
    const expr = unrecordedContainersExpr(DEFAULT_LABELS, raw, ['cluster="prod"']);
    expect(expr).toBe(
      'count(max by (cluster, namespace, pod, container) (container_memory_working_set_bytes{cluster="prod", container!="", container!="POD", pod!="", image!=""} offset 300s) ' +
        'unless on (cluster, namespace, pod, container) last_over_time({__name__=~"namespace_pod_container:container_memory_working_set_bytes", cluster="prod", namespace!="", pod!="", container!=""}[600s]))'
    );
    expect(parses(expr)).toBe(true);
  });

  it('requires the data source’s label names on them', () => {
    const labels = { ...DEFAULT_LABELS, namespace: 'k8s_ns' };
    expect(recordedPresenceExpr(labels, [], 60)).toContain('k8s_ns!=""');
    expect(unrecordedContainersExpr(labels, raw, [])).toContain('k8s_ns!=""');
  });
});

it('the note in the executed query is a PromQL comment', () => {
  expect(RECORDED_NOTE.startsWith('# ')).toBe(true);
  expect(RECORDED_NOTE).not.toContain('\n');
  expect(parses(`${RECORDED_NOTE}\nnamespace_pod_container:container_memory_working_set_bytes{}`)).toBe(true);
  expect(parses(`${RECORDED_NOTE.slice(2)}\nnamespace_pod_container:container_memory_working_set_bytes{}`)).toBe(false);
});
