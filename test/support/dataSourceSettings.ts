// A data source's settings as Grafana creates them. Types only from Grafana, so the Grafana 12.3
// check (test/compat-12.3, its own packages) can use it as well as the editor tests.
import type { DataSourceSettings } from '@grafana/data';

import type { RealMemoryOptions, RealMemorySecureData } from '../../src/types';

export type Options = DataSourceSettings<RealMemoryOptions, RealMemorySecureData>;

/** A new data source's settings, as Grafana creates them, with `patch` applied. */
export function dataSourceSettings(patch: Partial<Options> = {}): Options {
  return {
    id: 1,
    uid: 'real-memory',
    orgId: 1,
    name: 'Real Memory',
    type: 'realmemory-realmemory-datasource',
    typeName: 'Real Memory',
    typeLogoUrl: '',
    access: 'proxy',
    url: '',
    user: '',
    database: '',
    basicAuth: false,
    basicAuthUser: '',
    isDefault: false,
    jsonData: {},
    secureJsonFields: {},
    readOnly: false,
    withCredentials: false,
    ...patch,
  } as Options;
}
