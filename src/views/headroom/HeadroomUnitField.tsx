import React from 'react';
import { SelectableValue } from '@grafana/data';
import { EditorField } from '@grafana/plugin-ui';
import { RadioButtonGroup } from '@grafana/ui';

import { DEFAULT_HEADROOM_UNIT, HeadroomUnit } from '../../types';
import type { ViewFieldProps } from '../view';

const HEADROOM_UNITS: Array<SelectableValue<HeadroomUnit>> = [
  { value: 'bytes', label: 'Bytes' },
  { value: 'percent', label: '% of limit' },
];

/** The headroom view's choice beside the view picker: bytes, or % of each group's limit. */
export function HeadroomUnitField({ query, update }: ViewFieldProps) {
  return (
    <EditorField
      label="Headroom in"
      tooltip="Bytes, or % of each group's limit (compares groups with different limits)."
    >
      <RadioButtonGroup<HeadroomUnit>
        aria-label="Headroom in"
        options={HEADROOM_UNITS}
        value={query.headroomUnit ?? DEFAULT_HEADROOM_UNIT}
        onChange={(headroomUnit) => update({ headroomUnit })}
      />
    </EditorField>
  );
}
