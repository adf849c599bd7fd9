import React, { useState } from 'react';
import { css } from '@emotion/css';
import { GrafanaTheme2 } from '@grafana/data';
import { Collapse, Stack, useStyles2 } from '@grafana/ui';

interface Props {
  title: string;
  /** One line of "Name: value" items, shown while the group is closed. */
  summary: string[];
  children: React.ReactNode;
}

/** A collapsed group of options with a one-line summary, as in Grafana's Prometheus query builder. */
export function OptionsGroup({ title, summary, children }: Props) {
  const [isOpen, setOpen] = useState(false);
  const styles = useStyles2(getStyles);
  return (
    <div className={styles.wrapper} data-testid="options-group">
      <Collapse
        className={styles.collapse}
        isOpen={isOpen}
        onToggle={() => setOpen(!isOpen)}
        label={
          <Stack gap={0}>
            <h6 className={styles.title}>{title}</h6>
            {!isOpen && (
              <div className={styles.summary} data-testid="options-summary">
                {summary.map((item) => (
                  <span key={item}>{item}</span>
                ))}
              </div>
            )}
          </Stack>
        }
      >
        <div className={styles.body}>{children}</div>
      </Collapse>
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  wrapper: css({ flex: 1, minWidth: 0 }),
  collapse: css({
    backgroundColor: 'unset',
    border: 'unset',
    marginBottom: 0,
    '> button': { padding: theme.spacing(0, 1) },
  }),
  title: css({
    fontSize: theme.typography.bodySmall.fontSize,
    fontWeight: theme.typography.fontWeightMedium,
    margin: 0,
  }),
  summary: css({
    color: theme.colors.text.secondary,
    fontSize: theme.typography.bodySmall.fontSize,
    paddingLeft: theme.spacing(2),
    gap: theme.spacing(2),
    display: 'flex',
    flexWrap: 'wrap',
  }),
  body: css({ display: 'flex', gap: theme.spacing(2), flexWrap: 'wrap' }),
});
