import React, { useCallback, useId, useMemo, useRef } from 'react';
import { getTemplateSrv } from '@grafana/runtime';
import { EditorField } from '@grafana/plugin-ui';
import { css } from '@emotion/css';
import { Combobox, ComboboxOption, MultiCombobox, Stack, useStyles2 } from '@grafana/ui';

import { regexFilterProblem } from '../prometheus/regexCheck';
import { chipsToFilter, exactItem, filterToChips } from './filterChips';

interface Props {
  label: string;
  tooltip: string;
  /** The filter text of the query model (escaping.ts reads it). */
  value?: string;
  /** Label values in scope of the earlier choices; called when the menu opens and as the user types. */
  loadValues: () => Promise<string[]>;
  /** Identifies that scope: values are loaded again only when it changes (or after a minute). */
  scope: string;
  onChange: (value: string | undefined) => void;
  /** Reports why values could not be loaded (shown by the editor), or null once they load. */
  onLoadError: (message: string | null) => void;
}

const MAX_OPTIONS = 2000;
const MORE_OPTION = '__real_memory_more_values__';
const CACHE_MS = 60_000;

const OPERATORS: Array<ComboboxOption<'=' | '!='>> = [
  { value: '=', label: '=', description: 'is one of the chosen values' },
  { value: '!=', label: '!=', description: 'is none of the chosen values' },
];

/**
 * A label filter as in Grafana's Prometheus query builder: an operator (= or !=) and any number of
 * values. Offers the dashboard's variables and the label's values, and keeps anything typed (an
 * exact value, a `/regex/`, `$variable` or text around variables) as a custom value.
 */
export function FilterPicker({ label, tooltip, value, loadValues, scope, onChange, onLoadError }: Props) {
  const styles = useStyles2(getStyles);
  const id = useId();
  const { exclude, items } = useMemo(() => filterToChips(value), [value]);
  // The same array while the filter is unchanged: the picker re-measures its pills on a new one.
  const selected = useMemo(() => items.map((item) => ({ value: item, label: item })), [items]);
  const emit = (next: { exclude: boolean; items: string[] }) => onChange(chipsToFilter(next) || undefined);
  // Said under the picker before the query runs, each regex as its chip reads.
  const regexProblems = items.flatMap((item) => regexFilterProblem(label, item) ?? []);
  const regexError = regexProblems.length > 0 ? regexProblems.join(' ') : undefined;
  const valuesGroup = `${label} values`;

  // One request per scope, not one per keystroke: reuse the answer for a minute or until the scope changes.
  const cache = useRef<{ scope: string; at: number; values: Promise<string[]> } | null>(null);
  const options = useCallback(
    async (input: string): Promise<Array<ComboboxOption<string>>> => {
      const variables = getTemplateSrv()
        .getVariables()
        .map((v) => ({ value: `$${v.name}`, label: `$${v.name}`, group: 'Dashboard variables' }));
      let values: string[] = [];
      try {
        if (cache.current?.scope !== scope || Date.now() - cache.current.at > CACHE_MS) {
          cache.current = { scope, at: Date.now(), values: loadValues() };
        }
        values = await cache.current.values;
        onLoadError(null);
      } catch (err) {
        cache.current = null;
        onLoadError(`Could not load ${label} values: ${err instanceof Error ? err.message : String(err)}`);
      }
      const needle = input.toLowerCase();
      const matching = [...variables, ...values.map((v) => ({ value: v, label: v, group: valuesGroup }))].filter((o) =>
        o.value.toLowerCase().includes(needle)
      );
      if (matching.length <= MAX_OPTIONS) {
        return matching;
      }
      // Say that the list is cut, rather than let a missing value look absent.
      const shown = MAX_OPTIONS.toLocaleString('en');
      const all = matching.length.toLocaleString('en');
      // First, where it is seen without scrolling a long list.
      return [
        { value: MORE_OPTION, label: `Showing the first ${shown} of ${all}: type to narrow`, infoOption: true },
        ...matching.slice(0, MAX_OPTIONS),
      ];
    },
    [loadValues, scope, onLoadError, label, valuesGroup]
  );

  return (
    <EditorField label={label} tooltip={tooltip} htmlFor={id} invalid={Boolean(regexError)} error={regexError}>
      {/* In a fragment, which the field does not hand `invalid` to (a Stack would pass it to its div). */}
      <>
        <Stack gap={0}>
          <Combobox<'=' | '!='>
            id={`${id}-operator`}
            aria-label={`${label} operator`}
            width="auto"
            minWidth={6}
            options={OPERATORS}
            value={exclude ? '!=' : '='}
            // The operator is never what is wrong.
            invalid={false}
            onChange={(op) => emit({ exclude: op.value === '!=', items })}
          />
          <div className={styles.values}>
            {/* Grafana 12.3's MultiCombobox ignores `id` (so the label's htmlFor finds nothing): name it by reference. */}
            <span id={`${id}-name`} hidden>
              {label}
            </span>
            <MultiCombobox<string>
              id={id}
              aria-labelledby={`${id}-name`}
              placeholder="any"
              isClearable
              invalid={Boolean(regexError)}
              createCustomValue
              customValueDescription="Use as typed (exact value, /regex/ or $variable)"
              value={selected}
              options={options}
              onChange={(chosen) =>
                // A value picked from the list means exactly itself, even one that reads like !x, /x/ or $x.
                emit({ exclude, items: chosen.map((o) => (o.group === valuesGroup ? exactItem(o.value) : o.value)) })
              }
            />
          </div>
        </Stack>
      </>
    </EditorField>
  );
}

const getStyles = () => ({
  // The values take the rest of the filter's width; the operator keeps its own.
  values: css({ flex: 1, minWidth: 0 }),
});
