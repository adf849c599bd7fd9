import React from 'react';
import { SelectableValue } from '@grafana/data';
import { EditorField, EditorRow } from '@grafana/plugin-ui';
import { Icon, RadioButtonGroup, useStyles2 } from '@grafana/ui';

import { GroupBy } from '../types';
import { MEMORY_VIEWS, MemoryView, VIEWS } from '../views/registry';
import type { ViewFieldProps } from '../views/view';
import { getStyles } from './styles';

const VIEW_OPTIONS: Array<SelectableValue<MemoryView>> = MEMORY_VIEWS.map((value) => ({
  value,
  label: VIEWS[value].label,
  description: VIEWS[value].description,
}));

const GROUP_BYS: Array<SelectableValue<GroupBy>> = [
  { value: 'container', label: 'Container' },
  { value: 'pod', label: 'Pod' },
  { value: 'namespace', label: 'Namespace' },
];

interface Props extends ViewFieldProps {
  view: MemoryView;
  groupBy: GroupBy;
}

/** The first row: the view, its grouping, its own choice, and one line on how to read it. */
export function ViewRow({ view, groupBy, query, formula, update }: Props) {
  const styles = useStyles2(getStyles);
  const { kind, editor } = VIEWS[view];
  const containers = kind === 'containers';
  const help = editor.help(formula);
  return (
    <EditorRow>
      <EditorField label="View">
        <RadioButtonGroup<MemoryView>
          aria-label="View"
          options={VIEW_OPTIONS}
          value={view}
          onChange={(v) => update({ view: v })}
        />
      </EditorField>
      {containers && (
        <EditorField label="Group by" tooltip="Containers are summed to this level.">
          <RadioButtonGroup<GroupBy>
            aria-label="Group by"
            options={GROUP_BYS}
            value={groupBy}
            onChange={(v) => update({ groupBy: v })}
          />
        </EditorField>
      )}
      <div className={containers ? styles.choice : undefined}>
        <editor.Choice query={query} formula={formula} update={update} />
      </div>
      <div className={styles.help} title={help} data-testid={editor.helpTestId ?? 'view-help'}>
        {editor.helpIcon && <Icon name={editor.helpIcon} className={styles.helpIcon} />}
        {help}
      </div>
    </EditorRow>
  );
}
