import React, { useEffect, useMemo, useRef, useState } from 'react';
import { css } from '@emotion/css';
import { DataFrame, GrafanaTheme2, QueryEditorProps, SelectableValue } from '@grafana/data';
import { EditorField, EditorRow } from '@grafana/plugin-ui';
import { Alert, ClipboardButton, Icon, Input, RadioButtonGroup, Stack, useStyles2 } from '@grafana/ui';

import { DataSource } from '../datasource';
import { SwitchField } from './SwitchField';
import { NO_LIMIT_NOTICE_PREFIX } from '../frames/headroomFrames';
import { legendProblem } from '../frames/legend';
import { FORMULA_HELP, FORMULA_LABEL } from '../memory/formula';
import { FILE_CACHE_MISSING_TEXT, FileCacheStatus } from '../prometheus/fileCacheStatus';
import { groupLabels } from '../prometheus/promql';
import { VIEW_LABEL } from '../queryModel';
import {
  DEFAULT_FORMULA,
  DEFAULT_GROUP_BY,
  DEFAULT_HEADROOM_UNIT,
  DEFAULT_NODE_VIEW,
  DEFAULT_VIEW,
  FILTER_KEYS,
  FilterKey,
  Formula,
  GroupBy,
  HeadroomUnit,
  MEMORY_VIEWS,
  MemoryView,
  NodeView,
  RealMemoryOptions,
  RealMemoryQuery,
} from '../types';
import { FilterPicker } from './FilterPicker';
import { EvictionOrderField, NODE_PICKER_TOOLTIP, NodeViewField } from './NodeQueryFields';
import { OptionsGroup } from './OptionsGroup';

type Props = QueryEditorProps<DataSource, RealMemoryQuery, RealMemoryOptions>;

/** The view's own choice, in a fixed place beside the view picker, so the rows below never move. */
type ViewChoice = 'formula' | 'headroomUnit' | 'nodeView' | { title: string; text: string };

interface ViewSpec {
  description: string;
  choice: ViewChoice;
  /** One line under the first row: how to read what the view plots. */
  help: (formula: Formula) => string;
  legend: boolean;
  /** Show usage and show limits belong to the real-used view only. */
  lines: boolean;
  /**
   * Container views: group by, the namespace/pod/container filters and top N apply. The nodes view
   * reads the nodes' root cgroups instead, filtered by cluster and node.
   */
  containers: boolean;
}

/** Adding a view: one entry here (the compiler asks for it once the view is in MEMORY_VIEWS). */
const VIEW_SPECS: Record<MemoryView, ViewSpec> = {
  realVsWorkingSet: {
    description: 'working set (dashed) beside real used: is it memory or page cache?',
    choice: 'formula',
    help: (formula) => FORMULA_HELP[formula],
    legend: true,
    lines: true,
    containers: true,
  },
  breakdown: {
    description: 'anon, other, active file and inactive file, stacked to usage',
    choice: { title: 'Stacked to usage', text: 'anon, other, active, inactive file' },
    help: () =>
      'The band edges read real used (anon + other), working set (+ active file) and usage (+ inactive file).',
    legend: true,
    lines: false,
    containers: true,
  },
  headroom: {
    description: 'room left under the memory limit',
    choice: 'headroomUnit',
    help: () =>
      'Room before an OOM kill = limit − real used; room as the kubelet sees it (dashed) = limit − working set.',
    legend: true,
    lines: false,
    containers: true,
  },
  leakCheck: {
    description: 'growth of real used and of page cache over the range, one row per group',
    choice: { title: 'Panel', text: 'Table' },
    help: () =>
      'One row per group with slopes and a verdict: show it in a Table panel (a time series panel draws nothing).',
    legend: false,
    lines: false,
    containers: true,
  },
  nodes: {
    description: "the kubelet's eviction signal per node, and how much of it is page cache",
    choice: 'nodeView',
    help: () =>
      "From each node's root cgroup, as the kubelet reads it. Memory and Breakdown suit a Time series panel; Table and the eviction order a Table panel.",
    legend: true,
    lines: false,
    containers: false,
  },
};

/** Adding a filter: one entry here and one in FILTER_KEYS (types.ts). */
const FILTERS: Record<FilterKey, { title: string; tooltip: string }> = {
  cluster: { title: 'Cluster', tooltip: 'On the cluster label of the data source settings.' },
  namespace: { title: 'Namespace', tooltip: 'Offers the namespaces of the chosen cluster.' },
  pod: { title: 'Pod', tooltip: 'Offers the pods of the chosen namespace.' },
  container: { title: 'Container', tooltip: 'Offers the containers of the chosen namespace and pod.' },
};

/** Width of the view's own choice field: the widest, the formula's two buttons. */
const CHOICE_WIDTH = 270;

/** Below this width per filter (operator and a value or two), the filters take two rows. */
const MIN_FILTER_WIDTH = 230;

const FILTER_SYNTAX =
  'Several values match any of them; = keeps, != excludes. Type a /regex/ (anchored RE2) or a $variable; values are escaped.';

const VIEWS: Array<SelectableValue<MemoryView>> = MEMORY_VIEWS.map((value) => ({
  value,
  label: VIEW_LABEL[value],
  description: VIEW_SPECS[value].description,
}));

const GROUP_BYS: Array<SelectableValue<GroupBy>> = [
  { value: 'container', label: 'Container' },
  { value: 'pod', label: 'Pod' },
  { value: 'namespace', label: 'Namespace' },
];

const FORMULAS: Array<SelectableValue<Formula>> = (['realUsed', 'usageMinusActiveFile'] as const).map((value) => ({
  value,
  label: FORMULA_LABEL[value],
}));

const HEADROOM_UNITS: Array<SelectableValue<HeadroomUnit>> = [
  { value: 'bytes', label: 'Bytes' },
  { value: 'percent', label: '% of limit' },
];

/** The PromQL the last run sent for this query, one expression per line, each once. */
export function executedPromQL(frames: DataFrame[] | undefined, refId: string): string {
  const lines = (frames ?? [])
    .filter((f) => f.refId === refId)
    .flatMap((f) => (f.meta?.executedQueryString ?? '').split('\n'))
    .filter((line) => line.trim() !== '');
  return [...new Set(lines)].join('\n');
}

/** The groups of the last run that have no memory limit, and how many groups there were. */
function noLimitGroups(frames: DataFrame[] | undefined, refId: string): { without: number; of: number } {
  const own = (frames ?? []).filter((f) => f.refId === refId);
  const without = own.filter((f) => f.meta?.notices?.some((n) => n.text.startsWith(NO_LIMIT_NOTICE_PREFIX))).length;
  return { without, of: own.length };
}

/** The nodes view's filters: a node has no namespace, pod or container. */
const NODE_FILTER_KEYS = ['cluster', 'node'] as const;

export function QueryEditor({ datasource, query, onChange, onRunQuery, range, data }: Props) {
  const styles = useStyles2(getStyles);
  const view = MEMORY_VIEWS.find((v) => v === query.view) ?? DEFAULT_VIEW;
  const spec = VIEW_SPECS[view];
  const formula = query.formula ?? datasource.options.defaultFormula ?? DEFAULT_FORMULA;
  const groupBy = query.groupBy ?? DEFAULT_GROUP_BY;

  // A choice runs the query at once, as Grafana's own editors do; typing runs it on blur.
  const update = (patch: Partial<RealMemoryQuery>) => {
    onChange({ ...query, ...patch });
    onRunQuery();
  };

  // The range only narrows lookups; keep it in a ref so a refresh does not reload every picker.
  const rangeRef = useRef(range);
  useEffect(() => {
    rangeRef.current = range;
  }, [range]);

  // Each picker offers the values in scope of the filters before it.
  const { cluster, namespace, pod, container } = query;
  const filters = useMemo(() => ({ cluster, namespace, pod, container }), [cluster, namespace, pod, container]);
  // The nodes view filters by cluster and node; the node picker offers the nodes with a root cgroup.
  const containerView = spec.containers;
  const pickers = useMemo(
    () =>
      (containerView ? FILTER_KEYS : NODE_FILTER_KEYS).map((key) => {
        if (key === 'node') {
          return {
            key,
            title: 'Node',
            tooltip: NODE_PICKER_TOOLTIP,
            scope: JSON.stringify({ rootCgroups: true }),
            loadValues: () => datasource.getLabelValues(datasource.nodeLabel, { rootCgroups: true }, rangeRef.current),
          };
        }
        const scope = Object.fromEntries(FILTER_KEYS.slice(0, FILTER_KEYS.indexOf(key)).map((k) => [k, filters[k]]));
        return {
          key,
          ...FILTERS[key],
          scope: JSON.stringify(scope),
          loadValues: () => datasource.getLabelValues(datasource.labels[key], scope, rangeRef.current),
        };
      }),
    [containerView, datasource, filters]
  );

  const [loadError, setLoadError] = useState<string | null>(null);
  const [fileCache, setFileCache] = useState<FileCacheStatus | null>(null);
  useEffect(() => {
    let current = true;
    datasource
      .getFileCacheStatus(filters, rangeRef.current)
      .then((status) => current && setFileCache(status))
      .catch(() => current && setFileCache(null)); // the panel itself reports connection and settings errors
    return () => {
      current = false;
    };
  }, [datasource, filters]);

  const legendWarning =
    spec.legend && spec.containers
      ? legendProblem(query.legendFormat, groupLabels(datasource.labels, groupBy), groupBy)
      : undefined;
  const noLimit =
    view === 'headroom' || (view === 'realVsWorkingSet' && query.showLimits)
      ? noLimitGroups(data?.series, query.refId)
      : { without: 0, of: 0 };
  const promql = executedPromQL(data?.series, query.refId);

  const summary = [
    ...(spec.legend ? [`Legend: ${query.legendFormat || 'auto'}`] : []),
    ...(spec.containers ? [`Top: ${query.topN || 'all'}`] : []),
    `Min step: ${query.minStep || 'auto'}`,
    ...(spec.lines
      ? [
          `Usage: ${query.showUsage ? 'shown' : 'off'}`,
          `Limits: ${query.showLimits ? 'shown' : 'off'}`,
          `Pressure: ${query.showPressure ? 'shown' : 'off'}`,
        ]
      : []),
    ...(view === 'nodes' ? [`Eviction order: ${query.showEvictionOrder ? 'shown' : 'off'}`] : []),
  ];

  return (
    // EditorRows' column, without its wrapping: in a wrapping column Chrome sizes each row at its
    // min-content width, so a row whose content wraps (the filters) came out several times too tall.
    <Stack direction="column" gap={0.5}>
      <EditorRow>
        <EditorField label="View">
          <RadioButtonGroup<MemoryView>
            aria-label="View"
            options={VIEWS}
            value={view}
            onChange={(v) => update({ view: v })}
          />
        </EditorField>
        {spec.containers && (
          <EditorField label="Group by" tooltip="Containers are summed to this level.">
            <RadioButtonGroup<GroupBy>
              aria-label="Group by"
              options={GROUP_BYS}
              value={groupBy}
              onChange={(v) => update({ groupBy: v })}
            />
          </EditorField>
        )}
        <div className={spec.containers ? styles.choice : undefined}>
          <ViewChoiceField
            choice={spec.choice}
            formula={formula}
            headroomUnit={query.headroomUnit ?? DEFAULT_HEADROOM_UNIT}
            nodeView={query.nodeView ?? DEFAULT_NODE_VIEW}
            evictionOrder={Boolean(query.showEvictionOrder)}
            onFormula={(v) => update({ formula: v })}
            onHeadroomUnit={(v) => update({ headroomUnit: v })}
            onNodeView={(v) => update({ nodeView: v })}
          />
        </div>
        <div
          className={styles.help}
          title={spec.help(formula)}
          data-testid={spec.choice === 'formula' ? 'formula-help' : 'view-help'}
        >
          {view === 'leakCheck' && <Icon name="table" className={styles.helpIcon} />}
          {spec.help(formula)}
        </div>
      </EditorRow>

      <EditorRow>
        <div className={styles.filtersContainer}>
          <div className={styles.filters}>
            {pickers.map(({ key, title, tooltip, scope, loadValues }) => (
              <FilterPicker
                key={key}
                label={title}
                tooltip={`${tooltip} ${FILTER_SYNTAX}`}
                value={query[key]}
                loadValues={loadValues}
                scope={scope}
                onChange={(value) => update({ [key]: value })}
                onLoadError={setLoadError}
              />
            ))}
          </div>
        </div>
      </EditorRow>

      <EditorRow>
        <Stack justifyContent="space-between" alignItems="flex-start" grow={1}>
          <OptionsGroup title="Options" summary={summary}>
            {spec.legend && (
              <EditorField
                label="Legend"
                tooltip="e.g. {{pod}}/{{container}}: labels of the chosen level. Default: the group's labels joined by '/'."
              >
                <Input
                  aria-label="Legend"
                  width={30}
                  placeholder="auto"
                  invalid={Boolean(legendWarning)}
                  value={query.legendFormat ?? ''}
                  onChange={(e) => onChange({ ...query, legendFormat: e.currentTarget.value || undefined })}
                  onBlur={onRunQuery}
                />
              </EditorField>
            )}
            {spec.containers && (
              <EditorField label="Top" tooltip="Keep only the N groups with the most real used. Empty = all.">
                <Input
                  aria-label="Top"
                  type="number"
                  min={0}
                  width={10}
                  placeholder="all"
                  value={query.topN ?? ''}
                  onChange={(e) => {
                    const n = parseInt(e.currentTarget.value, 10);
                    onChange({ ...query, topN: Number.isFinite(n) && n > 0 ? n : undefined });
                  }}
                  onBlur={onRunQuery}
                />
              </EditorField>
            )}
            <EditorField
              label="Min step"
              tooltip="Lower bound of the query step, e.g. 30s or 1m (match your scrape interval; a $variable works). Default: the panel's interval."
            >
              <Input
                aria-label="Min step"
                width={10}
                placeholder="auto"
                value={query.minStep ?? ''}
                onChange={(e) => onChange({ ...query, minStep: e.currentTarget.value.trim() || undefined })}
                onBlur={onRunQuery}
              />
            </EditorField>
            {spec.lines && (
              <>
                <SwitchField
                  label="Show usage"
                  tooltip="Also plot usage (working set + inactive file)."
                  value={Boolean(query.showUsage)}
                  onChange={(showUsage) => update({ showUsage })}
                />
                <SwitchField
                  label="Show limits"
                  tooltip="Memory limit (red) and request (orange) as dashed lines; from cAdvisor or kube-state-metrics."
                  value={Boolean(query.showLimits)}
                  onChange={(showLimits) => update({ showLimits })}
                />
                <SwitchField
                  label="Show pressure"
                  tooltip="Memory pressure (PSI: share of time tasks stalled waiting for memory) on a right axis in %. Needs cgroup v2 and cAdvisor ≥ 0.52 (kubelet ≥ 1.34); elsewhere the panel says it is unknown."
                  value={Boolean(query.showPressure)}
                  onChange={(showPressure) => update({ showPressure })}
                />
              </>
            )}
            {view === 'nodes' && (
              <EvictionOrderField
                value={Boolean(query.showEvictionOrder)}
                onChange={(showEvictionOrder) => update({ showEvictionOrder })}
              />
            )}
          </OptionsGroup>
          <ClipboardButton
            icon="copy"
            variant="secondary"
            size="sm"
            disabled={promql === ''}
            getText={() => promql}
            tooltip="The PromQL this panel's last run sent to Prometheus, with variables resolved: paste it into a Prometheus data source panel or alert rule. Real used = working set − active file."
          >
            Copy PromQL
          </ClipboardButton>
        </Stack>
      </EditorRow>

      {loadError && <Alert severity="error" title={loadError} />}
      {fileCache === 'missing' && (
        <Alert severity="warning" title={FILE_CACHE_MISSING_TEXT}>
          This selection has no container_memory_total_active_file_bytes series (cAdvisor older than 0.50, or a scrape
          allow-list that drops them). Active and inactive file are estimated from cache and working set.
        </Alert>
      )}
      {fileCache === 'noSeries' && (
        // Same severity as the panel's notice for the same fact.
        <Alert severity="warning" title="No cAdvisor memory series match this selection in the current time range." />
      )}
      {noLimit.without > 0 && (
        <Alert
          severity="warning"
          title={`No memory limit for ${noLimit.without} of ${noLimit.of} ${groupBy}s: ${
            view === 'headroom' ? 'their headroom is not defined' : 'no limit line for them'
          }.`}
        >
          Set resources.limits.memory on their containers, or keep the limit series in your scrape pipeline:
          cAdvisor&apos;s container_spec_memory_limit_bytes or kube-state-metrics&apos;
          kube_pod_container_resource_limits. The panel&apos;s notices name each one.
        </Alert>
      )}
      {legendWarning && <Alert severity="warning" title={legendWarning} />}
    </Stack>
  );
}

interface ViewChoiceProps {
  choice: ViewChoice;
  formula: Formula;
  headroomUnit: HeadroomUnit;
  nodeView: NodeView;
  /** The eviction order replaces the node frames: the node view choice is then disabled. */
  evictionOrder: boolean;
  onFormula: (f: Formula) => void;
  onHeadroomUnit: (u: HeadroomUnit) => void;
  onNodeView: (v: NodeView) => void;
}

function ViewChoiceField(props: ViewChoiceProps) {
  const { choice, formula, headroomUnit, onFormula, onHeadroomUnit } = props;
  const styles = useStyles2(getStyles);
  if (choice === 'nodeView') {
    return <NodeViewField value={props.nodeView} disabled={props.evictionOrder} onChange={props.onNodeView} />;
  }
  if (choice === 'formula') {
    return (
      <EditorField label="Formula" tooltip="Headroom and leak check always use real used.">
        <RadioButtonGroup<Formula> aria-label="Formula" options={FORMULAS} value={formula} onChange={onFormula} />
      </EditorField>
    );
  }
  if (choice === 'headroomUnit') {
    return (
      <EditorField
        label="Headroom in"
        tooltip="Bytes, or % of each group's limit (compares groups with different limits)."
      >
        <RadioButtonGroup<HeadroomUnit>
          aria-label="Headroom in"
          options={HEADROOM_UNITS}
          value={headroomUnit}
          onChange={onHeadroomUnit}
        />
      </EditorField>
    );
  }
  return (
    <EditorField label={choice.title}>
      <div className={styles.fixedChoice}>{choice.text}</div>
    </EditorField>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  // The view's own choice takes the same width in every view (the widest, the formula's), so the
  // first row wraps at the same place whichever view is chosen and the rows below never move.
  // (The nodes view has its own filters, and no group by.)
  choice: css({ flex: `0 0 ${CHOICE_WIDTH}px`, minWidth: 0, overflow: 'hidden' }),
  // One line in every view, so the rows below never move; the whole text is in its title.
  help: css({
    flexBasis: '100%',
    minWidth: 0,
    color: theme.colors.text.secondary,
    fontSize: theme.typography.bodySmall.fontSize,
    whiteSpace: 'nowrap',
    overflow: 'hidden',
    textOverflow: 'ellipsis',
  }),
  helpIcon: css({ marginRight: theme.spacing(0.5) }),
  // Sized by the row, not by its content: an intrinsic pass would stack the filters in one column.
  filtersContainer: css({ containerType: 'inline-size', width: '100%' }),
  // All filters on one row, else half of them per row, so no filter is ever left alone on a row.
  filters: css({
    display: 'grid',
    gap: theme.spacing(1, 2),
    gridTemplateColumns: `repeat(${FILTER_KEYS.length}, minmax(0, 1fr))`,
    [`@container (max-width: ${FILTER_KEYS.length * MIN_FILTER_WIDTH}px)`]: {
      gridTemplateColumns: `repeat(${Math.ceil(FILTER_KEYS.length / 2)}, minmax(0, 1fr))`,
    },
    [`@container (max-width: ${2 * MIN_FILTER_WIDTH}px)`]: { gridTemplateColumns: 'minmax(0, 1fr)' },
  }),
  fixedChoice: css({
    display: 'flex',
    alignItems: 'center',
    minHeight: theme.spacing(4),
    color: theme.colors.text.secondary,
    whiteSpace: 'nowrap',
    overflow: 'hidden',
    textOverflow: 'ellipsis',
  }),
});
