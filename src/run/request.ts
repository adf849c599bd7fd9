import type { DataFrame } from '@grafana/data';

import { Formula } from '../memory/formula';
import { EvictionThresholds } from '../memory/nodes';
import type { PrometheusClient } from '../prometheus/client';
import { NodeMatchers } from '../prometheus/nodeQueries';
import { LabelNames } from '../prometheus/promql';
import { RangeParams } from '../prometheus/step';
import { GroupBy, HeadroomUnit, MemoryView, NodeView } from '../types';

/** What a runner needs of Prometheus. The data source passes its cancellable client. */
export type QueryClient = Pick<PrometheusClient, 'queryRange' | 'queryInstant'> & {
  /** A panel target refreshed incrementally: what it keeps from one refresh to the next. */
  memory?: PanelMemory;
};

export interface PanelMemory {
  /** Top N: the groups its range queries fetch (ranking.ts keeps them while they hold the top N). */
  fetchedGroups?: Array<Record<string, string>>;
}

/** One panel target, validated and interpolated: everything a runner needs. */
export interface RunRequest {
  refId: string;
  view: MemoryView;
  groupBy: GroupBy;
  formula: Formula;
  showUsage: boolean;
  /** realVsWorkingSet: also draw the memory limit and request. */
  showLimits: boolean;
  /** realVsWorkingSet: also the PSI memory pressure. */
  showPressure: boolean;
  legendFormat?: string;
  /** Headroom view: bytes or % of the limit. */
  headroomUnit: HeadroomUnit;
  /** cAdvisor matchers: filters, ad-hoc filters, extra selector and the non-container exclusions. */
  matchers: string[];
  /** Matchers for kube-state-metrics series (limits, requests, restarts); see prometheus/limitQueries.ts. */
  ksmMatchers: string[];
  labels: LabelNames;
  range: RangeParams;
  /** Keep only the N groups with the most real used at the end of the range; 0 = all. */
  topN: number;
  /**
   * A relative range refreshed incrementally: top N ranks at the range's last mark (every 1/24 of it), so the
   * refreshes until the next mark reuse one ranking (run/ranking.ts).
   */
  rankAtMarks?: boolean;
  /** Grafana's request id plus the refId; each query gets its own suffix so refreshes cancel them all. */
  requestId: string;
  /** View "nodes" only: what to return and the data source's node options, validated. */
  nodes?: NodeRequest;
  /** The recording rules' series, read instead of cAdvisor's where they give the same answer (recorded.ts). */
  recorded?: RecordedSource;
}

export interface RecordedSource {
  /** The selection on the recorded series; undefined when it names a label they do not keep. */
  matchers?: string[];
  /** Whether the rules' series cover the range (the data source's cached probe, recordedProbe.ts). */
  covers: (range: { start: number; end: number }) => Promise<boolean>;
}

export interface NodeRequest {
  nodeView: NodeView;
  showEvictionOrder: boolean;
  /** The label holding the node name on cAdvisor's series. */
  nodeLabel: string;
  thresholds: EvictionThresholds;
  matchers: NodeMatchers;
}

/** Runs one view: fetch what it plots, derive, build frames. Each view's, in its module under src/views/. */
export type Runner = (client: QueryClient, req: RunRequest) => Promise<DataFrame[]>;
