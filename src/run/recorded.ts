import { FetchPlan } from '../memory/plan';
import { MetricKey, RawSeries } from '../memory/series';
import { RECORDED_NOTE, recordedExpr } from '../prometheus/recordedQueries';
import { RECORDED } from '../prometheus/recordedNames';
import { QueryClient, RunRequest } from './request';

/**
 * Reading the recording rules' series instead of cAdvisor's, only where the answer is the same.
 *
 * The rules record each container's working set and active file with the plugin's own selection
 * (exclusions, `max by` de-duplication), so summing them to a group and deriving real used gives
 * the plugin's figures: the same gaps, the same floors, the same groups without file-cache series.
 * They are read when:
 *  - the view's plan needs nothing else (real used vs working set with the default formula,
 *    without usage or pressure, and headroom; limits always come from their own series, see limits.ts);
 *  - the selection names only labels the recorded series keep (recordedMatchers);
 *  - the data source's probe says the rules were recording over the whole range (recordedProbe.ts);
 *  - every group has active file: a group without (cAdvisor < 0.50) is estimated from usage and
 *    cache, which the rules do not record, so the whole plan is then read from cAdvisor's series.
 * Each point is the rules' last evaluation, up to one evaluation interval behind cAdvisor's
 * samples; the executed query says so (RECORDED_NOTE).
 */

const RECORDED_METRIC: Partial<Record<MetricKey, string>> = {
  workingSet: RECORDED.workingSet,
  activeFile: RECORDED.activeFile,
};

export interface RecordedReader {
  /**
   * The plan's first round from the recorded series, narrowed like the raw queries (top N); its
   * expressions are added to `executed`. Undefined when the cAdvisor series must be read instead.
   */
  read: (narrowing: string[], executed: string[]) => Promise<Partial<Record<MetricKey, RawSeries[]>> | undefined>;
  /** Whether the recorded series cover the range (then `read` is tried first). */
  covered: Promise<boolean>;
}

/** A reader when the plan and selection allow the recorded series; the probe starts at once. */
export function recordedReader(
  client: QueryClient,
  req: RunRequest,
  plan: FetchPlan,
  keyOf: (labels: Record<string, string>) => string
): RecordedReader | undefined {
  const source = req.recorded;
  const matchers = source && source.matchers;
  if (!source || !matchers || !plan.first.includes('activeFile') || !plan.first.every((m) => RECORDED_METRIC[m])) {
    return undefined;
  }
  const covered = source.covers(req.range);
  // Promise chains rather than async, as in recordedProbe.ts (bundle size).
  const read = (narrowing: string[], executed: string[]) => {
    const exprs = plan.first.map((m) =>
      recordedExpr(RECORDED_METRIC[m]!, [...matchers, ...narrowing], req.labels, req.groupBy)
    );
    const answers = exprs.map((expr, i) =>
      client.queryRange(expr, req.range, `${req.requestId}-recorded-${plan.first[i]}`)
    );
    return Promise.all(answers).then((all) => {
      const series: Partial<Record<MetricKey, RawSeries[]>> = {};
      plan.first.forEach((m, i) => (series[m] = all[i]));
      if (!everyGroupHasActiveFile(series, plan.first[0], keyOf)) {
        return undefined;
      }
      executed.push(RECORDED_NOTE, ...exprs);
      return series;
    });
  };
  return {
    covered,
    read: (narrowing, executed) => covered.then((yes) => (yes ? read(narrowing, executed) : undefined)),
  };
}

/** Whether every plotted group (one with the plan's first metric) has an active-file series. */
function everyGroupHasActiveFile(
  series: Partial<Record<MetricKey, RawSeries[]>>,
  plotted: MetricKey,
  keyOf: (labels: Record<string, string>) => string
): boolean {
  const withActiveFile = new Set((series.activeFile || []).map((s) => keyOf(s.labels)));
  return (series[plotted] || []).every((s) => withActiveFile.has(keyOf(s.labels)));
}
