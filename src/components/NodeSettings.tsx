import React, { useState } from 'react';
import { DataSourceSettings } from '@grafana/data';
import { InlineField, Input } from '@grafana/ui';

import { NodeOptionKey, nodeOptionProblem } from '../queryModel';
import { DEFAULT_EVICTION_HARD, DEFAULT_NODE_LABEL, RealMemoryOptions, RealMemorySecureData } from '../types';

type Options = DataSourceSettings<RealMemoryOptions, RealMemorySecureData>;

interface Props {
  options: Options;
  onChange: (options: Options) => void;
}

const FIELDS: Array<{ key: NodeOptionKey; title: string; placeholder: string; tooltip: string }> = [
  {
    key: 'nodeLabel',
    title: 'Node label',
    placeholder: DEFAULT_NODE_LABEL,
    tooltip:
      'The label holding the node name on cAdvisor series: node with kube-prometheus(-stack), often instance with a plain kubernetes_sd scrape of the kubelet.',
  },
  {
    key: 'evictionHard',
    title: 'Eviction hard',
    placeholder: DEFAULT_EVICTION_HARD,
    tooltip:
      "The kubelet's evictionHard for memory.available: a quantity (100Mi, 500M, 1Gi) or a percentage of capacity (5%). The eviction threshold is capacity minus this.",
  },
  {
    key: 'evictionSoft',
    title: 'Eviction soft',
    placeholder: 'none',
    tooltip: "The kubelet's evictionSoft for memory.available, if set; same syntax. Drawn as a second line.",
  },
];

/**
 * The nodes view's settings. As for the other settings, a value the kubelet would refuse (or that
 * would draw a wrong line) is not written: it stays in the field with the reason until fixed.
 */
export function NodeSettings({ options, onChange }: Props) {
  const { jsonData } = options;
  const [drafts, setDrafts] = useState<Partial<Record<NodeOptionKey, string>>>({});

  const edit = (key: NodeOptionKey, text: string) => {
    if (nodeOptionProblem(key, text)) {
      setDrafts({ ...drafts, [key]: text });
      return;
    }
    setDrafts(({ [key]: _, ...rest }) => rest);
    // Saved as typed (checks trim it), or the field would eat the space the user just typed.
    onChange({ ...options, jsonData: { ...jsonData, [key]: text.trim() ? text : undefined } });
  };

  return (
    <>
      {FIELDS.map(({ key, title, placeholder, tooltip }) => {
        const problem = drafts[key] === undefined ? undefined : nodeOptionProblem(key, drafts[key]);
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
              width={24}
              placeholder={placeholder}
              value={drafts[key] ?? jsonData[key] ?? ''}
              onChange={(e) => edit(key, e.currentTarget.value)}
            />
          </InlineField>
        );
      })}
    </>
  );
}
