import React, { RefObject, useMemo } from 'react';
import { TimeRange } from '@grafana/data';
import { EditorRow } from '@grafana/plugin-ui';
import { useStyles2 } from '@grafana/ui';

import { FilterPicker } from '../components/FilterPicker';
import { DataSource } from '../datasource';
import { FILTER_KEYS, FilterKey, RealMemoryQuery } from '../types';
import { NODE_PICKER_TOOLTIP } from '../views/nodes/NodeQueryFields';
import type { ViewDefinition } from '../views/view';
import { getStyles } from './styles';
import { useClusterPresence } from './useClusterPresence';

/** Adding a filter: one entry here and one in FILTER_KEYS (types.ts). */
const FILTERS: Record<FilterKey, { title: string; tooltip: string }> = {
  cluster: { title: 'Cluster', tooltip: 'On the cluster label of the data source settings.' },
  namespace: { title: 'Namespace', tooltip: 'Offers the namespaces of the chosen cluster.' },
  pod: { title: 'Pod', tooltip: 'Offers the pods of the chosen namespace.' },
  container: { title: 'Container', tooltip: 'Offers the containers of the chosen namespace and pod.' },
};

const FILTER_SYNTAX =
  'Several values match any of them; = keeps, != excludes. Type a /regex/ (anchored RE2) or a $variable; values are escaped.';

/** The nodes view's filters: a node has no namespace, pod or container. */
const NODE_FILTER_KEYS = ['cluster', 'node'] as const;

interface Props {
  datasource: DataSource;
  query: RealMemoryQuery;
  kind: ViewDefinition['kind'];
  /** The filters in effect, each picker offering the values in scope of those before it. */
  filters: Pick<RealMemoryQuery, FilterKey>;
  /** The range only narrows lookups: a ref, so a refresh does not reload every picker. */
  rangeRef: RefObject<TimeRange | undefined>;
  update: (patch: Partial<RealMemoryQuery>) => void;
  onLoadError: (error: string | null) => void;
}

/** The second row: what to look at, as filter pickers. */
export function SelectionRow({ datasource, query, kind, filters, rangeRef, update, onLoadError }: Props) {
  const styles = useStyles2(getStyles);
  // No series with a cluster label: no Cluster picker, unless the query filters by one (so it can be removed).
  const clusterPresence = useClusterPresence(datasource, rangeRef);
  const showCluster = clusterPresence !== 'none' || Boolean(query.cluster);
  // The nodes view filters by cluster and node; the node picker offers the nodes with a root cgroup.
  const pickers = useMemo(
    () =>
      (kind === 'containers' ? FILTER_KEYS : NODE_FILTER_KEYS)
        .filter((key) => key !== 'cluster' || showCluster)
        .map((key) => {
          if (key === 'node') {
            return {
              key,
              title: 'Node',
              tooltip: NODE_PICKER_TOOLTIP,
              scope: JSON.stringify({ rootCgroups: true }),
              loadValues: () =>
                datasource.getLabelValues(datasource.nodeLabel, { rootCgroups: true }, rangeRef.current),
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
    [kind, datasource, filters, rangeRef, showCluster]
  );

  return (
    <EditorRow>
      <div className={styles.filtersContainer}>
        <div className={styles.filters(pickers.length)}>
          {pickers.map(({ key, title, tooltip, scope, loadValues }) => (
            <FilterPicker
              key={key}
              label={title}
              tooltip={`${tooltip} ${FILTER_SYNTAX}`}
              value={query[key]}
              loadValues={loadValues}
              scope={scope}
              onChange={(value) => update({ [key]: value })}
              onLoadError={onLoadError}
            />
          ))}
        </div>
      </div>
    </EditorRow>
  );
}
