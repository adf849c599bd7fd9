/**
 * Leak or cache? One verdict per container over the selected range, saying what grew.
 *
 * Inputs are aligned series (one timestamp array, values null where missing):
 *   anon        = container_memory_rss                 (the program's own memory: heap, stacks)
 *   real used   = usage − active_file − inactive_file  (what the kernel cannot simply drop)
 *   kernel      = real used − anon, floored at 0       (slab, sockets, tmpfs/shmem: not the heap)
 *   file cache  = active_file + inactive_file           (reclaimable page cache)
 *   working set = usage − inactive_file                 (what kubectl top and eviction see)
 * plus the memory limit and, where the kernel reports it, PSI memory pressure (pressure.ts).
 *
 * Method
 * 1. Runs: restarts split the range (restarts.ts). The latest run of at least MIN_FIT_MINUTES and
 *    MIN_POINTS points is fitted, so "grew, was OOM-killed, grew again" reads as growth and the
 *    drop of a restart never reads as shrinking. Without such a run: "too short to tell".
 * 2. Each of anon, kernel, file cache and real used is judged on its floor (growth.ts): growing
 *    with 99.9% confidence in each half of the span, not slowing to less than half its pace (a
 *    warm-up), and big enough (≥ 10 MiB/h and ≥ 10% of its mean over the span).
 * 3. Verdict, first match:
 *      pressure ≥ THRASHING_PRESSURE with usage at the limit  → page cache thrashing: memory pressure N%
 *      anon growing                                           → anon memory growing: possible leak
 *      kernel growing                                         → kernel memory growing
 *      working set near the limit repeatedly (or mostly)      → page cache cycling at the limit: not a leak
 *      file cache growing                                     → page cache growing: not a leak
 *      otherwise                                              → stable
 *    Thrashing comes first whatever real used does: the limit is too tight for the files in use.
 *    When anon grows as well, a note says so.
 * 4. Time to limit, when anon or kernel memory grows and a limit is known: (limit − fitted floor of
 *    real used at the end) / its slope, 0 when already there.
 *
 * Without anon (no container_memory_rss), real used is judged in its place and a note says so.
 * Pure: no Grafana imports.
 */
import { Growth, judgeGrowth, MIN_GROWTH_BYTES_PER_HOUR, MIN_RELATIVE_RISE } from './growth';
import { lastLimit, Limit, nearLimit } from './nearLimit';
import { meanPressure, NOTE_NO_PSI, THRASHING_PRESSURE } from './pressure';
import { segmentStarts } from './restarts';
import { Sample } from './series';

/**
 * 16 points: each half of the span needs 8 for its growth to reach 99.9% confidence even when
 * every point rises (growth.ts). Coroot asks for 10.
 */
export const MIN_POINTS = 16;
/**
 * 20 minutes: the later half (10 minutes) must hold several GC cycles and scrapes, and a service
 * warming up (JIT, caches, pools) takes minutes. Shorter spans cannot tell a leak from start-up.
 */
export const MIN_FIT_MINUTES = 20;
/** Near the limit at least twice in the span (and back below 80% between) is "repeatedly". */
export const MIN_LIMIT_EPISODES = 2;
/** …or near it for at least half the points: a cache pinned at the limit, reclaimed continuously. */
export const MIN_AT_LIMIT_SHARE = 0.5;

// Shipped verdicts never change: dashboards, alerts and value mappings match them.
export const VERDICT_LEAK = 'anon memory growing: possible leak';
export const VERDICT_KERNEL = 'kernel memory growing';
export const VERDICT_CACHE = 'page cache growing: not a leak';
export const VERDICT_CYCLING = 'page cache cycling at the limit: not a leak';
export const VERDICT_THRASHING_PREFIX = 'page cache thrashing';
export const VERDICT_STABLE = 'stable';
export const VERDICT_TOO_SHORT_PREFIX = 'too short to tell';
export const VERDICT_NO_DATA = 'not enough data';

export type ThrashingVerdict = `${typeof VERDICT_THRASHING_PREFIX}: memory pressure ${number}%`;
export type TooShortVerdict = `${typeof VERDICT_TOO_SHORT_PREFIX} (fitted ${number} min)`;
export type Verdict =
  | typeof VERDICT_LEAK
  | typeof VERDICT_KERNEL
  | typeof VERDICT_CACHE
  | typeof VERDICT_CYCLING
  | ThrashingVerdict
  | typeof VERDICT_STABLE
  | TooShortVerdict
  | typeof VERDICT_NO_DATA;

/** "page cache thrashing: memory pressure 23%" for a pressure of 0.23. */
export function verdictThrashing(pressure: number): ThrashingVerdict {
  return `${VERDICT_THRASHING_PREFIX}: memory pressure ${Math.round(pressure * 100)}%`;
}

/** "too short to tell (fitted 9 min)" for a fitted span of 9 minutes (rounded down). */
export function verdictTooShort(spanSeconds: number): TooShortVerdict {
  return `${VERDICT_TOO_SHORT_PREFIX} (fitted ${Math.floor(spanSeconds / 60)} min)`;
}

const HOUR_MS = 3_600_000;
const MIB = 1024 * 1024;

export interface LeakInput {
  /** Epoch milliseconds, ascending. */
  times: number[];
  /** usage − active file − inactive file, bytes. */
  realUsed: Sample[];
  /** active file + inactive file, bytes. */
  fileCache: Sample[];
  /** container_memory_rss, bytes; without it real used is judged as a whole. */
  anon?: Sample[] | null;
  /** container_memory_working_set_bytes; without it "cycling at the limit" is not judged. */
  workingSet?: Sample[] | null;
  /** Memory limit in bytes, per point or one value; null/0/missing = no limit. */
  limit?: Limit;
  /**
   * PSI "some" memory pressure per point: the share of time in [0, 1] at least one task waited
   * for memory, i.e. rate(container_pressure_memory_waiting_seconds_total[w]). Null/undefined
   * when there are no PSI series (cgroup v1, kubelet < 1.34): pressure is then unknown, not 0.
   */
  pressure?: Sample[] | null;
}

export interface LeakResult {
  verdict: Verdict;
  /** Slopes of the floors (growth.ts), bytes per hour; null when there was nothing to fit. */
  anonSlope: number | null;
  /** Kernel = real used − anon; null without anon. */
  kernelSlope: number | null;
  fileCacheSlope: number | null;
  realUsedSlope: number | null;
  /** R² of the anon floor (real used without anon) about its line, in [0, 1]. */
  fitQuality: number | null;
  /** Epoch ms of the first point fitted (after the last restart). */
  fittedFrom: number | null;
  /** Seconds from the first to the last point fitted. */
  fittedSpan: number | null;
  /** Seconds until real used reaches the limit, null when no limit or not growing. */
  timeToLimit: number | null;
  /** Restarts detected in the range. */
  restarts: number;
  /** Mean PSI "some" share over the fitted span, 0–1; null when unknown. */
  memoryPressure: number | null;
  /** Why a figure is missing or what the verdict rests on, in words for the user. */
  notes: string[];
}

interface Run {
  from: number;
  /** Exclusive. */
  to: number;
  points: number;
  spanMs: number;
}

/** Runs between restarts, trimmed to their first and last point with a value. */
function runsOf(times: number[], values: Sample[]): Run[] {
  const starts = segmentStarts(values);
  return starts.map((start, k) => {
    const end = k + 1 < starts.length ? starts[k + 1] : times.length;
    let from = -1;
    let last = -1;
    let points = 0;
    for (let i = start; i < end; i++) {
      if (values[i] !== null && values[i] !== undefined) {
        from = from < 0 ? i : from;
        last = i;
        points++;
      }
    }
    return from < 0
      ? { from: start, to: start, points: 0, spanMs: 0 }
      : { from, to: last + 1, points, spanMs: times[last] - times[from] };
  });
}

const long = (r: Run) => r.points >= MIN_POINTS && r.spanMs >= MIN_FIT_MINUTES * 60_000;

function difference(a: Sample[], b: Sample[]): Sample[] {
  return a.map((v, i) => {
    const w = b[i];
    return v === null || v === undefined || w === null || w === undefined ? null : Math.max(0, v - w);
  });
}

function sum(a: Sample[], b: Sample[]): Sample[] {
  return a.map((v, i) => {
    const w = b[i];
    return v === null || v === undefined || w === null || w === undefined ? null : v + w;
  });
}

/** In MiB as the charts and the leak-check table show bytes (IEC): "12.3 MiB/h". */
const perHour = (bytes: number) => `${(bytes / MIB).toFixed(1)} MiB/h`;

/** Why a series that rose is not called growing, for the notes; undefined when nothing to say. */
function whyNot(name: string, g: Growth | null): string | undefined {
  if (!g || g.growing) {
    return undefined;
  }
  if (g.why === 'levelled off') {
    return `${name} grew early and levelled off (start-up or warm-up): not counted as growth`;
  }
  if (g.why === 'only lately') {
    return `${name} grows only in the later half of the span: too recent to call; look again later`;
  }
  if (g.why === 'too small') {
    return (
      `${name} grows ${perHour(g.slope)}: below ${MIN_GROWTH_BYTES_PER_HOUR / MIB} MiB/h or ` +
      `${MIN_RELATIVE_RISE * 100}% of its level over the span`
    );
  }
  return undefined;
}

export function leakVerdict(input: LeakInput): LeakResult {
  const { times, realUsed, fileCache } = input;
  const notes: string[] = [];
  const runs = runsOf(times, realUsed);
  const restarts = runs.length - 1;
  const result = (r: Partial<LeakResult> & Pick<LeakResult, 'verdict'>): LeakResult => ({
    anonSlope: null,
    kernelSlope: null,
    fileCacheSlope: null,
    realUsedSlope: null,
    fitQuality: null,
    fittedFrom: null,
    fittedSpan: null,
    timeToLimit: null,
    restarts,
    memoryPressure: null,
    notes,
    ...r,
  });

  const total = runs.reduce((n, r) => n + r.points, 0);
  if (total < MIN_POINTS) {
    notes.push(`fewer than ${MIN_POINTS} points of real used in the range`);
    return result({ verdict: VERDICT_NO_DATA });
  }
  const latest = [...runs].reverse().find(long);
  const run = latest ?? runs.reduce((a, b) => (b.spanMs > a.spanMs ? b : a));
  if (latest && latest !== runs[runs.length - 1]) {
    notes.push(`the run after the last restart is shorter than ${MIN_FIT_MINUTES} min; fitted the one before it`);
  }
  const { from, to } = run;
  const x = times.map((t) => (t - times[from]) / HOUR_MS);

  // An anon series without a sample in the fitted span is no better than none.
  const anon = input.anon?.slice(from, to).some((v) => v !== null && v !== undefined) ? input.anon : null;
  if (!anon) {
    notes.push('no anon series (container_memory_rss): real used judged as a whole');
  }
  const anonGrowth = judgeGrowth(x, anon ?? realUsed, from, to);
  const kernelGrowth = anon ? judgeGrowth(x, difference(realUsed, anon), from, to) : null;
  const cacheGrowth = judgeGrowth(x, fileCache, from, to);
  const realGrowth = judgeGrowth(x, realUsed, from, to);
  const pressure = meanPressure(input.pressure, from, to);
  if (pressure === null) {
    notes.push(NOTE_NO_PSI);
  }
  const figures = {
    anonSlope: anonGrowth?.slope ?? null,
    kernelSlope: kernelGrowth?.slope ?? null,
    fileCacheSlope: cacheGrowth?.slope ?? null,
    realUsedSlope: realGrowth?.slope ?? null,
    fitQuality: anonGrowth?.quality ?? null,
    fittedFrom: times[from],
    fittedSpan: run.spanMs / 1000,
    memoryPressure: pressure,
  };
  if (run.spanMs < MIN_FIT_MINUTES * 60_000) {
    if (restarts > 0) {
      notes.push(`${restarts} restarts: no run between them lasted ${MIN_FIT_MINUTES} min`);
    }
    return result({ verdict: verdictTooShort(run.spanMs / 1000), ...figures });
  }
  if (run.points < MIN_POINTS) {
    notes.push(`fewer than ${MIN_POINTS} points of real used in the fitted span`);
    return result({ verdict: VERDICT_NO_DATA, ...figures });
  }
  if (!cacheGrowth) {
    notes.push('file cache: too few points for a trend');
  }

  const limit = lastLimit(input.limit, from, to);
  const usageNearLimit = nearLimit(sum(realUsed, fileCache), input.limit, from, to);
  const workingSetNearLimit = input.workingSet ? nearLimit(input.workingSet, input.limit, from, to) : null;
  const cycling =
    workingSetNearLimit !== null &&
    (workingSetNearLimit.episodes >= MIN_LIMIT_EPISODES || workingSetNearLimit.share >= MIN_AT_LIMIT_SHARE);
  const anonName = anon ? 'anon memory' : 'real used';

  let verdict: Verdict;
  if (pressure !== null && pressure >= THRASHING_PRESSURE && usageNearLimit.episodes > 0) {
    verdict = verdictThrashing(pressure);
    if (anonGrowth?.growing) {
      notes.push(`${anonName} is growing too (${perHour(anonGrowth.slope)}): a leak may be what fills the limit`);
    }
  } else if (anonGrowth?.growing) {
    verdict = VERDICT_LEAK;
  } else if (kernelGrowth?.growing) {
    verdict = VERDICT_KERNEL;
  } else if (cycling) {
    verdict = VERDICT_CYCLING;
  } else if (cacheGrowth?.growing) {
    verdict = VERDICT_CACHE;
  } else {
    verdict = VERDICT_STABLE;
  }
  for (const note of [whyNot(anonName, anonGrowth), whyNot('kernel memory', kernelGrowth)]) {
    if (note) {
      notes.push(note);
    }
  }
  if (pressure === null && usageNearLimit.episodes > 0 && verdict !== VERDICT_LEAK) {
    notes.push('at the limit without PSI: thrashing cannot be ruled out');
  }

  let timeToLimit: number | null = null;
  if (limit === null) {
    notes.push('no memory limit: no time to limit');
  } else if ((verdict === VERDICT_LEAK || verdict === VERDICT_KERNEL) && realGrowth && realGrowth.slope > 0) {
    timeToLimit = Math.max(0, ((limit - realGrowth.levelAtEnd) / realGrowth.slope) * 3600);
  }
  return result({ verdict, ...figures, timeToLimit });
}
