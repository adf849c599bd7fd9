import { deriveBreakdown, deriveRealVsWorkingSet } from './derive';
import { realUsed as realUsedOf } from './figures';
import { EvictionThreshold, evictionLine } from './quantity';
import { GroupSeries, Sample } from './series';

/**
 * A node as the kubelet sees it. The kubelet's eviction signal is
 *   memory.available = capacity − working set of the root cgroup
 * and it evicts when that falls below evictionHard, i.e. when the root working set rises above
 *   eviction threshold = capacity − evictionHard   (a percentage p: capacity × (1 − p)).
 * The root working set still holds active page cache (kubernetes/kubernetes#43916), so a node full
 * of recently read logs can evict pods for memory the kernel would reclaim. Real used (working
 * set − active file) is what would remain. Every figure is null where an input is missing.
 * Pure: no Grafana imports.
 */

export interface EvictionThresholds {
  hard: EvictionThreshold;
  soft?: EvictionThreshold;
}

export type CapacitySource = 'cAdvisor' | 'kube-state-metrics';

export interface NodeCapacity {
  /** Undefined when neither source has a series for the node. */
  capacity?: Sample[];
  sources: CapacitySource[];
}

/** Per timestamp: cAdvisor's machine_memory_bytes, else kube-state-metrics' capacity. */
export function chooseCapacity(machine: Sample[] | undefined, ksm: Sample[] | undefined): NodeCapacity {
  if (!machine && !ksm) {
    return { sources: [] };
  }
  const n = Math.max(machine?.length ?? 0, ksm?.length ?? 0);
  const used = new Set<CapacitySource>();
  const capacity = new Array<Sample>(n);
  for (let i = 0; i < n; i++) {
    const m = machine?.[i] ?? null;
    const k = ksm?.[i] ?? null;
    if (m !== null && m > 0) {
      used.add('cAdvisor');
      capacity[i] = m;
    } else if (k !== null && k > 0) {
      used.add('kube-state-metrics');
      capacity[i] = k;
    } else {
      capacity[i] = null;
    }
  }
  return { capacity, sources: Array.from(used) };
}

/** A plain loop: Array.from({ length: n }, f) is several times slower, and this runs per node and line. */
function lineOf(capacity: Sample[] | undefined, n: number, threshold: EvictionThreshold): Sample[] {
  const line = new Array<Sample>(n);
  for (let i = 0; i < n; i++) {
    line[i] = evictionLine(capacity?.[i] ?? null, threshold);
  }
  return line;
}

export interface NodeMemory {
  workingSet: Sample[];
  realUsed: Sample[];
  capacity?: Sample[];
  allocatable?: Sample[];
  evictionThreshold: Sample[];
  softEvictionThreshold?: Sample[];
}

/** The "memory" node view: the kubelet's signal (working set), real used, and the lines it is measured against. */
export function nodeMemory(
  root: GroupSeries,
  capacity: Sample[] | undefined,
  allocatable: Sample[] | undefined,
  thresholds: EvictionThresholds
): NodeMemory {
  const { workingSet, real } = deriveRealVsWorkingSet(root, 'realUsed');
  const n = root.timestamps.length;
  return {
    workingSet,
    realUsed: real,
    capacity,
    allocatable,
    evictionThreshold: lineOf(capacity, n, thresholds.hard),
    softEvictionThreshold: thresholds.soft ? lineOf(capacity, n, thresholds.soft) : undefined,
  };
}

/** A stacked layer split between the pods' cgroup and the rest of the node. */
export interface OwnerSplit {
  pods: Sample[];
  /** The root cgroup minus the pods: system.slice (kubelet, runtime), other slices, kernel. */
  system: Sample[];
}

export interface NodeBreakdown {
  /** anon + other + active file + inactive file + free = capacity (while usage ≤ capacity). */
  anon: Sample[];
  other: Sample[];
  activeFile: Sample[];
  inactiveFile: Sample[];
  free: Sample[];
  /** Where cAdvisor exports the pods' cgroup: anon and active file split by owner. */
  split?: { anon: OwnerSplit; activeFile: OwnerSplit };
  allocatable?: Sample[];
  evictionThreshold: Sample[];
  softEvictionThreshold?: Sample[];
}

const floorDiff = (a: Sample, b: Sample): Sample => (a === null || b === null ? null : Math.max(a - b, 0));

/**
 * The "breakdown" node view, stacked in the order that makes the kubelet's signal visible: anon,
 * other (kernel), active file — whose top is the root working set — then inactive file and free
 * memory up to capacity. The eviction threshold drawn over it is where the top of active file
 * must stay below. `pods` is the pods' cgroup (`/kubepods` or `/kubepods.slice`) when exported.
 */
export function nodeBreakdown(
  root: GroupSeries,
  pods: GroupSeries | undefined,
  capacity: Sample[] | undefined,
  allocatable: Sample[] | undefined,
  thresholds: EvictionThresholds
): NodeBreakdown {
  const b = deriveBreakdown(root);
  const n = root.timestamps.length;
  const usage = root.values.usage;
  const free = new Array<Sample>(n);
  for (let i = 0; i < n; i++) {
    free[i] = floorDiff(capacity?.[i] ?? null, usage?.[i] ?? null);
  }
  let split: NodeBreakdown['split'];
  if (pods) {
    const p = deriveBreakdown(alignTo(pods, root.timestamps));
    const owners = (node: Sample[], inPods: Sample[]): OwnerSplit => ({
      pods: inPods,
      system: node.map((v, i) => floorDiff(v, inPods[i])),
    });
    split = { anon: owners(b.anon, p.anon), activeFile: owners(b.activeFile, p.activeFile) };
  }
  return {
    anon: b.anon,
    other: b.other,
    activeFile: b.activeFile,
    inactiveFile: b.inactiveFile,
    free,
    split,
    allocatable,
    evictionThreshold: lineOf(capacity, n, thresholds.hard),
    softEvictionThreshold: thresholds.soft ? lineOf(capacity, n, thresholds.soft) : undefined,
  };
}

/** The group's values on another time axis (null where it has no sample). */
function alignTo(group: GroupSeries, timestamps: number[]): GroupSeries {
  // Groups on one step grid share their timestamps array (align.ts): nothing to move.
  if (group.timestamps === timestamps) {
    return group;
  }
  const index = new Map(group.timestamps.map((t, i) => [t, i]));
  const values: GroupSeries['values'] = {};
  for (const [metric, column] of Object.entries(group.values) as Array<[keyof GroupSeries['values'], Sample[]]>) {
    values[metric] = timestamps.map((t) => {
      const i = index.get(t);
      return i === undefined ? null : column[i];
    });
  }
  return { ...group, timestamps, values };
}

/** One node's row in the node table: its state at one instant. */
export interface NodeSignal {
  workingSet: Sample;
  realUsed: Sample;
  activeFile: Sample;
  capacity: Sample;
  /** Eviction threshold − working set: how much more working set the kubelet tolerates. Negative: evicting. */
  roomBeforeEviction: Sample;
  /**
   * The share of the kubelet's signal that is page cache, in percent:
   * (working set − real used) / working set, i.e. active file / working set, capped at 100%
   * (with estimated file-cache figures active file can exceed working set; real used is floored
   * at 0 the same way). Null when working set is 0 or unknown.
   */
  pageCacheShare: Sample;
}

export function nodeSignal(
  workingSet: Sample,
  activeFile: Sample,
  capacity: Sample,
  hard: EvictionThreshold
): NodeSignal {
  const realUsed = realUsedOf(workingSet, activeFile);
  const line = evictionLine(capacity, hard);
  return {
    workingSet,
    realUsed,
    activeFile,
    capacity,
    roomBeforeEviction: line === null || workingSet === null ? null : line - workingSet,
    pageCacheShare:
      workingSet === null || realUsed === null || workingSet <= 0 ? null : (100 * (workingSet - realUsed)) / workingSet,
  };
}
