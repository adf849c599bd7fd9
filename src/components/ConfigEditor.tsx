import React from 'react';
import { DataSourcePluginOptionsEditorProps } from '@grafana/data';
import { InlineField, Input } from '@grafana/ui';
import { RealMemoryOptions, RealMemorySecureData } from '../types';

type Props = DataSourcePluginOptionsEditorProps<RealMemoryOptions, RealMemorySecureData>;

// Minimal editor until the full one (auth, label names, extra selector) lands.
export function ConfigEditor({ options, onOptionsChange }: Props) {
  return (
    <InlineField label="Prometheus URL" labelWidth={20}>
      <Input
        aria-label="Prometheus URL"
        value={options.url}
        onChange={(e) => onOptionsChange({ ...options, url: e.currentTarget.value, jsonData: { ...options.jsonData, bearerUrl: e.currentTarget.value } })}
      />
    </InlineField>
  );
}
