import React from 'react';
import { EditorField, EditorRow } from '@grafana/plugin-ui';
import { Input, Stack } from '@grafana/ui';

import { OptionsGroup } from '../components/OptionsGroup';
import type { CopyableQuery } from '../prometheus/copyable';
import { RealMemoryQuery } from '../types';
import { CopyPromQL } from './CopyPromQL';
import type { ViewDefinition, ViewFieldProps } from '../views/view';

interface Props extends ViewFieldProps {
  definition: ViewDefinition;
  /** The legend names a label the level does not have: the field is marked invalid. */
  legendWarning: string | undefined;
  /** The PromQL of the last run, for the copy button: every query sent, and one expression per series. */
  promql: string;
  copyable: CopyableQuery[];
  /** Typing changes the query without running it; the field runs it on blur. */
  onChange: (query: RealMemoryQuery) => void;
  onRunQuery: () => void;
}

/** The third row: the options common to the view's kind, then the view's own, and Copy PromQL. */
export function OptionsRow({ definition, legendWarning, promql, copyable, onChange, onRunQuery, ...field }: Props) {
  const { query } = field;
  const { legend, kind, editor } = definition;
  const containers = kind === 'containers';
  const summary = [
    ...(legend ? [`Legend: ${query.legendFormat || 'auto'}`] : []),
    ...(containers ? [`Top: ${query.topN || 'all'}`] : []),
    `Min step: ${query.minStep || 'auto'}`,
    ...(editor.summary?.(query) ?? []),
  ];
  return (
    <EditorRow>
      <Stack justifyContent="space-between" alignItems="flex-start" grow={1}>
        <OptionsGroup title="Options" summary={summary}>
          {legend && (
            <EditorField
              label="Legend"
              tooltip="e.g. {{pod}}/{{container}}: labels of the chosen level. Default: the group's labels joined by '/'."
            >
              <Input
                aria-label="Legend"
                width={30}
                placeholder="auto"
                invalid={Boolean(legendWarning)}
                value={query.legendFormat ?? ''}
                onChange={(e) => onChange({ ...query, legendFormat: e.currentTarget.value || undefined })}
                onBlur={onRunQuery}
              />
            </EditorField>
          )}
          {containers && (
            <EditorField label="Top" tooltip="Keep only the N groups with the most real used. Empty = all.">
              <Input
                aria-label="Top"
                type="number"
                min={0}
                width={10}
                placeholder="all"
                value={query.topN ?? ''}
                onChange={(e) => {
                  const n = parseInt(e.currentTarget.value, 10);
                  onChange({ ...query, topN: Number.isFinite(n) && n > 0 ? n : undefined });
                }}
                onBlur={onRunQuery}
              />
            </EditorField>
          )}
          <EditorField
            label="Min step"
            tooltip="Lower bound of the query step, e.g. 30s or 1m (match your scrape interval; a $variable works). Default: the panel's interval."
          >
            <Input
              aria-label="Min step"
              width={10}
              placeholder="auto"
              value={query.minStep ?? ''}
              onChange={(e) => onChange({ ...query, minStep: e.currentTarget.value.trim() || undefined })}
              onBlur={onRunQuery}
            />
          </EditorField>
          {editor.Options && <editor.Options {...field} />}
        </OptionsGroup>
        <CopyPromQL queries={copyable} executed={promql} />
      </Stack>
    </EditorRow>
  );
}
