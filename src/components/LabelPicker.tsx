import React, { useCallback, useId, useRef } from 'react';
import { getTemplateSrv } from '@grafana/runtime';
import { Combobox, ComboboxOption, InlineField } from '@grafana/ui';

interface Props {
  label: string;
  tooltip: string;
  value?: string;
  /** Label values in scope of the earlier choices; called when the menu opens and as the user types. */
  loadValues: () => Promise<string[]>;
  onChange: (value: string | undefined) => void;
  /** Reports why values could not be loaded (shown by the editor), or null once they load. */
  onLoadError: (message: string | null) => void;
}

const MAX_OPTIONS = 2000;
const CACHE_MS = 60_000;

/**
 * A filter picker: offers the dashboard's variables and the label's values, and keeps anything
 * typed (an exact value, a `/regex/`, `$variable` or text around variables) as a custom value.
 */
export function LabelPicker({ label, tooltip, value, loadValues, onChange, onLoadError }: Props) {
  // Grafana 12.3's Combobox drops aria-label; an id lets InlineField's label name the input there too.
  const id = useId();
  // One request per scope, not one per keystroke: reuse the answer for a minute or until the scope changes.
  const cache = useRef<{ loader: Props['loadValues']; at: number; values: Promise<string[]> } | null>(null);
  const options = useCallback(
    async (input: string): Promise<Array<ComboboxOption<string>>> => {
      const variables = getTemplateSrv()
        .getVariables()
        .map((v) => ({ value: `$${v.name}`, label: `$${v.name}`, group: 'Dashboard variables' }));
      let values: string[] = [];
      try {
        if (cache.current?.loader !== loadValues || Date.now() - cache.current.at > CACHE_MS) {
          cache.current = { loader: loadValues, at: Date.now(), values: loadValues() };
        }
        values = await cache.current.values;
        onLoadError(null);
      } catch (err) {
        cache.current = null;
        onLoadError(`Could not load ${label} values: ${err instanceof Error ? err.message : String(err)}`);
      }
      const needle = input.toLowerCase();
      return [...variables, ...values.map((v) => ({ value: v, label: v, group: `${label} values` }))]
        .filter((o) => o.value.toLowerCase().includes(needle))
        .slice(0, MAX_OPTIONS);
    },
    [label, loadValues, onLoadError]
  );

  return (
    <InlineField label={label} labelWidth={12} tooltip={tooltip}>
      <Combobox<string>
        id={id}
        aria-label={label}
        width={28}
        placeholder="any"
        isClearable
        createCustomValue
        customValueDescription="Use as typed (exact value, /regex/ or $variable)"
        value={value ? { value, label: value } : null}
        options={options}
        onChange={(option) => onChange(option?.value || undefined)}
      />
    </InlineField>
  );
}
