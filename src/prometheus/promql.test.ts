import fc from 'fast-check';

import { filterToMatcher, regexVariableFormatter } from './escaping';
import {
  DEFAULT_LABELS,
  buildMatchers,
  groupedExpr,
  pressureQuery,
  rangeQuery,
  selector,
  withoutImpliedExclusions,
} from './promql';

const noVars = (text: string) => text;

describe('groupedExpr', () => {
  it('de-duplicates scrapes per container, then sums at the chosen level', () => {
    const matchers = buildMatchers({
      labels: DEFAULT_LABELS,
      namespace: { op: '=', value: 'shop' },
      pod: null,
      container: null,
    });
    const sel = (m: string) => `${m}{namespace="shop", container!="", container!="POD", pod!="", image!=""}`;
    const id = 'cluster, namespace, pod, container';
    const realUsed = `(${sel('container_memory_working_set_bytes')} - ${sel('container_memory_total_active_file_bytes')} or on (${id}) ${sel('container_memory_working_set_bytes')})`;
    expect(groupedExpr('container_memory_rss', matchers, DEFAULT_LABELS, 'pod')).toBe(
      `sum by (cluster, namespace, pod) (avg by (${id}) (${sel('container_memory_rss')} and ` +
        `(${realUsed} == on (${id}) group_left max by (${id}) ${realUsed})))`
    );
  });

  it('uses relabeled label names everywhere', () => {
    const labels = { namespace: 'k8s_ns', pod: 'k8s_pod', container: 'k8s_container', cluster: 'k8s_cluster' };
    const expr = groupedExpr(
      'm',
      buildMatchers({ labels, namespace: null, pod: null, container: null }),
      labels,
      'namespace'
    );
    expect(expr).toMatch(
      /^sum by \(k8s_cluster, k8s_ns\) \(avg by \(k8s_cluster, k8s_ns, k8s_pod, k8s_container\) \(m\{k8s_container!="", k8s_container!="POD", k8s_pod!="", image!=""\} and /
    );
    expect(expr).not.toMatch(/\b(namespace|pod|container)\b[^_]/);
  });
});

describe('rangeQuery', () => {
  const matchers = buildMatchers({
    labels: DEFAULT_LABELS,
    namespace: { op: '=', value: 'shop' },
    pod: null,
    container: null,
  });
  const selector = 'container_memory_rss{namespace="shop", container!="", container!="POD"}';

  it('per container, the plain series without pod!="" and image!="": the plugin keeps only series with both', () => {
    const rss = rangeQuery('container_memory_rss', matchers, DEFAULT_LABELS, 'container', false);
    const pressure = pressureQuery(matchers, DEFAULT_LABELS, 'container', 60);
    expect(rss.expr).toBe(selector);
    expect(pressure.expr).toBe(
      `rate(${selector.replace('container_memory_rss', 'container_pressure_memory_waiting_seconds_total')}[120s])`
    );
    for (const { keep } of [rss, pressure]) {
      expect(keep?.({ namespace: 'shop', pod: 'web-1', container: 'app', image: 'web:1' })).toBe(true);
      expect(keep?.({ namespace: 'shop', pod: '', container: 'app', image: 'web:1' })).toBe(false);
      expect(keep?.({ namespace: 'shop', pod: 'web-1', container: 'app' })).toBe(false);
    }
  });

  it('checks the pod under its configured label name, and only the exclusions the selection had', () => {
    const labels = { ...DEFAULT_LABELS, pod: 'pod_name' };
    const custom = buildMatchers({ labels, namespace: null, pod: null, container: null });
    const { expr, keep } = rangeQuery('container_memory_rss', custom, labels, 'container', true);
    expect(expr).toBe('container_memory_rss{container!="", container!="POD"}');
    expect(keep?.({ pod_name: 'web-1', image: 'web:1' })).toBe(true);
    expect(keep?.({ pod: 'web-1', image: 'web:1' })).toBe(false);
    expect(rangeQuery('container_memory_rss', ['namespace="shop"'], DEFAULT_LABELS, 'container', true)).toEqual({
      expr: 'container_memory_rss{namespace="shop"}',
    });
  });

  it('above the container level, one scrape per container where some are scraped twice, else the max; every exclusion kept', () => {
    for (const groupBy of ['pod', 'namespace'] as const) {
      expect(rangeQuery('container_memory_rss', matchers, DEFAULT_LABELS, groupBy, true)).toEqual({
        expr: groupedExpr('container_memory_rss', matchers, DEFAULT_LABELS, groupBy),
      });
      expect(rangeQuery('container_memory_rss', matchers, DEFAULT_LABELS, groupBy, false).expr).toMatch(
        /^sum by \(.*\) \(max by \(cluster, namespace, pod, container\) \(container_memory_rss\{.*pod!="", image!=""\}\)\)$/
      );
    }
    expect(groupedExpr('container_memory_rss', matchers, DEFAULT_LABELS, 'pod')).toContain('pod!="", image!=""');
    expect(pressureQuery(matchers, DEFAULT_LABELS, 'pod', 60).expr).toMatch(
      /^max by \(cluster, namespace, pod\) \(rate\(.*pod!="", image!=""\}/
    );
  });
});

describe('buildMatchers', () => {
  it('adds the extra selector and ad-hoc filters, quoted', () => {
    const matchers = buildMatchers({
      labels: DEFAULT_LABELS,
      namespace: null,
      pod: { op: '=~', value: 'api-.*' },
      container: null,
      extraSelector: 'job="kubelet"',
      adHocFilters: [{ key: 'node', operator: '!=', value: 'n"1' }],
    });
    expect(matchers.slice(0, 3)).toEqual(['pod=~"api-.*"', 'node!="n\\"1"', 'job="kubelet"']);
  });

  it('refuses an ad-hoc filter key that is not a label name', () => {
    expect(() =>
      buildMatchers({
        labels: DEFAULT_LABELS,
        namespace: null,
        pod: null,
        container: null,
        adHocFilters: [{ key: 'a}b', operator: '=', value: 'x' }],
      })
    ).toThrow('not a valid Prometheus label name');
  });

  it('no value can change the structure of the selector (property)', () => {
    // A tiny PromQL matcher-list scanner: counts matchers, honouring string escapes.
    const countMatchers = (selectorBody: string) => {
      let count = 0;
      let inString = false;
      for (let i = 0; i < selectorBody.length; i++) {
        const c = selectorBody[i];
        if (inString) {
          if (c === '\\') {
            i++;
          } else if (c === '"') {
            inString = false;
            count++;
          } else if (c === '\n') {
            return -1; // raw newline inside a string: invalid PromQL
          }
        } else if (c === '"') {
          inString = true;
        } else if (c === '}' || c === '{') {
          return -1; // a brace outside a string would end the selector
        }
      }
      return inString ? -1 : count;
    };
    const hostile = fc.string({
      unit: fc.constantFrom('"', '\\', '}', ',', '\n', '|', '.*', 'é', '😀', 'a', '$', '{'),
    });
    fc.assert(
      fc.property(hostile, hostile, fc.array(hostile, { maxLength: 3 }), (ns, pod, multi) => {
        const replace = (text: string, fmt: (v: string | string[]) => string) => text.replace('$v', () => fmt(multi));
        const matchers = buildMatchers({
          labels: DEFAULT_LABELS,
          namespace: filterToMatcher(ns.trim() ? 'x' + ns : '', noVars),
          pod: filterToMatcher(pod.trim() ? pod : '', noVars),
          container: filterToMatcher('$v', replace),
        });
        const body = matchers.join(', ');
        expect(countMatchers(body)).toBe(matchers.length);
        expect(matchers.every((m) => /^[a-z_]+(=|!=|=~|!~)"/.test(m))).toBe(true);
        // and the regex built from the multi-value matches each of its values exactly
        const re = new RegExp(`^(?:${regexVariableFormatter(multi)})$`, 'u');
        multi.forEach((v) => expect(re.test(v)).toBe(true));
      })
    );
  });
});

describe('withoutImpliedExclusions', () => {
  const exclusions = ['container!=""', 'container!="POD"', 'pod!=""', 'image!=""'];

  it('leaves out label!="" beside a matcher that selects only non-empty values of that label', () => {
    expect(withoutImpliedExclusions(['pod="api-0"', ...exclusions])).toEqual([
      'pod="api-0"',
      'container!=""',
      'container!="POD"',
      'image!=""',
    ]);
    // A top N's narrowing: sets of escaped names.
    expect(withoutImpliedExclusions([...exclusions, 'pod=~"api-0|web\\\\.1"', 'container=~"app"'])).toEqual([
      'container!="POD"',
      'image!=""',
      'pod=~"api-0|web\\\\.1"',
      'container=~"app"',
    ]);
  });

  it('keeps it when the other matcher can select an empty value, negates, or cannot be read', () => {
    for (const m of [
      'pod=""',
      'pod=~"|api"',
      'pod=~".*"',
      'pod=~"(api)?"',
      'pod!="x"',
      'pod!~"x"',
      'pod=~"(?i)api"',
      'namespace="x"',
    ]) {
      expect(withoutImpliedExclusions([m, ...exclusions])).toEqual([m, ...exclusions]);
    }
  });

  it('is applied to every selector the plugin writes', () => {
    expect(selector('m', ['pod="a"', 'pod!=""', 'image!=""'])).toBe('m{pod="a", image!=""}');
  });
});
