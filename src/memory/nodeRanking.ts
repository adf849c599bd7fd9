import { EvictionThreshold, evictionLine } from './quantity';
import { Sample } from './series';

/**
 * Top N of the nodes view: the nodes closest to a kubelet eviction first. A node's room before
 * eviction at an instant is its eviction threshold (capacity − evictionHard) minus its root
 * working set; a node is ranked by that room at its lowest in the range, so a node that came
 * close an hour ago is not hidden by a quiet last minute. Nodes without a capacity have no
 * threshold: they come after, by most working set at its peak. Pure: no Grafana imports.
 */
export interface NodeSeries {
  workingSet: Sample[];
  capacity?: Sample[];
}

export interface NodeRoom {
  /** The lowest room before eviction over the points, bytes; null when never known. */
  lowestRoom: number | null;
  peakWorkingSet: number | null;
}

export function nodeRoom(node: NodeSeries, hard: EvictionThreshold): NodeRoom {
  let lowestRoom: number | null = null;
  let peakWorkingSet: number | null = null;
  node.workingSet.forEach((ws, i) => {
    if (ws === null) {
      return;
    }
    peakWorkingSet = peakWorkingSet === null ? ws : Math.max(peakWorkingSet, ws);
    const line = evictionLine(node.capacity?.[i] ?? null, hard);
    if (line !== null) {
      lowestRoom = lowestRoom === null ? line - ws : Math.min(lowestRoom, line - ws);
    }
  });
  return { lowestRoom, peakWorkingSet };
}

export interface RankedNodes<T> {
  /** The first `topN` (all when topN is 0), least room first. */
  shown: T[];
  total: number;
  /** Of those shown, how many had no threshold to rank by. */
  unranked: number;
}

export function nodesByLeastRoom<T>(nodes: T[], roomOf: (node: T) => NodeRoom, topN: number): RankedNodes<T> {
  const rooms = new Map(nodes.map((n) => [n, roomOf(n)]));
  const byRoom = (a: T, b: T) => {
    const [ra, rb] = [rooms.get(a)!, rooms.get(b)!];
    if (ra.lowestRoom !== null || rb.lowestRoom !== null) {
      return ra.lowestRoom === null ? 1 : rb.lowestRoom === null ? -1 : ra.lowestRoom - rb.lowestRoom;
    }
    return (rb.peakWorkingSet ?? -Infinity) - (ra.peakWorkingSet ?? -Infinity);
  };
  const sorted = [...nodes].sort(byRoom);
  const shown = topN > 0 ? sorted.slice(0, topN) : sorted;
  return { shown, total: nodes.length, unranked: shown.filter((n) => rooms.get(n)!.lowestRoom === null).length };
}
