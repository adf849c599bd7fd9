import {
  CoreApp,
  DataQueryRequest,
  DataQueryResponse,
  DataSourceApi,
  DataSourceGetTagKeysOptions,
  DataSourceGetTagValuesOptions,
  DataSourceInstanceSettings,
  MetricFindValue,
  ScopedVars,
  TestDataSourceResponse,
  TimeRange,
} from '@grafana/data';
import { getTemplateSrv } from '@grafana/runtime';
import { Observable } from 'rxjs';

import { isEventsQuery, memoryAnnotationSupport } from './annotations';
import { interpolateQuery } from './interpolation';
import { CancelledError, PrometheusClient } from './prometheus/client';
import { filterToMatcher, VariableReplacer } from './prometheus/escaping';
import { FileCacheStatus, fileCacheStatus } from './prometheus/fileCacheStatus';
import { parseExtraSelector, formatMatchers } from './prometheus/extraSelector';
import { checkConnection } from './prometheus/health';
import { ksmMatchers } from './prometheus/limitQueries';
import { CADVISOR_METRIC } from './prometheus/metrics';
import { nodeMatchers, rootCgroupSelector } from './prometheus/nodeQueries';
import { AdHocFilter, DEFAULT_LABELS, LabelNames, SelectorParts, buildMatchers, selector } from './prometheus/promql';
import { recordedMatchers } from './prometheus/recordedQueries';
import { regexFilterError } from './prometheus/regexError';
import { interpolateSelector } from './prometheus/selectorVariables';
import { pointsLimitOf, stepWithin } from './prometheus/pointsLimit';
import { RangeParams, rangeParams } from './prometheus/step';
import { checkSettings, invalidSettingsMessage } from './settings/settingProblems';
import { defaultQuery } from './query/defaults';
import { queryDisplayText } from './query/displayText';
import { typedQuery } from './query/typedQuery';
import { NodeSettings, validateNodeOptions, validateQuery } from './query/validate';
import { LabelScope, rangeSeconds } from './run/lookups';
import { NodeRequest, RunRequest } from './run/request';
import { RecordedSeriesProbe, recordedSeriesCover, recordedSeriesProbe } from './run/recordedProbe';
import { runEvents } from './run/events';
import { pointsLimitNotice, withNotice } from './run/notices';
import { VIEWS } from './views/registry';
import { colourGroups } from './frames/shades';
import { runClient } from './run/runClient';
import { RangeCache } from './refreshCache/incremental';
import { SharedRangeQueries } from './refreshCache/sharedQueries';
import { DEFAULT_NODE_LABEL, FILTER_KEYS, RealMemoryOptions, RealMemoryQuery } from './types';
import { RealMemoryVariableSupport } from './variables';

/**
 * The relative range of an incremental refresh ("now-6h"), or undefined when the range is not
 * relative and ending now (absolute ranges are never cached: nothing new arrives in them).
 */
function incrementalScope(request: DataQueryRequest<RealMemoryQuery>): string | undefined {
  const { from, to } = request.range.raw;
  return to === 'now' && typeof from === 'string' && from.startsWith('now') ? from : undefined;
}

export class DataSource extends DataSourceApi<RealMemoryQuery, RealMemoryOptions> {
  readonly client: PrometheusClient;
  readonly labels: LabelNames;
  /** The label holding the node name on cAdvisor's series (checked when used, see nodeSettings). */
  readonly nodeLabel: string;
  readonly options: RealMemoryOptions;
  /** Range queries in flight or just answered, shared by the panels of a refresh. */
  readonly shared: SharedRangeQueries;
  /** What earlier refreshes fetched, per panel target on a relative range (incremental refresh). */
  readonly rangeCache = new RangeCache();
  /** Whether Real Memory's recording rules cover a range, asked once and remembered (run/recordedProbe.ts). */
  readonly recordedSeries: RecordedSeriesProbe;
  /** Settings that are not valid PromQL parts; while any remain, every query fails with them. */
  private readonly invalidSettings: string[];

  constructor(instanceSettings: DataSourceInstanceSettings<RealMemoryOptions>) {
    super(instanceSettings);
    // Typed at the door: nothing below parses a setting of the wrong type (settings/typedSettings.ts).
    const settings = checkSettings(instanceSettings.jsonData);
    this.options = settings.options;
    this.invalidSettings = settings.problems;
    // With a bearer token, requests go through the plugin.json route that adds the header.
    // Grafana does not send secureJsonFields to the browser, so the config editor sets a flag.
    this.client = new PrometheusClient(instanceSettings.url! + (this.options.bearerAuth ? '/bearer' : ''));
    this.labels = {
      namespace: this.options.namespaceLabel || DEFAULT_LABELS.namespace,
      pod: this.options.podLabel || DEFAULT_LABELS.pod,
      container: this.options.containerLabel || DEFAULT_LABELS.container,
      cluster: this.options.clusterLabel || DEFAULT_LABELS.cluster,
    };
    this.shared = new SharedRangeQueries((expr, range, requestId, signal) =>
      this.client.withSignal(signal).queryRange(expr, range, requestId)
    );
    // Asked about the data source's whole selection (its extra selector), not one query's filters.
    this.recordedSeries = recordedSeriesProbe((span) => {
      const parts = this.selectorParts({ refId: 'recorded' });
      const selection = {
        labels: this.labels,
        rawMatchers: buildMatchers(parts),
        recordedMatchers: recordedMatchers(parts) ?? [],
      };
      return recordedSeriesCover(this.client, selection, span);
    });
    this.nodeLabel = this.options.nodeLabel?.trim() || DEFAULT_NODE_LABEL;
    this.variables = new RealMemoryVariableSupport(this);
    this.annotations = memoryAnnotationSupport();
  }

  getDefaultQuery(app: CoreApp): Partial<RealMemoryQuery> {
    return defaultQuery(app, this.options.defaultFormula);
  }

  filterQuery(query: RealMemoryQuery): boolean {
    return !query.hide;
  }

  /** One line per query in Explore's query history. */
  getQueryDisplayText(query: RealMemoryQuery): string {
    const typed = typedQuery(query);
    return typed.ok ? queryDisplayText(typed.query, this.options.defaultFormula) : typed.error;
  }

  query(request: DataQueryRequest<RealMemoryQuery>): Observable<DataQueryResponse> {
    // Grafana supersedes a run (refresh, new time range) by unsubscribing: abort its requests then.
    return new Observable<DataQueryResponse>((subscriber) => {
      const abort = new AbortController();
      this.runTargets(request, abort.signal).then(
        (response) => {
          subscriber.next(response);
          subscriber.complete();
        },
        (err) => subscriber.error(err)
      );
      return () => abort.abort();
    });
  }

  private async runTargets(
    request: DataQueryRequest<RealMemoryQuery>,
    signal: AbortSignal
  ): Promise<DataQueryResponse> {
    const client = this.client.withSignal(signal);
    const results = await Promise.all(
      request.targets.map(async (stored) => {
        try {
          // Typed before anything interpolates or parses it (query/typedQuery.ts).
          const typed = typedQuery(stored);
          if (!typed.ok) {
            throw new Error(typed.error);
          }
          const target = typed.query;
          // The min step may be a dashboard variable: resolved before it is checked.
          const minStep = target.minStep && getTemplateSrv().replace(target.minStep, request.scopedVars);
          const checked = validateQuery({ ...target, minStep }, this.options.defaultFormula);
          if (!checked.ok) {
            throw new Error(checked.error);
          }
          const { from, to } = request.range;
          const rangeSeconds = (to.valueOf() - from.valueOf()) / 1000;
          if (checked.query.minStepSeconds > rangeSeconds) {
            throw new Error(
              `Min step ${minStep} is longer than the panel's time range (${Math.round(rangeSeconds)}s): ` +
                'the panel would get one point at most. Choose a step shorter than the range.'
            );
          }
          const rangeWith = (minStepSeconds: number) =>
            rangeParams(from.valueOf(), to.valueOf(), request.intervalMs, request.maxDataPoints, minStepSeconds);
          const range = rangeWith(checked.query.minStepSeconds);
          // Interpolated and validated once; the kube-state-metrics matchers derive from the same parts.
          const parts = this.selectorParts(target, request.scopedVars, request.filters);
          const scope =
            checked.query.incremental && this.options.incrementalRefresh !== false
              ? incrementalScope(request)
              : undefined;
          const run: RunRequest = {
            ...checked.query,
            refId: target.refId,
            matchers: buildMatchers(parts),
            ksmMatchers: ksmMatchers(parts),
            labels: this.labels,
            range,
            rankAtMarks: scope !== undefined,
            requestId: `${request.requestId}-${target.refId}`,
            nodes: checked.query.nodes && this.nodeRequest(target, checked.query.nodes, parts, request.scopedVars),
            recorded: { matchers: recordedMatchers(parts), covers: (span) => this.recordedSeries.covers(span) },
          };
          const runner = isEventsQuery(target) ? runEvents : VIEWS[run.view].run;
          const asker = [request.dashboardUID ?? request.app, request.panelId ?? '', target.refId].join('/');
          const incremental = scope ? { cache: this.rangeCache, scope: `${asker}/${scope}` } : undefined;
          const runWith = (r: RangeParams) =>
            runner(runClient(client, this.shared, signal, asker, incremental), { ...run, range: r });
          try {
            return { frames: await runWith(range) };
          } catch (err) {
            // An engine with fewer points per series than the step chooser assumes: fit, and say so.
            const limit = pointsLimitOf(err instanceof Error ? err.message : '');
            if (!limit) {
              throw err;
            }
            const fitted = rangeWith(Math.max(checked.query.minStepSeconds, stepWithin(limit, rangeSeconds)));
            const notice = pointsLimitNotice(limit, fitted.step);
            return { frames: (await runWith(fitted)).map((f) => withNotice(f, notice)) };
          }
        } catch (err) {
          if (err instanceof CancelledError) {
            return { frames: [] };
          }
          const message = err instanceof Error ? err.message : String(err);
          return {
            frames: [],
            error: { refId: stored.refId, message: this.regexError(message, stored, request.scopedVars) ?? message },
          };
        }
      })
    );
    const errors = results.flatMap((r) => (r.error ? [r.error] : []));
    return { data: colourGroups(results.flatMap((r) => r.frames)), errors };
  }

  /** The target's filters as PromQL matchers, with every dashboard value escaped. */
  matchersFor(target: RealMemoryQuery, scopedVars: ScopedVars = {}, adHocFilters: AdHocFilter[] = []): string[] {
    return buildMatchers(this.selectorParts(target, scopedVars, adHocFilters));
  }

  private selectorParts(
    target: RealMemoryQuery,
    scopedVars: ScopedVars = {},
    adHocFilters: AdHocFilter[] = []
  ): SelectorParts {
    this.assertValidSettings();
    const replace = this.replacer(scopedVars);
    return {
      labels: this.labels,
      cluster: filterToMatcher(target.cluster, replace),
      namespace: filterToMatcher(target.namespace, replace),
      pod: filterToMatcher(target.pod, replace),
      container: filterToMatcher(target.container, replace),
      extraSelector: this.extraSelector(),
      adHocFilters,
    };
  }

  /** A regex Prometheus refused, said as the filter the user typed (prometheus/regexError.ts). */
  private regexError(message: string, stored: RealMemoryQuery, scopedVars: ScopedVars): string | undefined {
    const typed = typedQuery(stored);
    const query = typed.ok ? typed.query : typed.usable;
    const replace = this.replacer(scopedVars);
    const filters = ([...FILTER_KEYS, 'node'] as const).map((key) => ({
      key,
      typed: query[key] ?? '',
      matcher: filterToMatcher(query[key], replace),
    }));
    return regexFilterError(message, filters);
  }

  /** The data source's node options, or an error naming the bad field (queries and "Save & test"). */
  nodeSettings(): NodeSettings {
    const checked = validateNodeOptions(this.options);
    if (!checked.ok) {
      throw new Error(checked.error);
    }
    return checked.settings;
  }

  /** What the nodes view needs: its choices, the node options, the node filter's matchers (escaped). */
  private nodeRequest(
    target: RealMemoryQuery,
    choice: Pick<NodeRequest, 'nodeView' | 'showEvictionOrder'>,
    parts: SelectorParts,
    scopedVars: ScopedVars = {}
  ): NodeRequest {
    const settings = this.nodeSettings();
    return {
      ...choice,
      nodeLabel: settings.nodeLabel,
      thresholds: { hard: settings.evictionHard, soft: settings.evictionSoft },
      matchers: nodeMatchers({
        labels: this.labels,
        nodeLabel: settings.nodeLabel,
        node: filterToMatcher(target.node, this.replacer(scopedVars)),
        cluster: parts.cluster,
        extraSelector: parts.extraSelector,
        adHocFilters: parts.adHocFilters,
      }),
    };
  }

  private replacer(scopedVars: ScopedVars = {}): VariableReplacer {
    return (text, formatter) => getTemplateSrv().replace(text, scopedVars, formatter);
  }

  /**
   * Selector of the working-set series in a scope: editors, variables and ad-hoc filters list only
   * real containers, or, for node lookups, the nodes' root cgroups.
   */
  private scopeSelector(scope: LabelScope, scopedVars?: ScopedVars, adHocFilters?: AdHocFilter[]): string {
    if (scope.rootCgroups) {
      this.nodeSettings(); // a bad nodeLabel is named, not sent to Prometheus
      const extra = this.extraSelector();
      const machine = [...(extra ? [extra] : []), ...interpolateSelector(scope.selector, this.replacer(scopedVars))];
      return rootCgroupSelector(CADVISOR_METRIC.workingSet, machine);
    }
    return selector(CADVISOR_METRIC.workingSet, this.scopeMatchers(scope, scopedVars, adHocFilters));
  }

  private scopeMatchers(scope: LabelScope, scopedVars?: ScopedVars, adHocFilters?: AdHocFilter[]): string[] {
    const matchers = this.matchersFor({ refId: 'scope', ...scope }, scopedVars, adHocFilters);
    return [...matchers, ...interpolateSelector(scope.selector, this.replacer(scopedVars))];
  }

  /** Values of `label` among the cAdvisor memory series in scope (editor pickers, query variables). */
  async getLabelValues(
    label: string,
    scope: LabelScope,
    range?: TimeRange,
    scopedVars?: ScopedVars
  ): Promise<string[]> {
    return this.client.labelValues(label, [this.scopeSelector(scope, scopedVars)], rangeSeconds(range));
  }

  /** Whether the selection has cAdvisor's file-cache series (the query editor warns when not). */
  async getFileCacheStatus(scope: LabelScope, range?: TimeRange): Promise<FileCacheStatus> {
    return fileCacheStatus(this.client, this.scopeMatchers(scope), rangeSeconds(range));
  }

  async getTagKeys(options?: DataSourceGetTagKeysOptions<RealMemoryQuery>): Promise<MetricFindValue[]> {
    const names = await this.client.labelNames([this.scopeSelector({}, {}, options?.filters)]);
    return names.filter((name) => name !== '__name__').map((text) => ({ text }));
  }

  async getTagValues(options: DataSourceGetTagValuesOptions<RealMemoryQuery>): Promise<MetricFindValue[]> {
    const values = await this.client.labelValues(
      options.key,
      [this.scopeSelector({}, {}, options.filters)],
      rangeSeconds(options.timeRange)
    );
    return values.map((text) => ({ text }));
  }

  /** Resolves dashboard variables when a panel is opened in Explore, so its values carry over. */
  interpolateVariablesInQueries(queries: RealMemoryQuery[], scopedVars: ScopedVars): RealMemoryQuery[] {
    // A query of the wrong types goes as it is: the run then names the key.
    return queries.map((query) => {
      const typed = typedQuery(query);
      return typed.ok ? interpolateQuery(typed.query, this.replacer(scopedVars)) : query;
    });
  }

  /** An invalid label name or extra selector fails every query, lookup and test with the parser's message. */
  private assertValidSettings() {
    if (this.invalidSettings.length > 0) {
      throw new Error(invalidSettingsMessage(this.invalidSettings));
    }
  }

  /** The settings' extra selector, formatted (validated with the other settings in assertValidSettings). */
  private extraSelector(): string {
    const parsed = parseExtraSelector(this.options.extraSelector ?? '');
    return parsed.ok ? formatMatchers(parsed.matchers) : '';
  }

  async testDatasource(): Promise<TestDataSourceResponse> {
    if (this.invalidSettings.length > 0) {
      return {
        status: 'error',
        message: invalidSettingsMessage(this.invalidSettings),
        details: { message: 'Every query of this data source fails with this message until the setting is fixed.' },
      };
    }
    let matchers: string[];
    let nodes: NodeSettings;
    try {
      matchers = this.matchersFor({ refId: 'test' });
      nodes = this.nodeSettings();
    } catch (err) {
      return { status: 'error', message: err instanceof Error ? err.message : String(err) };
    }
    const extra = this.extraSelector();
    return checkConnection(
      this.client,
      { matchers, labels: this.labels },
      { nodeLabel: nodes.nodeLabel, machine: extra ? [extra] : [] }
    );
  }
}
