import React from 'react';
import { InlineField, Input, Stack } from '@grafana/ui';
import { QueryEditorProps } from '@grafana/data';
import { DataSource } from '../datasource';
import { RealMemoryOptions, RealMemoryQuery } from '../types';

type Props = QueryEditorProps<DataSource, RealMemoryQuery, RealMemoryOptions>;

// Minimal editor until the full one (pickers, formula explanations) lands.
export function QueryEditor({ query, onChange, onRunQuery }: Props) {
  const field = (key: 'namespace' | 'pod' | 'container') => (
    <InlineField label={key} labelWidth={12}>
      <Input
        aria-label={key}
        value={query[key] ?? ''}
        onChange={(e) => onChange({ ...query, [key]: e.currentTarget.value })}
        onBlur={onRunQuery}
      />
    </InlineField>
  );
  return (
    <Stack gap={0}>
      {field('namespace')}
      {field('pod')}
      {field('container')}
    </Stack>
  );
}
