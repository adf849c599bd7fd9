import React, { ComponentType } from 'react';
import { css } from '@emotion/css';
import { GrafanaTheme2 } from '@grafana/data';
import { EditorField } from '@grafana/plugin-ui';
import { useStyles2 } from '@grafana/ui';

import type { ViewFieldProps } from './view';

/** The choice of a view that has none: a fixed text in the same place, so the rows below never move. */
export function fixedChoice(title: string, text: string): ComponentType<ViewFieldProps> {
  return function FixedChoice() {
    const styles = useStyles2(getStyles);
    return (
      <EditorField label={title}>
        <div className={styles.fixedChoice}>{text}</div>
      </EditorField>
    );
  };
}

const getStyles = (theme: GrafanaTheme2) => ({
  fixedChoice: css({
    display: 'flex',
    alignItems: 'center',
    minHeight: theme.spacing(4),
    color: theme.colors.text.secondary,
    whiteSpace: 'nowrap',
    overflow: 'hidden',
    textOverflow: 'ellipsis',
  }),
});
