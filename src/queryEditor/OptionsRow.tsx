import React from 'react';
import { EditorField, EditorRow } from '@grafana/plugin-ui';
import { Input, Stack } from '@grafana/ui';

import { OptionsGroup } from '../components/OptionsGroup';
import type { CopyableQuery } from '../prometheus/copyable';
import { VARIABLE_PATTERN } from '../prometheus/escaping';
import { FIELD_LABELS, minStepOf, topNOf } from '../query/validate';
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

/**
 * Top as typed: a whole number is stored as one, anything else as the text itself, so the field keeps
 * what the user typed and says what is wrong with it (the run refuses it with the same words).
 */
function topNAsTyped(text: string): RealMemoryQuery['topN'] {
  const trimmed = text.trim();
  if (trimmed === '') {
    return undefined;
  }
  const n = Number(trimmed);
  return /^\d+$/.test(trimmed) && Number.isSafeInteger(n) ? n : text;
}

/** A dashboard variable is only known when the query runs, which names a bad value then. */
const hasVariable = (text: string | undefined) => text !== undefined && new RegExp(VARIABLE_PATTERN.source).test(text);

/** The third row: the options common to the view's kind, then the view's own, and Copy PromQL. */
export function OptionsRow({ definition, legendWarning, promql, copyable, onChange, onRunQuery, ...field }: Props) {
  const { query } = field;
  const { legend, kind, editor } = definition;
  const ranks = editor.topN ? editor.topN(query) : kind === 'containers';
  const topNError = ranks ? topNOf(query.topN, FIELD_LABELS.topN).error : undefined;
  const minStepError = hasVariable(query.minStep) ? undefined : minStepOf(query.minStep, FIELD_LABELS.minStep).error;
  const summary = [
    ...(legend ? [`Legend: ${query.legendFormat || 'auto'}`] : []),
    ...(ranks ? [`Top: ${query.topN || 'all'}`] : []),
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
          {ranks && (
            <EditorField
              label={FIELD_LABELS.topN}
              tooltip="Keep only the N groups the view ranks first over the range: most real used at its peak; Headroom, least room; Leak check, fastest growth; Nodes, least room before eviction. Empty or 0 = all."
              invalid={Boolean(topNError)}
              error={topNError}
            >
              <Input
                aria-label={FIELD_LABELS.topN}
                // Text, not type="number": a number input empties what it cannot read, so a typo would vanish unexplained.
                inputMode="numeric"
                width={10}
                placeholder="all"
                value={query.topN ?? ''}
                onChange={(e) => onChange({ ...query, topN: topNAsTyped(e.currentTarget.value) })}
                onBlur={onRunQuery}
              />
            </EditorField>
          )}
          <EditorField
            label={FIELD_LABELS.minStep}
            tooltip="Lower bound of the query step, e.g. 30s or 1m (match your scrape interval; a $variable works). Default: the panel's interval."
            invalid={Boolean(minStepError)}
            error={minStepError}
          >
            <Input
              aria-label={FIELD_LABELS.minStep}
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
