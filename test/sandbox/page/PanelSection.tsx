// A panel in edit mode: time range picker, the plugin's QueryEditor, the panel (Grafana's
// PanelChrome around @grafana/ui's TimeSeries, legend included), the query error and the
// frames' notices as Grafana shows them, and the inspect-data table.
import { css } from '@emotion/css';
import {
  CoreApp,
  DataFrame,
  DataQuery,
  DataSourceApi,
  FieldType,
  LoadingState,
  PanelData,
  QueryResultMetaNotice,
  TimeRange,
  dateTime,
  getFieldDisplayName,
  rangeUtil,
} from '@grafana/data';
import {
  Alert,
  LegendDisplayMode,
  PanelChrome,
  TimeRangePicker,
  TimeSeries,
  buildScaleKey,
  useTheme2,
} from '@grafana/ui';
import React, { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Subscription } from 'rxjs';

import { InspectTable } from './InspectTable';
import { prepareFrames } from './prepareFrames';
import { runQuery } from './runQuery';
import { TestTemplateSrv } from '../../support/templateSrv';

/** Max data points of the panel's query: a 1200 px panel's, whatever width it is drawn at. */
const PANEL_WIDTH = 1200;
// Across re-mounts (a save makes a new panel), so data-run only ever grows.
let runCount = 0;
const PANEL_HEIGHT = 440;

const styles = {
  section: css({ display: 'flex', flexDirection: 'column', gap: 16 }),
  toolbar: css({ display: 'flex', justifyContent: 'space-between', alignItems: 'center' }),
  noData: css({ display: 'flex', height: '100%', alignItems: 'center', justifyContent: 'center' }),
  notices: css({ margin: 0, paddingLeft: 20 }),
};

interface Props {
  datasource: DataSourceApi;
  templateSrv: TestTemplateSrv;
  initialQuery?: DataQuery;
  initialRange: TimeRange;
  onStateChange: (query: DataQuery, range: TimeRange) => void;
  /** Auto-refresh, like a dashboard's refresh picker; relative ranges move with it. */
  refreshMs?: number;
}

/** Moves the range by `move` spans and scales it by `scale` around its centre. */
function changeRange(range: TimeRange, move: number, scale = 1): TimeRange {
  const span = range.to.valueOf() - range.from.valueOf();
  const centre = range.from.valueOf() + span / 2 + span * move;
  const from = dateTime(centre - (span * scale) / 2);
  const to = dateTime(centre + (span * scale) / 2);
  return { from, to, raw: { from, to } };
}

function notices(frames: DataFrame[]): QueryResultMetaNotice[] {
  const seen = new Map<string, QueryResultMetaNotice>();
  for (const n of frames.flatMap((f) => f.meta?.notices ?? [])) {
    seen.set(`${n.severity}:${n.text}`, n);
  }
  return Array.from(seen.values());
}

/**
 * The chart's own axes and, per series, the axis key Grafana derives from its field config (unit,
 * min, max, soft min/max, placement) and its fixed colour, so a test sees which lines share an axis.
 */
function AxesProbe({ axes, frame }: { axes: string[]; frame: DataFrame }) {
  const series = frame.fields
    .filter((f) => f.type === FieldType.number)
    .map((f) => ({
      name: getFieldDisplayName(f, frame),
      axis: buildScaleKey(f.config, f.type),
      color: f.config.color?.fixedColor ?? f.config.color?.mode,
    }));
  return (
    <div hidden data-testid="chart-axes">
      {/* The time axis is keyed "x…" (e.g. "xutc"). */}
      {JSON.stringify({ axes: axes.filter((a) => !a.startsWith('x')), series })}
    </div>
  );
}

/** The chart's own stacking groups, with series named, so a reader (or test) sees what stacks. */
function StackingProbe({ groups, frame }: { groups: Array<{ series: number[]; dir: number }>; frame: DataFrame }) {
  const named = groups.map((g) => ({
    dir: g.dir,
    series: g.series.map((i) => getFieldDisplayName(frame.fields[i], frame)),
  }));
  return (
    <div hidden data-testid="chart-stacking">
      {JSON.stringify(named)}
    </div>
  );
}

export function PanelSection({ datasource, templateSrv, initialQuery, initialRange, onStateChange, refreshMs }: Props) {
  const theme = useTheme2();
  const [query, setQuery] = useState<DataQuery>(
    () => initialQuery ?? { refId: 'A', ...datasource.getDefaultQuery?.(CoreApp.PanelEditor) }
  );
  const [range, setRange] = useState(initialRange);
  const [data, setData] = useState<PanelData>({ state: LoadingState.NotStarted, series: [], timeRange: initialRange });
  const latest = useRef({ query, range });
  // Counts query runs, so a test can wait for the answer to its own change (data-run, data-state).
  const [runs, setRuns] = useState(runCount);
  const subscription = useRef<Subscription | undefined>(undefined);
  const QueryEditor = datasource.components!.QueryEditor!;

  const run = useCallback(() => {
    const { query: q } = latest.current;
    // A relative range ("now-15m") is re-evaluated on every run, as a dashboard does.
    const raw = latest.current.range.raw;
    const r = typeof raw.from === 'string' ? rangeUtil.convertRawToRange(raw, 'utc') : latest.current.range;
    latest.current.range = r;
    setRange(r);
    subscription.current?.unsubscribe();
    templateSrv.updateTimeRange(r);
    onStateChange(q, r);
    setRuns(++runCount);
    subscription.current = runQuery(datasource, q, r, PANEL_WIDTH).subscribe((d) => {
      (window as any).sandbox.panelData = d;
      setData(d);
    });
  }, [datasource, templateSrv, onStateChange]);

  useEffect(() => {
    run();
    const timer = refreshMs ? setInterval(run, refreshMs) : undefined;
    return () => {
      clearInterval(timer);
      subscription.current?.unsubscribe();
    };
  }, [run, refreshMs]);

  const onChange = (q: DataQuery) => {
    latest.current.query = q;
    setQuery(q);
  };
  const onRange = (r: TimeRange) => {
    latest.current.range = r;
    setRange(r);
    run();
  };

  // The panel fills the page width (up to PANEL_WIDTH), as a dashboard panel would at that window width.
  const [sectionWidth, setSectionWidth] = useState(PANEL_WIDTH);
  const sectionRef = useRef<HTMLElement>(null);
  useEffect(() => {
    const el = sectionRef.current;
    if (!el) {
      return;
    }
    const observer = new ResizeObserver(([entry]) => setSectionWidth(Math.floor(entry.contentRect.width)));
    observer.observe(el);
    return () => observer.disconnect();
  }, []);
  const panelWidth = Math.min(PANEL_WIDTH, sectionWidth);

  const frames = useMemo(() => prepareFrames(data.series, theme), [data.series, theme]);
  const plottable = frames.filter(
    (f) => f.fields.some((x) => x.type === FieldType.time) && f.fields.some((x) => x.type === FieldType.number)
  );
  const error = data.errors?.[0] ?? data.error;
  const frameNotices = notices(frames);

  return (
    <section className={styles.section} data-testid="panel-section" ref={sectionRef}>
      <div className={styles.toolbar}>
        <h2>Panel</h2>
        <TimeRangePicker
          value={range}
          timeZone="utc"
          onChange={onRange}
          onChangeTimeZone={() => {}}
          onMoveBackward={() => onRange(changeRange(range, -0.5))}
          onMoveForward={() => onRange(changeRange(range, 0.5))}
          onZoom={() => onRange(changeRange(range, 0, 2))}
        />
      </div>
      <div data-testid="query-editor">
        <QueryEditor
          datasource={datasource}
          query={query}
          queries={[query]}
          onChange={onChange}
          onRunQuery={run}
          data={data}
          range={range}
          app={CoreApp.PanelEditor}
        />
      </div>
      <div data-testid="panel" data-run={runs} data-state={data.state}>
        <PanelChrome
          title="Container memory"
          width={panelWidth}
          height={PANEL_HEIGHT}
          loadingState={data.state}
          statusMessage={error?.message}
        >
          {(width, height) =>
            plottable.length ? (
              <TimeSeries
                frames={plottable}
                width={width}
                height={height}
                timeRange={data.timeRange}
                timeZone="utc"
                legend={{ showLegend: true, displayMode: LegendDisplayMode.List, placement: 'bottom', calcs: [] }}
              >
                {(builder, alignedFrame) => (
                  <>
                    <StackingProbe groups={builder.getStackingGroups()} frame={alignedFrame} />
                    {/* `axes` is the builder's own map of axes by scale key (not part of its typed API). */}
                    <AxesProbe axes={Object.keys((builder as unknown as { axes: object }).axes)} frame={alignedFrame} />
                  </>
                )}
              </TimeSeries>
            ) : (
              <div className={styles.noData}>No data</div>
            )
          }
        </PanelChrome>
      </div>
      {error && (
        <Alert severity="error" title="Query error" data-testid="panel-error">
          {error.message}
        </Alert>
      )}
      {frameNotices.length > 0 && (
        <ul className={styles.notices} data-testid="panel-notices">
          {frameNotices.map((n, i) => (
            <li key={i} data-severity={n.severity}>
              {n.severity}: {n.text}
            </li>
          ))}
        </ul>
      )}
      <InspectTable frames={frames} />
    </section>
  );
}
