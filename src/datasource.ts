import {
  CoreApp,
  DataQueryRequest,
  DataQueryResponse,
  DataSourceApi,
  DataSourceInstanceSettings,
  ScopedVars,
  TestDataSourceResponse,
} from '@grafana/data';
import { getTemplateSrv } from '@grafana/runtime';
import { Observable, from } from 'rxjs';

import { runMemoryQuery } from './memoryQuery';
import { CancelledError, PrometheusClient } from './prometheus/client';
import { filterToMatcher, VariableReplacer } from './prometheus/escaping';
import { checkConnection } from './prometheus/health';
import { AdHocFilter, DEFAULT_LABELS, LabelNames, buildMatchers } from './prometheus/promql';
import { rangeParams } from './prometheus/step';
import { DEFAULT_FORMULA, DEFAULT_GROUP_BY, DEFAULT_VIEW, RealMemoryOptions, RealMemoryQuery } from './types';

export class DataSource extends DataSourceApi<RealMemoryQuery, RealMemoryOptions> {
  readonly client: PrometheusClient;
  readonly labels: LabelNames;
  readonly options: RealMemoryOptions;

  constructor(instanceSettings: DataSourceInstanceSettings<RealMemoryOptions>) {
    super(instanceSettings);
    this.options = instanceSettings.jsonData ?? {};
    // With a bearer token, requests go through the plugin.json route that adds the header.
    const usesBearerRoute = Boolean((instanceSettings as { secureJsonFields?: Record<string, boolean> }).secureJsonFields?.bearerToken);
    this.client = new PrometheusClient(instanceSettings.url! + (usesBearerRoute ? '/bearer' : ''));
    this.labels = {
      namespace: this.options.namespaceLabel || DEFAULT_LABELS.namespace,
      pod: this.options.podLabel || DEFAULT_LABELS.pod,
      container: this.options.containerLabel || DEFAULT_LABELS.container,
      cluster: this.options.clusterLabel || DEFAULT_LABELS.cluster,
    };
  }

  getDefaultQuery(_app: CoreApp): Partial<RealMemoryQuery> {
    return { view: DEFAULT_VIEW, groupBy: DEFAULT_GROUP_BY, formula: this.options.defaultFormula ?? DEFAULT_FORMULA };
  }

  filterQuery(query: RealMemoryQuery): boolean {
    return !query.hide;
  }

  query(request: DataQueryRequest<RealMemoryQuery>): Observable<DataQueryResponse> {
    return from(this.runTargets(request));
  }

  private async runTargets(request: DataQueryRequest<RealMemoryQuery>): Promise<DataQueryResponse> {
    const range = rangeParams(request.range.from.valueOf(), request.range.to.valueOf(), request.intervalMs, request.maxDataPoints);
    const results = await Promise.all(
      request.targets.map(async (target) => {
        try {
          const frames = await runMemoryQuery(this.client, {
            refId: target.refId,
            view: target.view ?? DEFAULT_VIEW,
            groupBy: target.groupBy ?? DEFAULT_GROUP_BY,
            formula: target.formula ?? this.options.defaultFormula ?? DEFAULT_FORMULA,
            showUsage: Boolean(target.showUsage),
            legendFormat: target.legendFormat,
            matchers: this.matchersFor(target, request.scopedVars, request.filters),
            labels: this.labels,
            range,
            topN: target.topN ?? 0,
            requestId: `${request.requestId}-${target.refId}`,
          });
          return { frames };
        } catch (err) {
          if (err instanceof CancelledError) {
            return { frames: [] };
          }
          return { frames: [], error: { refId: target.refId, message: err instanceof Error ? err.message : String(err) } };
        }
      })
    );
    const errors = results.flatMap((r) => (r.error ? [r.error] : []));
    return { data: results.flatMap((r) => r.frames), errors };
  }

  /** The target's filters as PromQL matchers, with every dashboard value escaped. */
  matchersFor(target: RealMemoryQuery, scopedVars: ScopedVars = {}, adHocFilters: AdHocFilter[] = []): string[] {
    const replace: VariableReplacer = (text, formatter) => getTemplateSrv().replace(text, scopedVars, formatter);
    return buildMatchers({
      labels: this.labels,
      namespace: filterToMatcher(target.namespace, replace),
      pod: filterToMatcher(target.pod, replace),
      container: filterToMatcher(target.container, replace),
      extraSelector: this.options.extraSelector,
      adHocFilters,
    });
  }

  async testDatasource(): Promise<TestDataSourceResponse> {
    return checkConnection(this.client, buildMatchers({ labels: this.labels, namespace: null, pod: null, container: null, extraSelector: this.options.extraSelector }));
  }
}
