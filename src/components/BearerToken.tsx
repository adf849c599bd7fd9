import React from 'react';
import { DataSourceSettings } from '@grafana/data';
import { InlineField, SecretInput } from '@grafana/ui';

import { RealMemoryOptions, RealMemorySecureData } from '../types';

type Options = DataSourceSettings<RealMemoryOptions, RealMemorySecureData>;

export const BEARER_METHOD = 'custom-bearer' as const;

/** Turns the bearer-token method on or off; on excludes Grafana's own methods. */
export function withBearerAuth(options: Options, on: boolean): Options {
  if (!on) {
    return { ...options, jsonData: { ...options.jsonData, bearerAuth: false } };
  }
  return {
    ...options,
    basicAuth: false,
    withCredentials: false,
    // Grafana's own "forward OAuth identity" flag, not in our options type.
    jsonData: { ...options.jsonData, bearerAuth: true, ...{ oauthPassThru: false } },
  };
}

interface Props {
  options: Options;
  onChange: (options: Options) => void;
}

/** The token goes to secureJsonData; plugin.json's `bearer` route adds it as a header. */
export function BearerTokenField({ options, onChange }: Props) {
  return (
    <InlineField label="Token" labelWidth={14} tooltip="Stored encrypted; never sent to the browser.">
      <SecretInput
        aria-label="Bearer token"
        width={40}
        placeholder="token"
        isConfigured={Boolean(options.secureJsonFields?.bearerToken)}
        value={options.secureJsonData?.bearerToken ?? ''}
        onChange={(e) =>
          onChange({ ...options, secureJsonData: { ...options.secureJsonData, bearerToken: e.currentTarget.value } })
        }
        onReset={() =>
          onChange({
            ...options,
            secureJsonFields: { ...options.secureJsonFields, bearerToken: false },
            secureJsonData: { ...options.secureJsonData, bearerToken: '' },
          })
        }
      />
    </InlineField>
  );
}
