import React, { useCallback, useEffect, useRef, useState } from 'react';
import { css } from '@emotion/css';
import { GrafanaTheme2, QueryEditorProps, SelectableValue } from '@grafana/data';
import { Alert, InlineField, InlineFieldRow, InlineSwitch, Input, RadioButtonGroup, useStyles2 } from '@grafana/ui';

import { DataSource } from '../datasource';
import { FILE_CACHE_MISSING_TEXT, FileCacheStatus } from '../prometheus/fileCacheStatus';
import {
  DEFAULT_FORMULA,
  DEFAULT_GROUP_BY,
  DEFAULT_VIEW,
  Formula,
  GroupBy,
  MemoryView,
  RealMemoryOptions,
  RealMemoryQuery,
} from '../types';
import { FORMULA_HELP, FORMULA_LABEL } from '../memory/formula';
import { LabelPicker } from './LabelPicker';
import { NodeQueryFields } from './NodeQueryFields';

type Props = QueryEditorProps<DataSource, RealMemoryQuery, RealMemoryOptions>;

const VIEWS: Array<SelectableValue<MemoryView>> = [
  { value: 'realVsWorkingSet', label: 'Real used vs working set' },
  {
    value: 'breakdown',
    label: 'Breakdown',
    description: 'anon, active file, inactive file and other, stacked to usage',
  },
  { value: 'headroom', label: 'Headroom', description: 'room left under the memory limit' },
  { value: 'leakCheck', label: 'Leak check', description: 'growth of real used and of page cache over the range' },
  { value: 'nodes', label: 'Nodes', description: "the kubelet's eviction signal per node, and how much of it is page cache" },
];

const GROUP_BYS: Array<SelectableValue<GroupBy>> = [
  { value: 'container', label: 'Container' },
  { value: 'pod', label: 'Pod' },
  { value: 'namespace', label: 'Namespace' },
];

const FORMULAS: Array<SelectableValue<Formula>> = (['realUsed', 'usageMinusActiveFile'] as const).map((value) => ({
  value,
  label: FORMULA_LABEL[value],
}));

type FilterKey = 'namespace' | 'pod' | 'container';

export function QueryEditor({ datasource, query, onChange, onRunQuery, range }: Props) {
  const styles = useStyles2(getStyles);
  const view = query.view ?? DEFAULT_VIEW;
  const formula = query.formula ?? datasource.options.defaultFormula ?? DEFAULT_FORMULA;
  const { namespace, pod, container } = query;

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

  // Each picker offers the values in scope of the choices before it.
  const labels = datasource.labels;
  const loaders: Record<FilterKey, () => Promise<string[]>> = {
    namespace: useCallback(
      () => datasource.getLabelValues(labels.namespace, {}, rangeRef.current),
      [datasource, labels]
    ),
    pod: useCallback(
      () => datasource.getLabelValues(labels.pod, { namespace }, rangeRef.current),
      [datasource, labels, namespace]
    ),
    container: useCallback(
      () => datasource.getLabelValues(labels.container, { namespace, pod }, rangeRef.current),
      [datasource, labels, namespace, pod]
    ),
  };

  const [loadError, setLoadError] = useState<string | null>(null);
  const [fileCache, setFileCache] = useState<FileCacheStatus | null>(null);
  useEffect(() => {
    let current = true;
    datasource
      .getFileCacheStatus({ namespace, pod, container }, rangeRef.current)
      .then((status) => current && setFileCache(status))
      .catch(() => current && setFileCache(null)); // the panel itself reports connection errors
    return () => {
      current = false;
    };
  }, [datasource, namespace, pod, container]);

  const picker = (key: FilterKey, title: string, tooltip: string) => (
    <LabelPicker
      label={title}
      tooltip={tooltip}
      value={query[key]}
      loadValues={loaders[key]}
      onChange={(value) => update({ [key]: value })}
      onLoadError={setLoadError}
    />
  );

  const filterHelp =
    'Empty = any. A value matches exactly; /regex/ is a fully anchored RE2 regex; $variables are escaped.';

  return (
    <div>
      <InlineFieldRow>
        <InlineField label="View" labelWidth={12}>
          <RadioButtonGroup<MemoryView>
            aria-label="View"
            options={VIEWS}
            value={view}
            onChange={(v) => update({ view: v })}
          />
        </InlineField>
        <InlineField label="Group by" labelWidth={12} tooltip="Containers are summed to this level.">
          <RadioButtonGroup<GroupBy>
            aria-label="Group by"
            options={GROUP_BYS}
            value={query.groupBy ?? DEFAULT_GROUP_BY}
            onChange={(v) => update({ groupBy: v })}
          />
        </InlineField>
      </InlineFieldRow>

      {view === 'nodes' && (
        <NodeQueryFields datasource={datasource} query={query} update={update} range={range} onLoadError={setLoadError} />
      )}

      <InlineFieldRow>
        {picker('namespace', 'Namespace', filterHelp)}
        {picker('pod', 'Pod', `${filterHelp} Offers pods of the chosen namespace.`)}
        {picker('container', 'Container', `${filterHelp} Offers containers of the chosen namespace and pod.`)}
      </InlineFieldRow>

      {/* Headroom and leak check always use real used; only this view plots the chosen formula. */}
      {view === 'realVsWorkingSet' && (
        <>
          <InlineFieldRow>
            <InlineField label="Formula" labelWidth={12}>
              <RadioButtonGroup<Formula>
                aria-label="Formula"
                options={FORMULAS}
                value={formula}
                onChange={(v) => update({ formula: v })}
              />
            </InlineField>
          </InlineFieldRow>
          <div className={styles.help} data-testid="formula-help">
            {FORMULA_HELP[formula]}
          </div>
        </>
      )}

      <InlineFieldRow>
        {/* The leak check is one table with label columns: no legend. */}
        {view !== 'leakCheck' && (
          <InlineField
            label="Legend"
            labelWidth={12}
            tooltip="e.g. {{pod}}/{{container}}. Default: the group's labels joined by '/'."
          >
            <Input
              aria-label="Legend"
              width={30}
              placeholder="auto"
              value={query.legendFormat ?? ''}
              onChange={(e) => onChange({ ...query, legendFormat: e.currentTarget.value || undefined })}
              onBlur={onRunQuery}
            />
          </InlineField>
        )}
        <InlineField label="Top" labelWidth={8} tooltip="Keep only the N groups with the most real used. Empty = all.">
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
        </InlineField>
        {view === 'realVsWorkingSet' && (
          <>
            <InlineField label="Show usage" labelWidth={14} tooltip="Also plot usage (working set + inactive file).">
              <InlineSwitch
                aria-label="Show usage"
                value={Boolean(query.showUsage)}
                onChange={(e) => update({ showUsage: e.currentTarget.checked })}
              />
            </InlineField>
            <InlineField
              label="Show limits"
              labelWidth={14}
              tooltip="Memory limit and request as dashed lines; from cAdvisor or kube-state-metrics."
            >
              <InlineSwitch
                aria-label="Show limits"
                value={Boolean(query.showLimits)}
                onChange={(e) => update({ showLimits: e.currentTarget.checked })}
              />
            </InlineField>
          </>
        )}
      </InlineFieldRow>

      {loadError && <Alert severity="error" title={loadError} />}
      {fileCache === 'missing' && (
        <Alert severity="warning" title={FILE_CACHE_MISSING_TEXT}>
          This selection has no container_memory_total_active_file_bytes series (cAdvisor older than 0.50, or a scrape
          allow-list that drops them). Active and inactive file are estimated from cache and working set.
        </Alert>
      )}
      {fileCache === 'noSeries' && (
        <Alert severity="info" title="No cAdvisor memory series match this selection in the current time range." />
      )}
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  help: css({
    color: theme.colors.text.secondary,
    fontSize: theme.typography.bodySmall.fontSize,
    margin: theme.spacing(0, 0, 1, 0),
  }),
});
