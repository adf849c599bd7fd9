import React from 'react';
import { css } from '@emotion/css';
import { DataSourceSettings, GrafanaTheme2, SelectableValue } from '@grafana/data';
import { ConfigSection, ConfigSubSection } from '@grafana/plugin-ui';
import { InlineField, Input, RadioButtonGroup, useStyles2 } from '@grafana/ui';

import { FORMULA_HELP, FORMULA_LABEL } from '../memory/formula';
import { VALIDATED_SETTINGS, ValidatedSetting, settingProblem } from '../settings/settingProblems';
import { typedSettings } from '../settings/typedSettings';
import { DEFAULT_FORMULA, Formula, RealMemoryOptions, RealMemorySecureData } from '../types';

type Options = DataSourceSettings<RealMemoryOptions, RealMemorySecureData>;

interface Props {
  options: Options;
  onChange: (options: Options) => void;
}

/** The label width of Grafana's Connection and Advanced HTTP sections, so all labels line up. */
export const SETTINGS_LABEL_WIDTH = 24;

const FORMULAS: Array<SelectableValue<Formula>> = (['realUsed', 'usageMinusActiveFile'] as const).map((value) => ({
  value,
  label: FORMULA_LABEL[value],
  description: FORMULA_HELP[value],
}));

const TOOLTIPS: Record<ValidatedSetting, string> = {
  namespaceLabel: 'The label that holds the namespace in your cAdvisor series, if relabeling renamed it.',
  podLabel: 'The label that holds the pod in your cAdvisor series, if relabeling renamed it.',
  containerLabel: 'The label that holds the container in your cAdvisor series, if relabeling renamed it.',
  clusterLabel:
    'The label that tells clusters apart (the query editor offers a cluster filter on it), if relabeling renamed it.',
  extraSelector:
    'Matchers added to every query, comma-separated: a label, one of = != =~ !~, and a quoted value, e.g. cluster="prod", job="kubelet".',
  nodeLabel:
    'The label holding the node name on cAdvisor series, used by the Nodes view: node with kube-prometheus(-stack), often instance with a plain kubernetes_sd scrape of the kubelet.',
  evictionHard:
    "The kubelet's evictionHard for memory.available: a quantity (100Mi, 500M, 1Gi) or a percentage of capacity (5%). The eviction threshold is capacity minus this.",
  evictionSoft: "The kubelet's evictionSoft for memory.available, if set; same syntax. Drawn as a second line.",
};

type Section = 'labels' | 'nodesView';

/** Which section each setting belongs to; a new setting does not compile until it is given one. */
const SECTION_OF: Record<ValidatedSetting, Section> = {
  namespaceLabel: 'labels',
  podLabel: 'labels',
  containerLabel: 'labels',
  clusterLabel: 'labels',
  extraSelector: 'labels',
  nodeLabel: 'labels',
  evictionHard: 'nodesView',
  evictionSoft: 'nodesView',
};

const SECTIONS: Array<{ section: Section; title: string; description: string }> = [
  {
    section: 'labels',
    title: 'Labels',
    description:
      'Which labels of your cAdvisor series hold the namespace, pod, container, cluster and node (if relabeling renamed them), and matchers added to every query.',
  },
  {
    section: 'nodesView',
    title: 'Nodes view',
    description: "The kubelet's eviction thresholds, drawn as lines on each node's memory.",
  },
];

/**
 * Real Memory's own settings. What the user types is kept as typed, valid or not: an invalid label
 * name or extra selector is shown with the parser's message, and "Save & test" and every query
 * fail with that message until it is fixed (datasource.ts), so no query runs without a filter the
 * user believes is on.
 */
export function MemorySettings({ options, onChange }: Props) {
  const styles = useStyles2(getStyles);
  const { jsonData } = options;
  // Stored settings may have any type (provisioning, the API): read them through the door.
  const typed = typedSettings(jsonData);
  const formula = typed.options.defaultFormula ?? DEFAULT_FORMULA;

  // Stored as typed (not trimmed), or the field would eat the space the user just typed.
  const edit = (key: ValidatedSetting, text: string) =>
    onChange({ ...options, jsonData: { ...jsonData, [key]: text.trim() ? text : undefined } });

  const field = ({ key, title, fallback }: (typeof VALIDATED_SETTINGS)[number]) => {
    const typeProblem = typed.problems[key] && `${title} ${typed.problems[key]}`;
    const problem = typeProblem ?? settingProblem(key, typed.options[key]);
    return (
      <InlineField
        key={key}
        label={title}
        labelWidth={SETTINGS_LABEL_WIDTH}
        tooltip={TOOLTIPS[key]}
        grow
        invalid={Boolean(problem)}
        error={problem && `${problem}. Save & test and every query fail until this is fixed.`}
      >
        <Input
          aria-label={title}
          placeholder={fallback ? `default: ${fallback}` : 'none (optional)'}
          value={storedText(jsonData[key])}
          onChange={(e) => edit(key, e.currentTarget.value)}
        />
      </InlineField>
    );
  };

  return (
    <ConfigSection
      title="Real Memory"
      description="How memory is figured, where the cAdvisor series are found, and what the Nodes view draws."
      className={styles.section}
    >
      <InlineField
        label="Default formula"
        labelWidth={SETTINGS_LABEL_WIDTH}
        tooltip="Used by queries that do not choose one."
        invalid={Boolean(typed.problems.defaultFormula)}
        error={typed.problems.defaultFormula && `Stored value ${typed.problems.defaultFormula}: choose one.`}
      >
        <RadioButtonGroup<Formula>
          aria-label="Default formula"
          options={FORMULAS}
          value={formula}
          onChange={(v) => onChange({ ...options, jsonData: { ...jsonData, defaultFormula: v } })}
        />
      </InlineField>
      <div className={styles.help}>{FORMULA_HELP[formula]}</div>
      {SECTIONS.map(({ section, title, description }) => (
        // A named group, so a section's settings can be found by its title (and by screen readers).
        <div key={section} role="group" aria-label={title} className={styles.subSection}>
          <ConfigSubSection title={title} description={description}>
            {VALIDATED_SETTINGS.filter(({ key }) => SECTION_OF[key] === section).map(field)}
          </ConfigSubSection>
        </div>
      ))}
    </ConfigSection>
  );
}

/** A stored value as the field shows it: a number from provisioning as its digits, a list or object as JSON. */
function storedText(value: unknown): string {
  if (value === undefined || value === null) {
    return '';
  }
  return typeof value === 'string' ? value : typeof value === 'object' ? JSON.stringify(value) : String(value);
}

const getStyles = (theme: GrafanaTheme2) => ({
  // The width of Grafana's Connection section.
  section: css({ maxWidth: 578 }),
  subSection: css({ marginTop: theme.spacing(3) }),
  help: css({
    color: theme.colors.text.secondary,
    fontSize: theme.typography.bodySmall.fontSize,
    margin: theme.spacing(0, 0, 2, SETTINGS_LABEL_WIDTH + 0.5),
  }),
});
