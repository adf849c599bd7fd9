import React from 'react';
import { SelectableValue } from '@grafana/data';
import { EditorField } from '@grafana/plugin-ui';
import { RadioButtonGroup } from '@grafana/ui';

import { SwitchField } from '../../components/SwitchField';
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
];

/** The nodes view's choice beside the view picker: what to show per node. */
export function NodeViewField({
  value,
  disabled,
  onChange,
}: {
  value: NodeView;
  disabled: boolean;
  onChange: (v: NodeView) => void;
}) {
  return (
    <EditorField
      label="Show"
      disabled={disabled}
      tooltip="Memory and Breakdown suit a Time series panel, Table a Table panel. Off while the eviction order is shown."
    >
      <RadioButtonGroup<NodeView>
        aria-label="Node view"
        options={NODE_VIEWS}
        value={value}
        disabled={disabled}
        onChange={onChange}
      />
    </EditorField>
  );
}

/** The nodes view's option: the pods in eviction order instead of the node frames. */
export function EvictionOrderField({ value, onChange }: { value: boolean; onChange: (v: boolean) => void }) {
  return (
    <SwitchField
      label="Eviction order"
      tooltip="Instead: the pods of these nodes in the order the kubelet would evict them (above request first, then by how far above), with real used beside each. For a Table panel."
      value={value}
      onChange={onChange}
    />
  );
}

/** NodeViewField as the nodes view's choice: the eviction order replaces the node frames, so it disables it. */
export function NodeViewChoice({ query, update }: ViewFieldProps) {
  return (
    <NodeViewField
      value={query.nodeView ?? DEFAULT_NODE_VIEW}
      disabled={Boolean(query.showEvictionOrder)}
      onChange={(nodeView) => update({ nodeView })}
    />
  );
}

/** The nodes view's own options. */
export function NodeOptions({ query, update }: ViewFieldProps) {
  return (
    <EvictionOrderField
      value={Boolean(query.showEvictionOrder)}
      onChange={(showEvictionOrder) => update({ showEvictionOrder })}
    />
  );
}
