// The data source settings page: the plugin's ConfigEditor, then "Save & test", which saves
// (PUT), makes a new instance from the saved settings and shows testDatasource()'s result in
// an alert box, as Grafana does.
import { css } from '@emotion/css';
import { DataSourcePlugin, DataSourceSettings } from '@grafana/data';
import { getBackendSrv } from '@grafana/runtime';
import { Alert, Button } from '@grafana/ui';
import React, { useState } from 'react';

import { SandboxDataSourceSrv } from './dataSourceSrv';

interface TestResult {
  status: string;
  message: string;
  details?: { message?: string; verboseMessage?: string };
}

/** Grafana's parseHealthCheckError: a thrown error becomes an error alert. */
function toTestResult(err: any): TestResult {
  const message = err?.message || err?.data?.message || `HTTP error ${err?.statusText ?? ''}`.trim();
  return { status: 'error', message, details: err?.details || err?.data?.details };
}

const styles = {
  section: css({ display: 'flex', flexDirection: 'column', gap: 16, maxWidth: 800 }),
  buttons: css({ display: 'flex', gap: 8 }),
};

interface Props {
  plugin: DataSourcePlugin<any, any, any>;
  dataSourceSrv: SandboxDataSourceSrv;
  onSaved: () => void;
}

export function ConfigSection({ plugin, dataSourceSrv, onSaved }: Props) {
  const [options, setOptions] = useState<DataSourceSettings<any, any>>(dataSourceSrv.settings);
  const [result, setResult] = useState<TestResult>();
  const [testing, setTesting] = useState(false);
  // Counts finished tests, so a test can wait for the result of its own click.
  const [tests, setTests] = useState(0);
  const ConfigEditor = plugin.components.ConfigEditor!;

  const saveAndTest = async () => {
    setTesting(true);
    setResult(undefined);
    try {
      await getBackendSrv().put(`/api/datasources/uid/${dataSourceSrv.uid}`, options);
      await dataSourceSrv.reload();
      setOptions(dataSourceSrv.settings);
      onSaved();
      setResult(await dataSourceSrv.getSync().testDatasource());
    } catch (err) {
      setResult(toTestResult(err));
    } finally {
      setTesting(false);
      setTests((n) => n + 1);
    }
  };

  const severity = result?.status === 'success' ? 'success' : result?.status === 'warning' ? 'warning' : 'error';
  return (
    <section className={styles.section} data-testid="config-section" data-tests={tests}>
      <h2>Settings</h2>
      <ConfigEditor options={options} onOptionsChange={setOptions} />
      {result && (
        <Alert severity={severity} title={result.message} data-testid="test-result" data-severity={severity}>
          {result.details?.message}
          {result.details?.verboseMessage && <pre>{result.details.verboseMessage}</pre>}
        </Alert>
      )}
      <div className={styles.buttons}>
        <Button type="submit" onClick={saveAndTest} disabled={testing} icon={testing ? 'spinner' : undefined}>
          Save &amp; test
        </Button>
      </div>
    </section>
  );
}
