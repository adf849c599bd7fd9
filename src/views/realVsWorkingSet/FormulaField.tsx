import React from 'react';
import { SelectableValue } from '@grafana/data';
import { EditorField } from '@grafana/plugin-ui';
import { RadioButtonGroup } from '@grafana/ui';

import { FORMULAS, FORMULA_LABEL, Formula } from '../../memory/formula';
import type { ViewFieldProps } from '../view';

const OPTIONS: Array<SelectableValue<Formula>> = FORMULAS.map((value) => ({ value, label: FORMULA_LABEL[value] }));

/** The real-used view's choice beside the view picker: which formula it plots. */
export function FormulaField({ formula, update }: ViewFieldProps) {
  return (
    <EditorField label="Formula" tooltip="Headroom and leak check always use real used.">
      <RadioButtonGroup<Formula>
        aria-label="Formula"
        options={OPTIONS}
        value={formula}
        onChange={(v) => update({ formula: v })}
      />
    </EditorField>
  );
}
