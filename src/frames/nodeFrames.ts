import { DataFrame, FieldConfig, FieldType, MappingType, QueryResultMetaNotice, createDataFrame } from '@grafana/data';

import { RankedPod } from '../memory/evictionOrder';
import { NodeBreakdown, NodeMemory, NodeSignal, OwnerSplit } from '../memory/nodes';
import { Sample } from '../memory/series';
import { MEANING_COLOUR } from './colours';
import { GroupField, GroupFrameContext, colourOf, groupField, groupFrame } from './fields';

export const FIELD_WORKING_SET = 'working set';
export const FIELD_REAL_USED = 'real used';
export const FIELD_ACTIVE_FILE = 'active file';
export const FIELD_CAPACITY = 'capacity';
export const FIELD_ALLOCATABLE = 'allocatable';
export const FIELD_EVICTION = 'eviction threshold';
export const FIELD_SOFT_EVICTION = 'soft eviction threshold';
export const FIELD_ROOM = "room before eviction (kubelet's view)";
export const FIELD_CACHE_SHARE = "page cache share of the kubelet's signal";
export const FIELD_RANK = 'eviction rank';
export const FIELD_REQUEST = 'memory request';
export const FIELD_ABOVE_REQUEST = 'working set − request';
export const FIELD_EXCEEDS = 'above its request';

const BYTES: FieldConfig = { unit: 'bytes', min: 0 };
const dashed = (color: string, dash: number[]): FieldConfig => ({
  color: { mode: 'fixed', fixedColor: color },
  custom: { lineStyle: { fill: 'dash', dash }, lineWidth: 2, fillOpacity: 0, stacking: { mode: 'none' } },
});

const DESCRIPTION = {
  workingSet:
    "root cgroup's usage − inactive file: the kubelet's eviction signal is capacity − this; holds active page cache",
  realUsed: 'working set − active file: what stays once the kernel reclaims page cache',
  capacity: 'machine_memory_bytes (cAdvisor), else kube_node_status_capacity (kube-state-metrics)',
  allocatable:
    'kube_node_status_allocatable: capacity − kube/system reserved − the hard eviction threshold; what pods may request',
  eviction: (what: string) => `capacity − ${what}: the kubelet evicts pods when working set rises above this line`,
  softEviction: (what: string) => `capacity − ${what}: above this line for the grace period, the kubelet evicts pods`,
};

/** What every node frame needs to say about the thresholds, e.g. "evictionHard 100Mi". */
export interface ThresholdText {
  hard: string;
  soft?: string;
}

/** View "nodes", memory: one frame per node, the kubelet's signal and real used against the lines that matter. */
export function nodeMemoryFrame(ctx: GroupFrameContext, node: NodeMemory, thresholds: ThresholdText): DataFrame {
  const fields: GroupField[] = [
    groupField(ctx, FIELD_WORKING_SET, node.workingSet, {
      ...BYTES,
      ...colourOf('workingSet'),
      description: DESCRIPTION.workingSet,
    }),
    groupField(ctx, FIELD_REAL_USED, node.realUsed, {
      ...BYTES,
      ...colourOf('realUsed'),
      description: DESCRIPTION.realUsed,
    }),
  ];
  if (node.capacity) {
    fields.push(
      groupField(ctx, FIELD_CAPACITY, node.capacity, {
        ...BYTES,
        description: DESCRIPTION.capacity,
        color: { mode: 'fixed', fixedColor: 'text' },
        // A reference, not a measurement: dash-dot, apart from allocatable's dots and the thresholds' dashes.
        custom: { lineWidth: 1, lineStyle: { fill: 'dash', dash: [10, 5, 2, 5] } },
      })
    );
  }
  fields.push(...lineFields(ctx, node, thresholds));
  return groupFrame(ctx, fields);
}

/** Allocatable, the eviction threshold (dashed) and the soft one when set; lines that never stack. */
function lineFields(
  ctx: GroupFrameContext,
  node: Pick<NodeMemory, 'allocatable' | 'evictionThreshold' | 'softEvictionThreshold'>,
  thresholds: ThresholdText
): GroupField[] {
  const fields: GroupField[] = [];
  if (node.allocatable) {
    fields.push(
      groupField(ctx, FIELD_ALLOCATABLE, node.allocatable, {
        ...BYTES,
        ...dashed('text', [2, 4]),
        description: DESCRIPTION.allocatable,
      })
    );
  }
  fields.push(
    groupField(ctx, FIELD_EVICTION, node.evictionThreshold, {
      ...BYTES,
      ...dashed(MEANING_COLOUR.limit, [10, 6]),
      description: DESCRIPTION.eviction(thresholds.hard),
    })
  );
  if (node.softEvictionThreshold && thresholds.soft) {
    fields.push(
      groupField(ctx, FIELD_SOFT_EVICTION, node.softEvictionThreshold, {
        ...BYTES,
        ...dashed(MEANING_COLOUR.request, [10, 6]),
        description: DESCRIPTION.softEviction(thresholds.soft),
      })
    );
  }
  return fields;
}

/**
 * View "nodes", breakdown: anon, other (kernel), active file — whose top is the kubelet's working
 * set — inactive file and free, stacked to capacity; allocatable and the eviction thresholds as
 * lines over the stack. Where the pods' cgroup is exported, anon and active file are split
 * into pods and system.
 */
export function nodeBreakdownFrame(ctx: GroupFrameContext, node: NodeBreakdown, thresholds: ThresholdText): DataFrame {
  const layer = (name: string, values: Sample[], color: string, description: string, fillOpacity = 60) =>
    groupField(ctx, name, values, {
      ...BYTES,
      description,
      color: { mode: 'fixed', fixedColor: color },
      custom: { stacking: { mode: 'normal', group: ctx.legend }, fillOpacity, lineWidth: 1 },
    });
  const split = (
    name: string,
    whole: Sample[],
    parts: OwnerSplit | undefined,
    colors: string[],
    description: string
  ) =>
    parts
      ? [
          layer(`${name} (pods)`, parts.pods, colors[0], `${description}, in the pods' cgroup`),
          layer(
            `${name} (system)`,
            parts.system,
            colors[1],
            `${description}, outside the pods: system.slice, other slices, kernel`
          ),
        ]
      : [layer(name, whole, colors[0], description)];
  return groupFrame(ctx, [
    ...split(
      'anon',
      node.anon,
      node.split?.anon,
      [MEANING_COLOUR.anon, 'semi-dark-yellow'],
      'anonymous memory (RSS): heap, stacks'
    ),
    layer('other (kernel)', node.other, MEANING_COLOUR.other, 'usage − anon − file LRU: kernel memory, shmem/tmpfs'),
    ...split(
      FIELD_ACTIVE_FILE,
      node.activeFile,
      node.split?.activeFile,
      [MEANING_COLOUR.activeFile, 'semi-dark-blue'],
      "page cache used recently: counted in the kubelet's working set, yet reclaimable"
    ),
    layer(
      'inactive file',
      node.inactiveFile,
      MEANING_COLOUR.inactiveFile,
      'page cache not used recently; reclaimed first, outside working set'
    ),
    layer('free', node.free, 'green', 'capacity − usage', 10),
    ...lineFields(ctx, node, thresholds),
  ]);
}

export interface NodeRow {
  labels: Record<string, string>;
  signal: NodeSignal;
}

/**
 * View "nodes", table: one row per node at the end of the range, closest to eviction first.
 * Label columns empty in every row (e.g. cluster) are left out.
 */
export function nodeTableFrame(
  refId: string,
  labelNames: string[],
  rows: NodeRow[],
  thresholds: ThresholdText,
  notices: QueryResultMetaNotice[],
  executedQueryString: string
): DataFrame {
  const sorted = [...rows].sort(
    (a, b) => (a.signal.roomBeforeEviction ?? Infinity) - (b.signal.roomBeforeEviction ?? Infinity)
  );
  const number = (name: string, pick: (s: NodeSignal) => Sample, config: FieldConfig) => ({
    name,
    type: FieldType.number,
    values: sorted.map((r) => pick(r.signal)),
    config,
  });
  return createDataFrame({
    refId,
    name: 'nodes',
    fields: [
      ...labelColumns(labelNames, sorted),
      number(FIELD_WORKING_SET, (s) => s.workingSet, { unit: 'bytes', description: DESCRIPTION.workingSet }),
      number(FIELD_REAL_USED, (s) => s.realUsed, { unit: 'bytes', description: DESCRIPTION.realUsed }),
      number(FIELD_ACTIVE_FILE, (s) => s.activeFile, {
        unit: 'bytes',
        description: "page cache used recently: in the kubelet's working set, yet reclaimable",
      }),
      number(FIELD_CAPACITY, (s) => s.capacity, { unit: 'bytes', description: DESCRIPTION.capacity }),
      number(FIELD_ROOM, (s) => s.roomBeforeEviction, {
        unit: 'bytes',
        description: `capacity − ${thresholds.hard} − working set: how much working set may still grow before the kubelet evicts; negative = evicting`,
        noValue: 'no capacity',
      }),
      number(FIELD_CACHE_SHARE, (s) => s.pageCacheShare, {
        unit: 'percent',
        min: 0,
        max: 100,
        decimals: 1,
        description: 'active file / working set: how much of what the kubelet counts against the node is page cache',
      }),
    ],
    meta: { preferredVisualisationType: 'table', notices, executedQueryString },
  });
}

/** The eviction-order table: pods of the selected nodes, first to go first. */
export function evictionOrderFrame(
  refId: string,
  labelNames: string[],
  pods: RankedPod[],
  notices: QueryResultMetaNotice[],
  executedQueryString: string
): DataFrame {
  const column = <T>(pick: (p: RankedPod) => T) => pods.map(pick);
  return createDataFrame({
    refId,
    name: 'eviction order',
    fields: [
      {
        name: FIELD_RANK,
        type: FieldType.number,
        values: column((p) => p.rank),
        config: { decimals: 0, description: '1 = evicted first on its node' },
      },
      ...labelColumns(labelNames, pods),
      {
        name: FIELD_WORKING_SET,
        type: FieldType.number,
        values: column((p) => p.workingSet),
        config: {
          unit: 'bytes',
          description: "the pod's working set: the usage the kubelet ranks by; page cache included",
        },
      },
      {
        name: FIELD_REQUEST,
        type: FieldType.number,
        values: column((p) => p.request),
        config: {
          unit: 'bytes',
          noValue: 'none',
          description: "sum of the containers' memory requests (kube-state-metrics)",
        },
      },
      {
        name: FIELD_ABOVE_REQUEST,
        type: FieldType.number,
        values: column((p) => p.aboveRequest),
        config: {
          unit: 'bytes',
          description: 'how far above its request (request 0 when unset); the kubelet evicts the largest first',
        },
      },
      {
        name: FIELD_EXCEEDS,
        type: FieldType.string,
        values: column((p) => (p.exceedsRequest ? 'yes' : 'no')),
        config: {
          description: 'pods above their request are evicted before any pod within its request',
          mappings: [
            {
              type: MappingType.ValueToText,
              options: { yes: { color: 'orange', index: 0 }, no: { color: 'green', index: 1 } },
            },
          ],
          custom: { cellOptions: { type: 'color-text' } },
        },
      },
      {
        name: FIELD_REAL_USED,
        type: FieldType.number,
        values: column((p) => p.realUsed),
        config: {
          unit: 'bytes',
          description: 'working set − active file: what the pod would keep once page cache is reclaimed',
        },
      },
    ],
    meta: { preferredVisualisationType: 'table', notices, executedQueryString },
  });
}

function labelColumns(labelNames: string[], rows: Array<{ labels: Record<string, string> }>) {
  return labelNames
    .filter((name) => rows.length === 0 || rows.some((r) => (r.labels[name] ?? '') !== ''))
    .map((name) => ({ name, type: FieldType.string, values: rows.map((r) => r.labels[name] ?? ''), config: {} }));
}
