// "Inspect > Data": every frame as a table of its fields' display names and raw values
// (times as UTC ISO strings, numbers unformatted) so a reader, or a test, can check figures.
import { css } from '@emotion/css';
import { DataFrame, FieldType, getFieldDisplayName } from '@grafana/data';
import React from 'react';

const MAX_ROWS = 2000;

const styles = {
  table: css({
    borderCollapse: 'collapse',
    fontFamily: 'monospace',
    fontSize: 12,
    'th, td': { border: '1px solid rgba(204, 204, 220, 0.2)', padding: '2px 8px', textAlign: 'right' },
  }),
  caption: css({ textAlign: 'left', fontWeight: 500, padding: '8px 0', whiteSpace: 'nowrap' }),
  scroll: css({ maxHeight: 320, overflow: 'auto', marginBottom: 16 }),
};

function cell(value: unknown, type: FieldType): string {
  if (value === null || value === undefined) {
    return 'null';
  }
  return type === FieldType.time ? new Date(value as number).toISOString() : String(value);
}

export function InspectTable({ frames }: { frames: DataFrame[] }) {
  return (
    <section data-testid="inspect">
      <h2>Inspect: data</h2>
      {frames.length === 0 && <p>No frames.</p>}
      {frames.map((frame, i) => {
        const names = frame.fields.map((f) => getFieldDisplayName(f, frame, frames));
        const first = Math.max(0, frame.length - MAX_ROWS);
        const rows = Array.from({ length: frame.length - first }, (_, r) => first + r);
        return (
          <div className={styles.scroll} key={i}>
            <table className={styles.table} data-testid="inspect-frame" data-frame-name={frame.name ?? ''}>
              <caption className={styles.caption}>
                {frame.name ?? `frame ${i + 1}`} ({frame.length} rows{first > 0 ? `, last ${MAX_ROWS} shown` : ''})
              </caption>
              <thead>
                <tr>
                  {frame.fields.map((f, c) => (
                    <th key={c} data-field={names[c]} title={f.config.unit ? `unit: ${f.config.unit}` : undefined}>
                      {names[c]}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => (
                  <tr key={r}>
                    {frame.fields.map((f, c) => (
                      <td key={c}>{cell(f.values[r], f.type)}</td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        );
      })}
    </section>
  );
}
