import React from 'react';

import { SwitchField } from '../../components/SwitchField';
import type { ViewFieldProps } from '../view';

/** The real-used view's options: the extra lines it can draw beside working set and real used. */
export function LinesOptions({ query, update }: ViewFieldProps) {
  return (
    <>
      <SwitchField
        label="Show usage"
        tooltip="Also plot usage (working set + inactive file)."
        value={Boolean(query.showUsage)}
        onChange={(showUsage) => update({ showUsage })}
      />
      <SwitchField
        label="Show limits"
        tooltip="Memory limit (red) and request (orange) as dashed lines; from cAdvisor or kube-state-metrics."
        value={Boolean(query.showLimits)}
        onChange={(showLimits) => update({ showLimits })}
      />
      <SwitchField
        label="Show pressure"
        tooltip="Memory pressure (PSI: share of time tasks stalled waiting for memory) on a right axis in %. Needs cgroup v2 and cAdvisor ≥ 0.52 (kubelet ≥ 1.34); elsewhere the panel says it is unknown."
        value={Boolean(query.showPressure)}
        onChange={(showPressure) => update({ showPressure })}
      />
    </>
  );
}
