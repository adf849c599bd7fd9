import { RefObject, useEffect, useState } from 'react';
import { TimeRange } from '@grafana/data';

import { DataSource } from '../datasource';

/** Whether cAdvisor's series carry the cluster label: 'unknown' while asking, and when the lookup fails. */
export type ClusterPresence = 'unknown' | 'none' | 'some';

/**
 * Asks once per data source whether any series has a value for its cluster label, so a
 * single-cluster Prometheus is not offered a Cluster picker with nothing in it. A failed lookup
 * stays 'unknown': the pickers say why when opened, and the panel reports connection errors.
 */
export function useClusterPresence(
  datasource: DataSource,
  rangeRef: RefObject<TimeRange | undefined>
): ClusterPresence {
  // Kept with the data source it is about, so another data source reads 'unknown' until it answers.
  const [answer, setAnswer] = useState<{ of: DataSource; presence: ClusterPresence } | null>(null);
  useEffect(() => {
    let current = true;
    datasource
      .getLabelValues(datasource.labels.cluster, {}, rangeRef.current)
      .then((values) => current && setAnswer({ of: datasource, presence: values.length > 0 ? 'some' : 'none' }))
      .catch(() => undefined);
    return () => {
      current = false;
    };
  }, [datasource, rangeRef]);
  return answer?.of === datasource ? answer.presence : 'unknown';
}
