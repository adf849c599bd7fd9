// One panel query the way Grafana's query runner sends it: interval from the range and max
// data points, a fresh requestId, variables in scopedVars; Promise or Observable results,
// packets merged by key, failures turned into DataQueryErrors.
import {
  CoreApp,
  DataFrame,
  DataQuery,
  DataQueryRequest,
  DataQueryResponse,
  DataSourceApi,
  LoadingState,
  PanelData,
  TimeRange,
  rangeUtil,
} from '@grafana/data';
import { toDataQueryError } from '@grafana/runtime';
import { Observable, catchError, from, map, of, startWith } from 'rxjs';

let counter = 100;

export function runQuery(
  ds: DataSourceApi,
  query: DataQuery,
  range: TimeRange,
  maxDataPoints: number
): Observable<PanelData> {
  const { interval, intervalMs } = rangeUtil.calculateInterval(range, maxDataPoints, ds.interval);
  const request: DataQueryRequest = {
    app: CoreApp.PanelEditor,
    requestId: `Q${counter++}`,
    timezone: 'utc',
    range,
    interval,
    intervalMs,
    maxDataPoints,
    targets: [query],
    scopedVars: {
      __interval: { text: interval, value: interval },
      __interval_ms: { text: String(intervalMs), value: intervalMs },
    },
    startTime: Date.now(),
  };
  const packets = new Map<string, DataFrame[]>();
  const loading: PanelData = { state: LoadingState.Loading, series: [], timeRange: range, request };
  return from(ds.query(request) as Observable<DataQueryResponse> | Promise<DataQueryResponse>).pipe(
    map((response): PanelData => {
      packets.set(response.key ?? 'A', response.data ?? []);
      const errors = response.errors ?? (response.error ? [response.error] : undefined);
      return {
        state: errors?.length ? LoadingState.Error : (response.state ?? LoadingState.Done),
        series: Array.from(packets.values()).flat(),
        errors,
        error: errors?.[0],
        timeRange: range,
        request,
      };
    }),
    catchError((err) => {
      const error = toDataQueryError(err);
      return of({ state: LoadingState.Error, series: [], error, errors: [error], timeRange: range, request });
    }),
    startWith(loading)
  );
}
