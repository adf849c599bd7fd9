import React, { useState } from 'react';
import { DataSourceApi, QueryEditorProps, SelectableValue } from '@grafana/data';
import { InlineField, InlineFieldRow, Input, RadioButtonGroup } from '@grafana/ui';

import { parseExtraSelector } from '../prometheus/extraSelector';
import { RealMemoryOptions, RealMemoryQuery, RealMemoryVariableQuery, VariableQueryType } from '../types';

// The editor reads only the query: any data source of ours will do (no import of datasource.ts, no cycle).
type Props = QueryEditorProps<DataSourceApi<RealMemoryQuery, RealMemoryOptions>, RealMemoryQuery, RealMemoryOptions, RealMemoryVariableQuery>;

const TYPES: Array<SelectableValue<VariableQueryType>> = [
  { value: 'namespaces', label: 'Namespaces' },
  { value: 'pods', label: 'Pods' },
  { value: 'containers', label: 'Containers' },
  { value: 'nodes', label: 'Nodes', description: "nodes with a root-cgroup series (the data source's node label)" },
  { value: 'labelValues', label: 'Label values' },
];

type TextKey = 'label' | 'namespace' | 'pod' | 'container' | 'selector';

/** Which filters make sense for each type: a namespace list is not narrowed by pod. */
const FILTERS: Record<VariableQueryType, Array<'namespace' | 'pod' | 'container'>> = {
  namespaces: [],
  pods: ['namespace'],
  containers: ['namespace', 'pod'],
  nodes: [],
  labelValues: ['namespace', 'pod', 'container'],
};

const FILTER_HELP = 'Empty = any. Exact value, /regex/ or $variable (e.g. $namespace).';

export function VariableQueryEditor({ query, onChange }: Props) {
  const type = query.type ?? 'namespaces';
  // Text fields are edited locally and saved on blur, so each keystroke does not re-run the variable.
  const [draft, setDraft] = useState<Partial<Record<TextKey, string>>>({});
  const text = (key: TextKey) => draft[key] ?? query[key] ?? '';
  const selectorCheck = parseExtraSelector(text('selector'));

  const save = (patch: Partial<RealMemoryVariableQuery>) =>
    onChange({ ...query, refId: query.refId ?? 'variable', ...patch });
  const commit = (key: TextKey) => {
    if (draft[key] === undefined) {
      return;
    }
    if (key === 'selector' && !selectorCheck.ok) {
      return; // keep the last valid selector; the message says what is wrong
    }
    save({ [key]: draft[key] || undefined });
    setDraft(({ [key]: _, ...rest }) => rest);
  };

  const textField = (key: TextKey, title: string, tooltip: string, placeholder: string, error?: string) => (
    <InlineField label={title} labelWidth={14} tooltip={tooltip} invalid={Boolean(error)} error={error}>
      <Input
        aria-label={title}
        width={40}
        placeholder={placeholder}
        value={text(key)}
        onChange={(e) => setDraft({ ...draft, [key]: e.currentTarget.value })}
        onBlur={() => commit(key)}
      />
    </InlineField>
  );

  return (
    <div>
      <InlineFieldRow>
        <InlineField label="Query type" labelWidth={14}>
          <RadioButtonGroup<VariableQueryType>
            aria-label="Query type"
            options={TYPES}
            value={type}
            onChange={(v) => save({ type: v })}
          />
        </InlineField>
      </InlineFieldRow>
      {type === 'labelValues' &&
        textField('label', 'Label', 'Any label of the cAdvisor memory series, e.g. node or image.', 'e.g. node')}
      {FILTERS[type].includes('namespace') && textField('namespace', 'Namespace', FILTER_HELP, 'any')}
      {FILTERS[type].includes('pod') && textField('pod', 'Pod', FILTER_HELP, 'any')}
      {FILTERS[type].includes('container') && textField('container', 'Container', FILTER_HELP, 'any')}
      {textField(
        'selector',
        'Selector',
        'Extra PromQL matchers, comma-separated; values may hold $variables.',
        'e.g. job="kubelet", node=~"$node"',
        selectorCheck.ok ? undefined : selectorCheck.error
      )}
    </div>
  );
}
