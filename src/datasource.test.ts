import { lastValueFrom } from 'rxjs';
import { CoreApp, dateTime } from '@grafana/data';

import '../test/support/polyfills';
import { installBackendSrv, SentRequest } from '../test/support/backendSrv';
import { makeDataSource } from '../test/support/dataSource';
import { inMemory, success } from '../test/support/grafanaServer';
import { installTemplateSrv } from '../test/support/templateSrv';
import { invalidSettingsMessage, settingsProblems } from './settings/settingProblems';
import { RealMemoryQuery } from './types';

const request = (targets: RealMemoryQuery[], intervalMs = 15000) => {
  const to = dateTime(1_700_003_600_000);
  return {
    targets,
    range: { from: dateTime(1_700_000_000_000), to, raw: { from: 'now-1h', to: 'now' } },
    interval: '15s',
    intervalMs,
    maxDataPoints: 1000,
    requestId: 'q1',
    scopedVars: {},
    timezone: 'utc',
    app: CoreApp.Dashboard,
    startTime: 0,
  };
};

beforeEach(() => installTemplateSrv([{ name: 'step', value: '5m' }]));

describe('an invalid setting, kept as typed', () => {
  const jsonData = { extraSelector: 'cluster=prod' };
  const expected =
    /^Invalid data source setting — Extra selector: the value of "cluster" must be quoted, e.g\. cluster="value"; found "p" \(column 9\)\. Fix it in the data source settings\.$/;

  it('fails Save & test with the parser message', async () => {
    const sent = installBackendSrv(inMemory(() => success({ resultType: 'vector', result: [] }))).requests;
    const result = await makeDataSource(jsonData).testDatasource();
    expect(result.status).toBe('error');
    expect(result.message).toMatch(expected);
    expect(sent).toHaveLength(0);
  });

  it('fails every query the same way, and sends nothing unfiltered to Prometheus', async () => {
    const sent = installBackendSrv(inMemory(() => success({ resultType: 'matrix', result: [] }))).requests;
    const response = await lastValueFrom(
      makeDataSource(jsonData).query(request([{ refId: 'A' }, { refId: 'B' }]) as any)
    );
    expect(response.errors?.map((e) => e.refId)).toEqual(['A', 'B']);
    expect(response.errors?.[0].message).toMatch(expected);
    expect(sent).toHaveLength(0);
  });

  it('fails the editor lookups too', async () => {
    installBackendSrv(inMemory(() => success([])));
    await expect(makeDataSource(jsonData).getLabelValues('pod', {})).rejects.toThrow(expected);
  });

  it('applies to label names as well, naming each invalid setting', async () => {
    installBackendSrv(inMemory(() => success([])));
    const ds = makeDataSource({ podLabel: 'k8s-pod', clusterLabel: '1cluster' });
    const result = await ds.testDatasource();
    expect(result.message).toBe(
      invalidSettingsMessage(settingsProblems({ podLabel: 'k8s-pod', clusterLabel: '1cluster' }))
    );
    expect(result.message).toMatch(/Pod label: "k8s-pod" is not a Prometheus label name.*; Cluster label: "1cluster"/);
  });
});

describe('settings of the wrong type (provisioning YAML, Terraform, the API)', () => {
  // Each was a frozen tab or "….trim is not a function" before the settings were typed at the door.
  it.each([
    [{ extraSelector: 42 }, 'Extra selector must be text, got a number (42)'],
    [{ extraSelector: { cluster: 'prod' } }, 'Extra selector must be text, got an object'],
    [{ extraSelector: ['cluster="prod"'] }, 'Extra selector must be text, got a list'],
    [{ namespaceLabel: 7 }, 'Namespace label must be text, got a number (7)'],
    [{ evictionHard: true }, 'Eviction hard must be a quantity such as 100Mi or 5%, got a boolean (true)'],
    [{ bearerAuth: 'no' }, 'Bearer auth must be true or false, got "no"'],
    [
      { defaultFormula: 'workingSet' },
      'Default formula must be one of realUsed, usageMinusActiveFile, got "workingSet"',
    ],
  ])('%p: Save & test and every query fail naming the setting, and nothing is sent', async (jsonData, problem) => {
    const sent = installBackendSrv(inMemory(() => success({ resultType: 'matrix', result: [] }))).requests;
    const ds = makeDataSource(jsonData as any);
    const expected = `Invalid data source setting — ${problem}. Fix it in the data source settings.`;
    expect((await ds.testDatasource()).message).toBe(expected);
    const response = await lastValueFrom(ds.query(request([{ refId: 'A' }]) as any));
    expect(response.errors?.map((e) => e.message)).toEqual([expected]);
    await expect(ds.getLabelValues('pod', {})).rejects.toThrow(expected);
    expect(sent).toHaveLength(0);
  });

  it('reads a quantity given as a number, and "false" as false', async () => {
    installBackendSrv(inMemory(() => success({ resultType: 'matrix', result: [] })));
    const ds = makeDataSource({
      evictionHard: 1e9,
      evictionSoft: 500,
      bearerAuth: 'false',
      incrementalRefresh: 'false',
    } as any);
    expect(ds.options).toMatchObject({
      evictionHard: '1000000000',
      evictionSoft: '500',
      bearerAuth: false,
      incrementalRefresh: false,
    });
    expect(ds.client).toBeDefined();
    const response = await lastValueFrom(ds.query(request([{ refId: 'A' }]) as any));
    expect(response.errors ?? []).toEqual([]);
  });
});

describe('min step', () => {
  const stepOf = (sent: SentRequest[]) => Number(sent.find((r) => r.path === '/api/v1/query_range')!.params['step']);

  it('raises the step of every range query; a dashboard variable is resolved first', async () => {
    let sent = installBackendSrv(inMemory(() => success({ resultType: 'matrix', result: [] }))).requests;
    await lastValueFrom(makeDataSource().query(request([{ refId: 'A' }]) as any));
    expect(stepOf(sent)).toBe(15);
    sent = installBackendSrv(inMemory(() => success({ resultType: 'matrix', result: [] }))).requests;
    await lastValueFrom(makeDataSource().query(request([{ refId: 'A', minStep: '2m' }]) as any));
    expect(stepOf(sent)).toBe(120);
    sent = installBackendSrv(inMemory(() => success({ resultType: 'matrix', result: [] }))).requests;
    await lastValueFrom(makeDataSource().query(request([{ refId: 'A', minStep: '$step' }]) as any));
    expect(stepOf(sent)).toBe(300);
  });

  it('an invalid min step fails that query with a message naming the key', async () => {
    installBackendSrv(inMemory(() => success({ resultType: 'matrix', result: [] })));
    const response = await lastValueFrom(makeDataSource().query(request([{ refId: 'A', minStep: 'soon' }]) as any));
    expect(response.errors?.[0].message).toMatch(/Min step must be a duration such as 30s, 1m or 1h, not "soon"/);
  });
});

describe('getQueryDisplayText', () => {
  it('gives Explore history one readable line per query', () => {
    expect(makeDataSource().getQueryDisplayText({ refId: 'A', view: 'breakdown', namespace: '!kube-system' })).toBe(
      'Breakdown · namespace: !kube-system'
    );
  });
});
