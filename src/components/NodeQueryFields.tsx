import React, { useCallback, useEffect, useRef } from 'react';
import { SelectableValue, TimeRange } from '@grafana/data';
import { InlineField, InlineFieldRow, InlineSwitch, RadioButtonGroup } from '@grafana/ui';

import { DataSource } from '../datasource';
import { DEFAULT_NODE_VIEW, NodeView, RealMemoryQuery } from '../types';
import { LabelPicker } from './LabelPicker';

const NODE_VIEWS: Array<SelectableValue<NodeView>> = [
  {
    value: 'memory',
    label: 'Memory',
    description: 'per node: working set, real used, capacity, allocatable, eviction threshold',
  },
  {
    value: 'breakdown',
    label: 'Breakdown',
    description: 'per node: anon, other, active file, inactive file, free, stacked to capacity',
  },
  {
    value: 'table',
    label: 'Table',
    description: 'one row per node: room before eviction, page cache share of the signal',
  },
];

interface Props {
  datasource: DataSource;
  query: RealMemoryQuery;
  /** Changes the query and runs it. */
  update: (patch: Partial<RealMemoryQuery>) => void;
  range?: TimeRange;
  onLoadError: (message: string | null) => void;
}

/** The query editor's fields for the "Nodes" view: which nodes, what to show, or the eviction order. */
export function NodeQueryFields({ datasource, query, update, range, onLoadError }: Props) {
  // The range only narrows the lookup; a ref, so a refresh does not reload the picker.
  const rangeRef = useRef(range);
  useEffect(() => {
    rangeRef.current = range;
  }, [range]);
  const loadNodes = useCallback(
    () => datasource.getLabelValues(datasource.nodeLabel, { rootCgroups: true }, rangeRef.current),
    [datasource]
  );
  const evictionOrder = Boolean(query.showEvictionOrder);
  return (
    <InlineFieldRow>
      <LabelPicker
        label="Node"
        tooltip="Empty = all. A value matches exactly; /regex/ is a fully anchored RE2 regex; $variables are escaped. Offers nodes with a root-cgroup series."
        value={query.node}
        loadValues={loadNodes}
        onChange={(value) => update({ node: value })}
        onLoadError={onLoadError}
      />
      <InlineField
        label="Show"
        labelWidth={8}
        disabled={evictionOrder}
        tooltip="Memory and Breakdown suit a Time series panel, Table a Table panel."
      >
        <RadioButtonGroup<NodeView>
          aria-label="Node view"
          options={NODE_VIEWS}
          value={query.nodeView ?? DEFAULT_NODE_VIEW}
          disabled={evictionOrder}
          onChange={(v) => update({ nodeView: v })}
        />
      </InlineField>
      <InlineField
        label="Eviction order"
        labelWidth={16}
        tooltip="Instead: the pods of these nodes in the order the kubelet would evict them (above request first, then by how far above), with real used beside each. For a Table panel."
      >
        <InlineSwitch
          aria-label="Eviction order"
          value={evictionOrder}
          onChange={(e) => update({ showEvictionOrder: e.currentTarget.checked })}
        />
      </InlineField>
    </InlineFieldRow>
  );
}
