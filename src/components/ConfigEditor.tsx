import React from 'react';
import { DataSourcePluginOptionsEditorProps, DataSourceSettings } from '@grafana/data';
import { AdvancedHttpSettings, Auth, AuthMethod, ConnectionSettings, convertLegacyAuthProps } from '@grafana/plugin-ui';
import { Divider } from '@grafana/ui';

import { RealMemoryOptions, RealMemorySecureData } from '../types';
import { BEARER_METHOD, BearerTokenField, withBearerAuth } from './BearerToken';
import { typedSettings } from '../settings/typedSettings';
import { MemorySettings } from './MemorySettings';

type Props = DataSourcePluginOptionsEditorProps<RealMemoryOptions, RealMemorySecureData>;
type Options = DataSourceSettings<RealMemoryOptions, RealMemorySecureData>;

/**
 * Prometheus URL and auth with Grafana's standard components (as its Prometheus data source
 * does), a bearer-token method, and Real Memory's own settings.
 */
export function ConfigEditor({ options, onOptionsChange }: Props) {
  // The `bearer` route in plugin.json reads the URL from jsonData, so keep a copy in step.
  const onChange = (next: Options) =>
    onOptionsChange({ ...next, jsonData: { ...next.jsonData, bearerUrl: next.url || undefined } });

  const bearer = typedSettings(options.jsonData).options.bearerAuth === true;
  // Choosing a standard method must also leave the bearer method.
  const legacy = convertLegacyAuthProps({ config: withBearerAuth(options, false), onChange });

  return (
    <>
      <ConnectionSettings
        config={options}
        onChange={onChange}
        urlLabel="Prometheus server URL"
        urlPlaceholder="e.g. http://prometheus:9090"
        urlTooltip="Prometheus (or a compatible API such as Thanos or Mimir's Prometheus endpoint) that stores cAdvisor's metrics. Grafana's proxy calls it."
      />
      <Divider />
      <Auth
        {...legacy}
        selectedMethod={bearer ? BEARER_METHOD : legacy.selectedMethod}
        visibleMethods={[AuthMethod.NoAuth, AuthMethod.BasicAuth, BEARER_METHOD, AuthMethod.OAuthForward]}
        customMethods={[
          {
            id: BEARER_METHOD,
            label: 'Bearer token',
            description:
              'Sends "Authorization: Bearer <token>"; the token is stored encrypted and added by Grafana\'s proxy.',
            component: <BearerTokenField options={options} onChange={onChange} />,
          },
        ]}
        onAuthMethodSelect={(method) =>
          method === BEARER_METHOD ? onChange(withBearerAuth(options, true)) : legacy.onAuthMethodSelect(method)
        }
      />
      <Divider />
      <MemorySettings options={options} onChange={onChange} />
      <Divider />
      <AdvancedHttpSettings config={options} onChange={onChange} />
    </>
  );
}
