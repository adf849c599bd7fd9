import { css } from '@emotion/css';
import { GrafanaTheme2 } from '@grafana/data';

/** Width of the view's own choice field: the widest, the formula's two buttons. */
const CHOICE_WIDTH = 270;

/** Below this width per filter (operator and a value or two), the filters take two rows. */
const MIN_FILTER_WIDTH = 230;

export const getStyles = (theme: GrafanaTheme2) => ({
  // The view's own choice takes the same width in every view (the widest, the formula's), so the
  // first row wraps at the same place whichever view is chosen and the rows below never move.
  // (The nodes view has its own filters, and no group by.)
  choice: css({ flex: `0 0 ${CHOICE_WIDTH}px`, minWidth: 0, overflow: 'hidden' }),
  // One line in every view, so the rows below never move; the whole text is in its title.
  help: css({
    flexBasis: '100%',
    minWidth: 0,
    color: theme.colors.text.secondary,
    fontSize: theme.typography.bodySmall.fontSize,
    whiteSpace: 'nowrap',
    overflow: 'hidden',
    textOverflow: 'ellipsis',
  }),
  helpIcon: css({ marginRight: theme.spacing(0.5) }),
  // Sized by the row, not by its content: an intrinsic pass would stack the filters in one column.
  filtersContainer: css({ containerType: 'inline-size', width: '100%' }),
  // All filters on one row, else half of them per row, so no filter is ever left alone on a row.
  // By the pickers shown: without a cluster label there is no Cluster picker (three filters).
  filters: (count: number) =>
    css({
      display: 'grid',
      gap: theme.spacing(1, 2),
      gridTemplateColumns: `repeat(${count}, minmax(0, 1fr))`,
      [`@container (max-width: ${count * MIN_FILTER_WIDTH}px)`]: {
        gridTemplateColumns: `repeat(${Math.ceil(count / 2)}, minmax(0, 1fr))`,
      },
      [`@container (max-width: ${2 * MIN_FILTER_WIDTH}px)`]: { gridTemplateColumns: 'minmax(0, 1fr)' },
    }),
});
