import React from 'react';
import { css } from '@emotion/css';
import { GrafanaTheme2, QueryEditorHelpProps } from '@grafana/data';
import { Button, useStyles2 } from '@grafana/ui';

import { queryDisplayText } from '../query/displayText';
import { RealMemoryQuery } from '../types';

interface Example {
  title: string;
  why: string;
  query: Omit<RealMemoryQuery, 'refId'>;
}

/** Questions users bring, each answered by one query. */
export const EXAMPLES: Example[] = [
  {
    title: 'Is it a leak or page cache?',
    why: 'Working set climbs while real used stays flat: page cache the kernel will reclaim.',
    query: { view: 'realVsWorkingSet', namespace: '$namespace', pod: '$pod' },
  },
  {
    title: 'What is the memory made of?',
    why: 'anon and other (real used) at the bottom, then active and inactive file cache up to usage.',
    query: { view: 'breakdown', namespace: '$namespace', pod: '$pod' },
  },
  {
    title: 'Which containers use the most real memory, outside the system namespaces?',
    why: 'Top 10 by real used; a leading ! excludes, several values are one filter.',
    query: { view: 'realVsWorkingSet', namespace: '!/kube-system|monitoring/', topN: 10 },
  },
  {
    title: 'How close to an OOM kill is each pod?',
    why: 'Room before an OOM kill (limit − real used) beside the room the kubelet sees, in % of the limit.',
    query: { view: 'headroom', groupBy: 'pod', headroomUnit: 'percent', namespace: '$namespace' },
  },
  {
    title: 'Which containers grow? (a Table panel)',
    why: 'Slopes of real used and page cache over the range, with a verdict per container.',
    query: { view: 'leakCheck', namespace: '$namespace', minStep: '1m' },
  },
];

const SYNTAX: Array<[string, string]> = [
  ['shop', 'exactly "shop"'],
  ['/web-.*/', 'an RE2 regex, anchored as in PromQL'],
  ['$namespace', 'a dashboard variable; multi-value and All work'],
  ['!kube-system', 'everything but "kube-system" (also !/regex/, !$variable)'],
  ['{{pod}}/{{container}}', 'a legend from the labels of the chosen level'],
];

/** Explore's query help (the "?" button): examples to start from and the filter syntax. */
export function QueryEditorHelp({ query, onClickExample }: QueryEditorHelpProps<RealMemoryQuery>) {
  const styles = useStyles2(getStyles);
  return (
    <div className={styles.help}>
      <h3>Real Memory queries</h3>
      {EXAMPLES.map((example) => (
        <div key={example.title} className={styles.example}>
          <h5>{example.title}</h5>
          <p className={styles.why}>{example.why}</p>
          <code>{queryDisplayText({ refId: query.refId, ...example.query })}</code>
          <Button
            size="sm"
            variant="secondary"
            onClick={() => onClickExample({ ...query, ...example.query })}
            aria-label={`Use example: ${example.title}`}
          >
            Use this query
          </Button>
        </div>
      ))}
      <h4>Filter syntax</h4>
      <table className={styles.syntax}>
        <tbody>
          {SYNTAX.map(([text, meaning]) => (
            <tr key={text}>
              <td>
                <code>{text}</code>
              </td>
              <td>{meaning}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  help: css({ display: 'flex', flexDirection: 'column', gap: theme.spacing(1) }),
  example: css({
    display: 'flex',
    flexDirection: 'column',
    alignItems: 'flex-start',
    gap: theme.spacing(0.5),
    paddingBottom: theme.spacing(1),
    borderBottom: `1px solid ${theme.colors.border.weak}`,
  }),
  why: css({ color: theme.colors.text.secondary, margin: 0 }),
  syntax: css({ td: { padding: theme.spacing(0.5, 2, 0.5, 0) } }),
});
