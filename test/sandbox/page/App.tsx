// The sandbox page: the data source settings (the plugin's ConfigEditor and "Save & test"),
// then a panel editor (time range, the plugin's QueryEditor, the panel, its errors and
// notices) and the panel's data as Grafana's "Inspect > Data" would list it.
import { css } from '@emotion/css';
import { DataQuery, DataSourcePlugin, TimeRange, rangeUtil } from '@grafana/data';
import { config } from '@grafana/runtime';
import { GlobalStyles, ThemeContext } from '@grafana/ui';
import React, { useCallback, useRef, useState } from 'react';

import { ConfigSection } from './ConfigSection';
import { SandboxDataSourceSrv } from './dataSourceSrv';
import { PanelSection } from './PanelSection';
import { TestTemplateSrv } from '../../support/templateSrv';

interface Props {
  plugin: DataSourcePlugin<any, any, any>;
  dataSourceSrv: SandboxDataSourceSrv;
  templateSrv: TestTemplateSrv;
}

/** `?query=<json>&from=<ms|now-1h>&to=<ms|now>&refresh=<5s>` preset the panel (tests and the demo use it). */
function refreshMs(): number | undefined {
  const r = new URLSearchParams(window.location.search).get('refresh');
  return r ? rangeUtil.intervalToMs(r) : undefined;
}

function initialState(): { query?: DataQuery; range: TimeRange } {
  const params = new URLSearchParams(window.location.search);
  const raw = (v: string | null, fallback: string) =>
    v && /^\d+$/.test(v) ? new Date(Number(v)).toISOString() : (v ?? fallback);
  const range = rangeUtil.convertRawToRange(
    { from: raw(params.get('from'), 'now-1h'), to: raw(params.get('to'), 'now') },
    'utc'
  );
  const q = params.get('query');
  return { query: q ? { refId: 'A', ...JSON.parse(q) } : undefined, range };
}

const styles = {
  page: css({ padding: 24, maxWidth: 1248, margin: '0 auto', display: 'flex', flexDirection: 'column', gap: 24 }),
  header: css({ display: 'flex', alignItems: 'baseline', gap: 16, h1: { margin: 0 } }),
};

export function App({ plugin, dataSourceSrv, templateSrv }: Props) {
  // A new revision after each save: Grafana makes a new data source instance then.
  const [revision, setRevision] = useState(0);
  // The panel's query and range outlive a save: the latest ones are kept (without re-rendering)
  // and the panel is re-mounted with them and the new instance.
  const [panelStart, setPanelStart] = useState(initialState);
  const panelState = useRef(panelStart);
  const onPanelState = useCallback((query: DataQuery, range: TimeRange) => (panelState.current = { query, range }), []);
  const onSaved = useCallback(() => {
    setPanelStart(panelState.current);
    setRevision((r) => r + 1);
  }, []);
  const { name, typeLogoUrl } = dataSourceSrv.settings;
  return (
    <ThemeContext.Provider value={config.theme2}>
      <GlobalStyles />
      <div className={styles.page}>
        <header className={styles.header}>
          <img src={typeLogoUrl} alt="" width={32} height={32} />
          <h1>{name}</h1>
          <span>sandbox: the built plugin in a stand-in for Grafana</span>
        </header>
        <ConfigSection plugin={plugin} dataSourceSrv={dataSourceSrv} onSaved={onSaved} />
        <PanelSection
          key={revision}
          datasource={dataSourceSrv.getSync()}
          templateSrv={templateSrv}
          initialQuery={panelStart.query}
          initialRange={panelStart.range}
          onStateChange={onPanelState}
          refreshMs={refreshMs()}
        />
      </div>
    </ThemeContext.Provider>
  );
}
