import React, { useState } from 'react';
import { DataSourceSettings, SelectableValue } from '@grafana/data';
import { ConfigSection } from '@grafana/plugin-ui';
import { InlineField, Input, RadioButtonGroup } from '@grafana/ui';

import { parseExtraSelector } from '../prometheus/extraSelector';
import { DEFAULT_LABELS, LABEL_NAME } from '../prometheus/promql';
import { DEFAULT_FORMULA, Formula, RealMemoryOptions, RealMemorySecureData } from '../types';
import { FORMULA_HELP, FORMULA_LABEL } from '../memory/formula';
import { NodeSettings } from './NodeSettings';

type Options = DataSourceSettings<RealMemoryOptions, RealMemorySecureData>;
type TextKey = 'namespaceLabel' | 'podLabel' | 'containerLabel' | 'clusterLabel' | 'extraSelector';

interface Props {
  options: Options;
  onChange: (options: Options) => void;
}

const FORMULAS: Array<SelectableValue<Formula>> = (['realUsed', 'usageMinusActiveFile'] as const).map((value) => ({
  value,
  label: FORMULA_LABEL[value],
  description: FORMULA_HELP[value],
}));

const LABEL_FIELDS: Array<{ key: TextKey; title: string; fallback: string }> = [
  { key: 'namespaceLabel', title: 'Namespace label', fallback: DEFAULT_LABELS.namespace },
  { key: 'podLabel', title: 'Pod label', fallback: DEFAULT_LABELS.pod },
  { key: 'containerLabel', title: 'Container label', fallback: DEFAULT_LABELS.container },
  { key: 'clusterLabel', title: 'Cluster label', fallback: DEFAULT_LABELS.cluster },
];

/** Why a value may not be saved, or undefined when it may. Empty means "use the default". */
export function validateSetting(key: TextKey, text: string): string | undefined {
  if (key === 'extraSelector') {
    const parsed = parseExtraSelector(text);
    return parsed.ok ? undefined : parsed.error;
  }
  if (text !== '' && !LABEL_NAME.test(text)) {
    return `"${text}" is not a Prometheus label name: letters, digits and "_", not starting with a digit`;
  }
  return undefined;
}

/**
 * Real Memory's own settings. A label name or extra selector that Prometheus would refuse is
 * not written to the settings: it stays in the field with a message until it is fixed, so
 * "Save & test" never stores a selector that breaks every query.
 */
export function MemorySettings({ options, onChange }: Props) {
  const { jsonData } = options;
  const [drafts, setDrafts] = useState<Partial<Record<TextKey, string>>>({});
  const formula = jsonData.defaultFormula ?? DEFAULT_FORMULA;

  const edit = (key: TextKey, text: string) => {
    if (validateSetting(key, text)) {
      setDrafts({ ...drafts, [key]: text });
      return;
    }
    setDrafts(({ [key]: _, ...rest }) => rest);
    // Saved as typed (not trimmed), or the field would eat the space the user just typed.
    onChange({ ...options, jsonData: { ...jsonData, [key]: text.trim() ? text : undefined } });
  };

  const field = (key: TextKey, title: string, placeholder: string, tooltip: string, width = 24) => {
    const text = drafts[key] ?? jsonData[key] ?? '';
    const problem = drafts[key] === undefined ? undefined : validateSetting(key, drafts[key]!);
    return (
      <InlineField
        key={key}
        label={title}
        labelWidth={22}
        tooltip={tooltip}
        invalid={Boolean(problem)}
        error={problem && `Not saved: ${problem}`}
      >
        <Input
          aria-label={title}
          width={width}
          placeholder={placeholder}
          value={text}
          onChange={(e) => edit(key, e.currentTarget.value)}
        />
      </InlineField>
    );
  };

  return (
    <ConfigSection title="Real Memory" description="How memory is figured and where the cAdvisor series are found.">
      <InlineField label="Default formula" labelWidth={22} tooltip="Used by queries that do not choose one.">
        <RadioButtonGroup<Formula>
          aria-label="Default formula"
          options={FORMULAS}
          value={formula}
          onChange={(v) => onChange({ ...options, jsonData: { ...jsonData, defaultFormula: v } })}
        />
      </InlineField>
      <div style={{ marginBottom: 16 }}>{FORMULA_HELP[formula]}</div>
      {LABEL_FIELDS.map(({ key, title, fallback }) =>
        field(
          key,
          title,
          fallback,
          `The label that holds the ${fallback} in your cAdvisor series, if relabeling renamed it.`
        )
      )}
      {field(
        'extraSelector',
        'Extra selector',
        'cluster="prod", job="kubelet"',
        'Matchers added to every query, comma-separated: label, one of = != =~ !~, and a quoted value.',
        48
      )}
      {/* The nodes view: where the node name is, and the kubelet's eviction thresholds. */}
      <NodeSettings options={options} onChange={onChange} />
    </ConfigSection>
  );
}
