/**
 * Memory pressure from PSI (pressure stall information): the share of time in which at least one
 * task of the container waited for memory ("some"), per point in [0, 1]. cAdvisor ≥ 0.52 exports
 * it on cgroup v2 as the counter container_pressure_memory_waiting_seconds_total; its rate() is
 * that share. cgroup v1 has no per-cgroup PSI, and kubelets before 1.34 do not export it by
 * default: then the pressure is unknown (null), never 0.
 *
 * Waiting for memory means reclaim that has to work (dirty or hot pages), refaults of pages just
 * dropped (thrashing) or swap-in. Dropping clean, cold page cache at the limit costs next to
 * nothing, so a container whose cache sits at its limit with pressure ≈ 0 is fine.
 *
 * Pure: no Grafana imports.
 */
import { Sample } from './series';

/**
 * 10%: a tenth of the time something in the container is stalled on memory. Well above what
 * cheap reclaim of clean cache costs (≈ 0) and above Coroot's memory-pressure alert (0.02 s of
 * stall per second), well below where systemd-oomd kills (60% over 30 s): slowed down for real,
 * not yet dying. Averaged over the fitted span, so it must be sustained, not a spike.
 */
export const THRASHING_PRESSURE = 0.1;

export const NOTE_NO_PSI = 'no PSI series (cgroup v1 or kubelet < 1.34)';

/** Mean pressure over points [from, to), clamped to [0, 1]; null when there is no PSI sample. */
export function meanPressure(pressure: Sample[] | null | undefined, from: number, to: number): number | null {
  if (!pressure) {
    return null;
  }
  let sum = 0;
  let n = 0;
  for (let i = from; i < to; i++) {
    const v = pressure[i];
    if (v !== null && v !== undefined && Number.isFinite(v)) {
      sum += Math.min(1, Math.max(0, v));
      n++;
    }
  }
  return n ? sum / n : null;
}
