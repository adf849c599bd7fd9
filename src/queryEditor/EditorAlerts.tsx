import React from 'react';
import { DataFrame } from '@grafana/data';
import { Alert } from '@grafana/ui';

import { FILE_CACHE_MISSING_TEXT, FileCacheStatus } from '../prometheus/fileCacheStatus';
import { GroupBy, RealMemoryQuery } from '../types';
import type { ViewDefinition } from '../views/view';
import { noLimitGroups } from './lastRun';

interface Props {
  query: RealMemoryQuery;
  groupBy: GroupBy;
  limits: ViewDefinition['limits'];
  /** The frames of the last run, whose notices name the groups without a limit. */
  frames: DataFrame[] | undefined;
  loadError: string | null;
  /** Keys of the stored query of the wrong type, left out of the editor (query/typedQuery.ts). */
  typeError: string | undefined;
  fileCache: FileCacheStatus | null;
  legendWarning: string | undefined;
}

/** What the editor knows is wrong or missing: a failed lookup, the cAdvisor series, limits, the legend. */
export function EditorAlerts({
  query,
  groupBy,
  limits,
  frames,
  loadError,
  typeError,
  fileCache,
  legendWarning,
}: Props) {
  const noLimit = limits?.shown(query) ? noLimitGroups(frames, query.refId) : { without: 0, of: 0 };
  return (
    <>
      {loadError && <Alert severity="error" title={loadError} />}
      {typeError && (
        <Alert severity="error" title="This stored query has values of the wrong type">
          {typeError} They are left out here; a change in the editor saves the query without them.
        </Alert>
      )}
      {fileCache === 'missing' && (
        <Alert severity="warning" title={FILE_CACHE_MISSING_TEXT}>
          This selection has no container_memory_total_active_file_bytes series (cAdvisor older than 0.50, or a scrape
          allow-list that drops them). Active and inactive file are estimated from cache and working set.
        </Alert>
      )}
      {fileCache === 'noSeries' && (
        // Same severity as the panel's notice for the same fact.
        <Alert severity="warning" title="No cAdvisor memory series match this selection in the current time range." />
      )}
      {limits && noLimit.without > 0 && (
        <Alert
          severity="warning"
          title={`No memory limit for ${noLimit.without} of ${noLimit.of} ${groupBy}s: ${limits.without}.`}
        >
          Set resources.limits.memory on their containers, or keep the limit series in your scrape pipeline:
          cAdvisor&apos;s container_spec_memory_limit_bytes or kube-state-metrics&apos;
          kube_pod_container_resource_limits. The panel&apos;s notices name each one.
        </Alert>
      )}
      {legendWarning && <Alert severity="warning" title={legendWarning} />}
    </>
  );
}
