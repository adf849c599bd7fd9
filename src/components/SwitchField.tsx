import React from 'react';
import { EditorField, EditorSwitch } from '@grafana/plugin-ui';

interface Props {
  label: string;
  tooltip: string;
  value: boolean;
  onChange: (value: boolean) => void;
}

/** An on/off option of the query editor: its label above, named for screen readers by the same words. */
export function SwitchField({ label, tooltip, value, onChange }: Props) {
  return (
    <EditorField label={label} tooltip={tooltip}>
      <EditorSwitch aria-label={label} value={value} onChange={(e) => onChange(e.currentTarget.checked)} />
    </EditorField>
  );
}
