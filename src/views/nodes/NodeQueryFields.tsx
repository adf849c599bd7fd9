import React from 'react';
import { SelectableValue } from '@grafana/data';
import { EditorField } from '@grafana/plugin-ui';
import { RadioButtonGroup } from '@grafana/ui';

import { DEFAULT_NODE_VIEW, NodeView } from '../../types';
import type { ViewFieldProps } from '../view';

/** The node picker's own words; the query editor adds the filter syntax. */
export const NODE_PICKER_TOOLTIP = "Offers the nodes with a root-cgroup series (the data source's node label).";

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
  {
    value: 'evictionOrder',
    label: 'Eviction order',
    description:
      'the pods of these nodes in the order the kubelet would evict them (above request first, then by how far above), with real used beside each',
  },
];

/** The nodes view's choice beside the view picker: what to show per node, or the pods in eviction order. */
export function NodeViewField({ value, onChange }: { value: NodeView; onChange: (v: NodeView) => void }) {
  return (
    <EditorField
      label="Show"
      tooltip="Memory and Breakdown suit a Time series panel; Table and Eviction order a Table panel."
    >
      <RadioButtonGroup<NodeView> aria-label="Node view" options={NODE_VIEWS} value={value} onChange={onChange} />
    </EditorField>
  );
}

/**
 * NodeViewField as the nodes view's choice. Eviction order used to be a switch of its own
 * (`showEvictionOrder`, which stored dashboards still hold): it reads as the fourth choice, and
 * choosing any clears it.
 */
export function NodeViewChoice({ query, update }: ViewFieldProps) {
  return (
    <NodeViewField
      value={query.showEvictionOrder ? 'evictionOrder' : (query.nodeView ?? DEFAULT_NODE_VIEW)}
      onChange={(nodeView) => update({ nodeView, showEvictionOrder: undefined })}
    />
  );
}
