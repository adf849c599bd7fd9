// The query editor as Grafana's panel editor holds it: a host component keeps the query the editor
// changes, so every change renders again. Shared by the editor tests.
import React, { useState } from 'react';
import { render } from '@testing-library/react';

import { QueryEditor } from '../../src/queryEditor/QueryEditor';
import { RealMemoryOptions, RealMemoryQuery } from '../../src/types';
import { installBackendSrv, SentRequest } from './backendSrv';
import { makeDataSource } from './dataSource';
import { inMemory } from './grafanaServer';

/** Renders the hosted editor on `query`, Prometheus answering with `respond`; returns what it sent and its last change. */
export function renderHostedQueryEditor(
  respond: (req: SentRequest) => unknown,
  query: RealMemoryQuery,
  jsonData: RealMemoryOptions = {}
) {
  const sent = installBackendSrv(inMemory(respond)).requests;
  const changes: RealMemoryQuery[] = [];
  const datasource = makeDataSource(jsonData);
  function Host() {
    const [q, setQ] = useState<RealMemoryQuery>(query);
    return (
      <QueryEditor
        datasource={datasource}
        query={q}
        onChange={(next) => {
          changes.push(next);
          setQ(next);
        }}
        onRunQuery={() => {}}
      />
    );
  }
  render(<Host />);
  return { sent, last: () => changes[changes.length - 1] };
}
