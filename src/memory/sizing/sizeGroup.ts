/**
 * Right-sizing one group (container, pod or workload): what its memory request and limit should
 * be by real used, beside what VPA and KRR would set by the working set and by real used.
 *
 *   real used   = usage − active file − inactive file  (what the kernel cannot simply drop)
 *   working set = usage − inactive file                (what VPA, Goldilocks and KRR size on; it
 *                                                       still counts active page cache)
 *
 * Method
 * 1. Peaks: one per day, or per hour under two days (peaks.ts), of each series. After OOM kills,
 *    one bumped peak per kill as VPA records it (oomBump.ts), for the VPA figures only: KRR does
 *    not bump by default (krr.ts).
 * 2. Figures: VPA (vpa.ts) and KRR (krr.ts) on the working set and on real used.
 * 3. Recommendation: request = VPA target on real used, limit = VPA upper bound on real used.
 *    Real used because the kernel reclaims page cache at the limit before it kills anything
 *    (headroom.ts): sizing by working set reserves cache most containers can do without. The
 *    upper bound as the limit: room for the 95th-percentile window with VPA's 15% margin.
 *    Where the cache is needed — PSI "some" pressure near the limit ≥ THRASHING_PRESSURE
 *    (pressure.ts), or the leak check says page cache thrashing — less cache would slow the
 *    container down, so the limit stays at or above the VPA upper bound on the working set.
 *    Never below the floor (vpa.ts); request ≤ limit always.
 * 4. Status, first match:
 *      no real-used peak           → noData: no figures
 *      the leak check says leak    → leaking: never less than the current request or limit;
 *                                    growth makes every peak too low by the time it is applied
 *      span < MIN_SIZING_HOURS     → tooShort: figures given, a day's cycle not yet seen
 *      otherwise                   → ok
 * reservedForPageCache = max(0, VPA target on working set − VPA target on real used): what sizing
 * by working set, as VPA does, requests for page cache.
 *
 * Pure: no Grafana imports, no PromQL: numbers in, numbers out.
 */
import { VERDICT_LEAK, VERDICT_THRASHING_PREFIX, Verdict } from '../leakVerdict';
import { THRASHING_PRESSURE } from '../pressure';
import { Sample } from '../series';
import { Krr, krrMemory } from './krr';
import { withOomPeaks } from './oomBump';
import { peakWindowHours, validPeaks, windowWord } from './peaks';
import { DEFAULT_FLOOR_BYTES, Vpa, vpaMemory } from './vpa';

const MIB = 1024 * 1024;

/** A day: shorter data has not seen a daily cycle (nightly batch, backups, traffic peak). */
export const MIN_SIZING_HOURS = 24;

export const REASON_LEAKING = 'leaking: fix before sizing';
export const REASON_NO_DATA = 'no peaks of real used in the range';
export const REASON_BY_REAL_USED_PREFIX = 'by real used';
export const REASON_CACHE_NEEDED_PREFIX = 'page cache needed';

export type TooShortReason = `too short to size (${number} h)`;

/** "too short to size (17 h)" for a span of 17.8 hours (rounded down, as the leak check does). */
export function reasonTooShort(spanHours: number): TooShortReason {
  return `too short to size (${Math.floor(Math.max(0, spanHours))} h)`;
}

export interface SizingInput {
  /** Working-set peak per window (max_over_time), bytes; null where a window had no sample. */
  workingSetPeaks: readonly Sample[];
  /** Real-used peak per window, bytes; same windows. */
  realUsedPeaks: readonly Sample[];
  /** Current memory request, bytes; undefined when none is set or known. */
  currentRequest: number | undefined;
  /** Current memory limit, bytes; undefined or ≤ 0 (cAdvisor's "unlimited") when none. */
  currentLimit: number | undefined;
  oomKills: {
    count: number;
    /** Working set at each kill, bytes, where known; else the highest working-set peak. */
    workingSetAtKill?: readonly Sample[];
    /** Real used at each kill, bytes, where known; else the highest real-used peak. */
    realUsedAtKill?: readonly Sample[];
  };
  /** The leak check's verdict over the range (leakVerdict.ts); null when it did not run. */
  leakVerdict: Verdict | null;
  /**
   * PSI "some" memory pressure while near the limit: the share of time in [0, 1] at least one
   * task waited for memory. Null when unknown (no PSI series), never 0.
   */
  pressureNearLimit: number | null;
  /** Hours from the first to the last sample of real used in the range. */
  spanHours: number;
}

export interface SizingOptions {
  /** Lowest request and limit to recommend, bytes; default 250 MiB (VPA's pod minimum), 0 allowed. */
  floor?: number;
}

export interface Recommendation {
  /** Bytes; ≥ the floor. */
  request: number;
  /** Bytes, ≥ request; null only for a leaking group without a limit: keep it unlimited. */
  limit: number | null;
}

export type SizingStatus = 'ok' | 'tooShort' | 'leaking';

export interface CurrentResources {
  request: number | undefined;
  limit: number | undefined;
}

export interface Sized {
  status: SizingStatus;
  /** One line for the table: the status for tooShort and leaking, else how the figures came. */
  reason: string;
  /** Each adjustment made, in words for the user. */
  notes: string[];
  recommended: Recommendation;
  /** Null without a working-set peak. */
  vpaWorkingSet: Vpa | null;
  krrWorkingSet: Krr | null;
  vpaRealUsed: Vpa;
  krrRealUsed: Krr;
  /** Bytes; null without a working-set peak. */
  reservedForPageCache: number | null;
  /** Pressure or thrashing said the page cache is needed: the limit was kept at the working set. */
  cacheNeeded: boolean;
  current: CurrentResources;
  /** The window the peaks were asked for, hours (peaks.ts). */
  peakWindowHours: number;
}

export interface NotSized {
  status: 'noData';
  reason: typeof REASON_NO_DATA;
  current: CurrentResources;
}

export type Sizing = Sized | NotSized;

const mib = (bytes: number) => `${Math.round(bytes / MIB)} MiB`;
const isLeak = (v: Verdict | null) => v === VERDICT_LEAK;
const isThrashing = (v: Verdict | null) => v !== null && v.startsWith(VERDICT_THRASHING_PREFIX);
const known = (v: number | undefined): v is number => v !== undefined && Number.isFinite(v);

/** Why the page cache is needed, or undefined when nothing says it is. */
function cacheNeed(input: SizingInput): string | undefined {
  const p = input.pressureNearLimit;
  if (p !== null && Number.isFinite(p) && p >= THRASHING_PRESSURE) {
    return `memory pressure ${Math.round(p * 100)}% near the limit`;
  }
  return isThrashing(input.leakVerdict) ? 'page cache thrashing' : undefined;
}

export function sizeGroup(input: SizingInput, options: SizingOptions = {}): Sizing {
  // NaN or negative counts as 0: no floor, never a negative one.
  const floor = options.floor === undefined ? DEFAULT_FLOOR_BYTES : Math.max(0, options.floor || 0);
  const current = { request: input.currentRequest, limit: input.currentLimit };
  const realPeaks = validPeaks(input.realUsedPeaks);
  const wsPeaks = validPeaks(input.workingSetPeaks);
  const kills = Math.max(0, Math.floor(input.oomKills.count));
  // Sized on real used: without a real-used peak there is nothing to size, whatever else is known.
  const vpaRealUsed = vpaMemory(
    withOomPeaks(realPeaks, { count: kills, usedAtKill: input.oomKills.realUsedAtKill }),
    floor
  );
  const krrRealUsed = krrMemory(realPeaks);
  if (!vpaRealUsed || !krrRealUsed) {
    return { status: 'noData', reason: REASON_NO_DATA, current };
  }
  const vpaWorkingSet = vpaMemory(
    withOomPeaks(wsPeaks, { count: kills, usedAtKill: input.oomKills.workingSetAtKill }),
    floor
  );
  const krrWorkingSet = krrMemory(wsPeaks);
  const window = peakWindowHours(input.spanHours);

  const notes = [`${REASON_BY_REAL_USED_PREFIX}: VPA method on ${windowWord(window)} peaks`];
  if (kills > 0) {
    notes.push(`${kills} OOM kill${kills === 1 ? '' : 's'}: peaks bumped as VPA does`);
  }
  let request = vpaRealUsed.target;
  let limit: number | null = vpaRealUsed.upperBound;
  if (floor > 0 && request <= floor) {
    notes.push(`request at the ${mib(floor)} floor`);
  }

  const need = cacheNeed(input);
  if (need !== undefined && vpaWorkingSet) {
    limit = Math.max(limit, vpaWorkingSet.upperBound);
    notes.push(`${REASON_CACHE_NEEDED_PREFIX} (${need}): limit kept at the working set's upper bound`);
  } else if (need !== undefined) {
    notes.push(`${REASON_CACHE_NEEDED_PREFIX} (${need}), but no working-set peaks: limit by real used`);
  }

  const leaking = isLeak(input.leakVerdict);
  if (leaking) {
    if (known(current.request) && current.request > request) {
      request = current.request;
      notes.push('leaking: request kept at the current one');
    }
    if (!known(current.limit) || current.limit <= 0) {
      limit = null;
      notes.push('leaking: no limit set, none recommended');
    } else if (current.limit > limit) {
      limit = current.limit;
      notes.push('leaking: limit kept at the current one');
    }
  }
  if (limit !== null) {
    limit = Math.max(limit, request);
  }

  const status: SizingStatus = leaking ? 'leaking' : input.spanHours < MIN_SIZING_HOURS ? 'tooShort' : 'ok';
  const reason =
    status === 'leaking' ? REASON_LEAKING : status === 'tooShort' ? reasonTooShort(input.spanHours) : notes.join('; ');
  return {
    status,
    reason,
    notes,
    recommended: { request, limit },
    vpaWorkingSet,
    krrWorkingSet,
    vpaRealUsed,
    krrRealUsed,
    reservedForPageCache: vpaWorkingSet ? Math.max(0, vpaWorkingSet.target - vpaRealUsed.target) : null,
    cacheNeeded: need !== undefined && vpaWorkingSet !== null,
    current,
    peakWindowHours: window,
  };
}
