// Data for the fault suite, backfilled into a real Prometheus: in namespace "faults", one healthy
// container, one with NaN / ±Inf / negative working-set samples, one scraped twice by two jobs with
// different values, and one that starts and stops mid-range (its file-cache series starting
// later still). Values in MB; every figure below is what a correct panel must show.
import { METRICS, MetricKey } from '../fixtures/cadvisor';

export const MB = 1e6;
export const NS = 'faults';
export const POINTS = 31;
export const STEP = 60;

/** Step indices of the odd samples of `weird`'s working set. */
export const WEIRD_AT: Record<number, string> = { 5: 'NaN', 10: '+Inf', 15: '-Inf', 20: String(-5 * MB) };
/** `short` is scraped for these step indices; its active file only from SHORT_ACTIVE_FROM. */
export const SHORT_FROM = 8;
export const SHORT_TO = 14;
export const SHORT_ACTIVE_FROM = 10;
/** Prometheus 2.x looks back 5 minutes (5 steps) for the latest sample. */
export const LOOKBACK_STEPS = 5;

interface Spec {
  pod: string;
  container: string;
  job?: string;
  /** MB per metric; a string is written as is (NaN, +Inf, …); undefined = no sample then. */
  value: (metric: MetricKey, i: number) => number | string | undefined;
}

const normal = (ws: number, active: number) => (metric: MetricKey) =>
  ({
    usage: ws + 50,
    workingSet: ws,
    rss: ws - active - 2,
    cache: active + 50,
    swap: 0,
    activeFile: active,
    inactiveFile: 50,
  })[metric];

export const SPECS: Spec[] = [
  { pod: 'ok-0', container: 'ok', value: normal(80, 30) },
  {
    pod: 'weird-0',
    container: 'weird',
    value: (m, i) => (m === 'workingSet' && WEIRD_AT[i] !== undefined ? WEIRD_AT[i] : normal(100, 40)(m)),
  },
  // The same container seen by two jobs; cAdvisor's scrape is a little higher. max, not sum.
  { pod: 'dup-0', container: 'dup', job: 'kubelet', value: normal(200, 50) },
  { pod: 'dup-0', container: 'dup', job: 'cadvisor', value: normal(210, 55) },
  {
    pod: 'short-0',
    container: 'short',
    value: (m, i) =>
      i < SHORT_FROM || i > SHORT_TO || (i < SHORT_ACTIVE_FROM && (m === 'activeFile' || m === 'inactiveFile'))
        ? undefined
        : normal(300, 100)(m),
  },
];

export function faultTimestamps(end: number): number[] {
  return Array.from({ length: POINTS }, (_, i) => end - (POINTS - 1 - i) * STEP);
}

export function faultOpenMetrics(end: number): string {
  const ts = faultTimestamps(end);
  const out: string[] = [];
  for (const key of Object.keys(METRICS) as MetricKey[]) {
    out.push(`# TYPE ${METRICS[key]} gauge`);
    for (const s of SPECS) {
      const job = s.job ?? 'kubelet';
      const labels = `container="${s.container}",image="faults/${s.container}:1",instance="${job}:1",job="${job}",namespace="${NS}",pod="${s.pod}"`;
      ts.forEach((t, i) => {
        const v = s.value(key, i);
        if (v !== undefined) {
          out.push(`${METRICS[key]}{${labels}} ${typeof v === 'number' ? v * MB : v} ${t}`);
        }
      });
    }
  }
  out.push('# EOF', '');
  return out.join('\n');
}
