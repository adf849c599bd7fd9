// The one data source of the sandbox, built from the saved settings as Grafana builds
// instance settings: the URL the plugin sees is Grafana's proxy path, never Prometheus'.
import { DataSourceApi, DataSourceInstanceSettings, DataSourcePlugin, DataSourceSettings } from '@grafana/data';
import { DataSourceSrv, getBackendSrv } from '@grafana/runtime';

export class SandboxDataSourceSrv implements DataSourceSrv {
  settings!: DataSourceSettings;
  private instance?: DataSourceApi;

  constructor(
    private readonly plugin: DataSourcePlugin<any, any, any>,
    readonly uid: string
  ) {}

  /** Re-reads the saved settings and makes a fresh instance, as Grafana does after a save. */
  async reload(): Promise<void> {
    this.settings = await getBackendSrv().get(`/api/datasources/uid/${this.uid}`);
    this.instance = undefined;
  }

  getInstanceSettings(): DataSourceInstanceSettings {
    const s = this.settings;
    return {
      id: s.id,
      uid: s.uid,
      type: s.type,
      name: s.name,
      meta: this.plugin.meta,
      url: `/api/datasources/proxy/uid/${s.uid}`,
      jsonData: s.jsonData,
      access: 'proxy',
      readOnly: s.readOnly,
      isDefault: true,
    };
  }

  async get(): Promise<DataSourceApi> {
    return this.getSync();
  }

  getSync(): DataSourceApi {
    if (!this.instance) {
      const Ctor = this.plugin.DataSourceClass as unknown as new (s: DataSourceInstanceSettings) => DataSourceApi;
      this.instance = new Ctor(this.getInstanceSettings());
      this.instance.components = this.plugin.components;
    }
    return this.instance;
  }

  getList(): DataSourceInstanceSettings[] {
    return [this.getInstanceSettings()];
  }

  registerRuntimeDataSource(): void {
    throw new Error('runtime data sources are not supported by the sandbox');
  }
}
