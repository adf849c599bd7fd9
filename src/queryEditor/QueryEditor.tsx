import React, { useEffect, useMemo, useRef, useState } from 'react';
import { QueryEditorProps } from '@grafana/data';
import { Stack } from '@grafana/ui';

import { DataSource } from '../datasource';
import { legendProblem } from '../frames/legend';
import { FileCacheStatus } from '../prometheus/fileCacheStatus';
import { groupLabels } from '../prometheus/promql';
import { DEFAULT_FORMULA, DEFAULT_GROUP_BY, RealMemoryOptions, RealMemoryQuery } from '../types';
import { typedQuery } from '../query/typedQuery';
import { VIEWS, viewOf } from '../views/registry';
import { EditorAlerts } from './EditorAlerts';
import { copyablePromQL, executedPromQL } from './lastRun';
import { OptionsRow } from './OptionsRow';
import { SelectionRow } from './SelectionRow';
import { ViewRow } from './ViewRow';

export { executedPromQL };

type Props = QueryEditorProps<DataSource, RealMemoryQuery, RealMemoryOptions>;

export function QueryEditor({ datasource, query: stored, onChange, onRunQuery, range, data }: Props) {
  // A stored query of the wrong types (provisioning, templating tools) is shown without those keys,
  // with why; the first change stores the typed query.
  const typed = useMemo(() => typedQuery(stored), [stored]);
  const query = typed.ok ? typed.query : typed.usable;
  const view = viewOf(query);
  const definition = VIEWS[view];
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

  const { cluster, namespace, pod, container } = query;
  const filters = useMemo(() => ({ cluster, namespace, pod, container }), [cluster, namespace, pod, container]);

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

  // Only container views have a group by to check the legend against.
  const legendWarning =
    definition.legend && definition.kind === 'containers'
      ? legendProblem(query.legendFormat, groupLabels(datasource.labels, groupBy), groupBy)
      : undefined;
  const field = { query, formula, update };

  return (
    // EditorRows' column, without its wrapping: in a wrapping column Chrome sizes each row at its
    // min-content width, so a row whose content wraps (the filters) came out several times too tall.
    <Stack direction="column" gap={0.5}>
      <ViewRow view={view} groupBy={groupBy} {...field} />
      <SelectionRow
        datasource={datasource}
        query={query}
        kind={definition.kind}
        filters={filters}
        rangeRef={rangeRef}
        update={update}
        onLoadError={setLoadError}
      />
      <OptionsRow
        definition={definition}
        legendWarning={legendWarning}
        promql={executedPromQL(data?.series, query.refId)}
        copyable={copyablePromQL(data?.series, query.refId)}
        onChange={onChange}
        onRunQuery={onRunQuery}
        {...field}
      />
      <EditorAlerts
        query={query}
        groupBy={groupBy}
        limits={definition.limits}
        frames={data?.series}
        loadError={loadError}
        typeError={typed.ok ? undefined : typed.error}
        fileCache={fileCache}
        legendWarning={legendWarning}
      />
    </Stack>
  );
}
