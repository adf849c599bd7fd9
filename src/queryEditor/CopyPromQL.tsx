import React from 'react';
import { Button, Dropdown, Menu } from '@grafana/ui';

import type { CopyableQuery } from '../prometheus/copyable';

interface Props {
  /** One expression per plotted series of the last run, each valid alone. */
  queries: CopyableQuery[];
  /** Every expression the last run sent, one per line (what the query inspector shows). */
  executed: string;
}

/** The clipboard, with the textarea fallback for Grafana served over plain http (no navigator.clipboard). */
async function copy(text: string): Promise<void> {
  if (navigator.clipboard?.writeText) {
    return navigator.clipboard.writeText(text);
  }
  const area = document.createElement('textarea');
  area.value = text;
  document.body.appendChild(area);
  area.select();
  document.execCommand('copy');
  area.remove();
}

/**
 * "Copy PromQL": a menu of the plotted series, each one expression that runs alone in a Prometheus
 * panel or alert rule (prometheus/copyable.ts), and the queries the last run sent.
 */
export function CopyPromQL({ queries, executed }: Props) {
  const menu = (
    <Menu>
      {queries.map((q) => (
        <Menu.Item key={q.title} label={q.title} icon="copy" onClick={() => copy(q.expr)} />
      ))}
      {queries.length > 0 && <Menu.Divider />}
      <Menu.Item
        label="every query the last run sent (one per line; not one expression)"
        icon="list-ul"
        disabled={executed === ''}
        onClick={() => copy(executed)}
      />
    </Menu>
  );
  return (
    <Dropdown overlay={menu} placement="bottom-end">
      <Button
        icon="copy"
        variant="secondary"
        size="sm"
        disabled={executed === ''}
        tooltip="One PromQL expression per series this panel draws, variables resolved, to paste into a Prometheus panel or alert rule; and an alert on real used against the limit."
      >
        Copy PromQL
      </Button>
    </Dropdown>
  );
}
