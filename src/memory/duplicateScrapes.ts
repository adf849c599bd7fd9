import { MetricKey, Sample } from './series';

/**
 * One container scraped twice (a kubelet job and a cAdvisor DaemonSet, or a stale second job)
 * gives two sets of series that can disagree: ws 200 / active file 10 MB against ws 150 / active
 * file 100 MB. The largest value of each metric taken apart (Prometheus' `max by`) gives real used
 * 200 − 100 = 100 MB, which neither scrape reported (they say 190 and 50 MB), and a breakdown whose
 * bands add up to more than any usage. So at each timestamp every figure comes from ONE scrape:
 * the one with the most real used (the figure an OOM risk is read from), else the most working
 * set, else the most usage. Its bands then still add up to its own usage.
 */

export type Columns = Partial<Record<MetricKey, Sample[]>>;

export interface Scrape {
  /** The scrape's labels (without the metric name): they tell the scrapes apart. */
  labels: Record<string, string>;
  values: Columns;
}

export interface ScrapeDisagreement {
  figure: string;
  /** When the scrapes disagreed most, in ms. */
  time: number;
  /** Each scrape's figure then, with the labels that tell the scrapes apart. */
  readings: Array<{ labels: Record<string, string>; value: number }>;
}

const at = (column: Sample[] | undefined, i: number) => column?.[i] ?? null;

/** The figures a scrape is chosen by, best first; null where its inputs are missing at i. */
const FIGURES: Array<{ name: string; of: (v: Columns, i: number) => number | null }> = [
  {
    name: 'real used',
    of: (v, i) => {
      const [ws, active] = [at(v.workingSet, i), at(v.activeFile, i)];
      if (ws !== null && active !== null) {
        return ws - active;
      }
      const [usage, inactive] = [at(v.usage, i), at(v.inactiveFile, i)];
      return usage !== null && active !== null && inactive !== null ? usage - active - inactive : null;
    },
  },
  { name: 'working set', of: (v, i) => at(v.workingSet, i) },
  { name: 'usage', of: (v, i) => at(v.usage, i) },
];

/**
 * Labels of the cgroup rather than of the scrape: series that differ only in these are one
 * container restarted (a new cgroup), overlapping for Prometheus' look-back after the restart, not
 * two scrapes that disagree.
 */
const CGROUP_LABELS = new Set(['id', 'name', 'image']);

/** A disagreement is worth a notice beyond this share of the larger figure, and this many bytes. */
const DISAGREE_SHARE = 0.05;
const DISAGREE_BYTES = 1024 * 1024;

/** The group's columns, each timestamp's values from one scrape (see the header), and the worst disagreement. */
export function mergeScrapes(
  scrapes: Scrape[],
  timestamps: number[]
): { values: Columns; disagreement?: ScrapeDisagreement } {
  const metrics = [...new Set(scrapes.flatMap((s) => Object.keys(s.values) as MetricKey[]))];
  const values: Columns = Object.fromEntries(metrics.map((m) => [m, new Array<Sample>(timestamps.length).fill(null)]));
  let worst: (ScrapeDisagreement & { spread: number }) | undefined;
  for (let i = 0; i < timestamps.length; i++) {
    const chosen = chooseScrape(scrapes, i);
    if (!chosen) {
      continue;
    }
    for (const m of metrics) {
      values[m]![i] = valueOf(scrapes, chosen.index, m, i);
    }
    const readings = chosen.readings;
    const restart = differingLabels(readings.map((r) => r.labels)).every((n) => CGROUP_LABELS.has(n));
    if (readings.length > 1 && !restart) {
      const spread = Math.max(...readings.map((r) => r.value)) - Math.min(...readings.map((r) => r.value));
      const largest = Math.max(...readings.map((r) => Math.abs(r.value)));
      if (spread > DISAGREE_BYTES && spread > DISAGREE_SHARE * largest && spread > (worst?.spread ?? 0)) {
        worst = { figure: chosen.figure, time: timestamps[i], readings, spread };
      }
    }
  }
  if (!worst) {
    return { values };
  }
  const { spread: _spread, ...disagreement } = worst;
  // The chosen scrape's reading first.
  const readings = distinguishing(disagreement.readings).sort((a, b) => b.value - a.value);
  return { values, disagreement: { ...disagreement, readings } };
}

/**
 * The chosen scrape's value of a metric; a metric that scrape has no series of at all comes from
 * the others' largest (a metric fetched already collapsed per container, such as swap, has no
 * scrape labels: it is every scrape's).
 */
function valueOf(scrapes: Scrape[], chosen: number, metric: MetricKey, i: number): Sample {
  if (scrapes[chosen].values[metric]) {
    return at(scrapes[chosen].values[metric], i);
  }
  let max: Sample = null;
  for (const scrape of scrapes) {
    const v = at(scrape.values[metric], i);
    if (v !== null && (max === null || v > max)) {
      max = v;
    }
  }
  return max;
}

/** The scrape with the best figure at i, by the first figure any scrape has there; undefined when none has a value. */
function chooseScrape(scrapes: Scrape[], i: number) {
  for (const { name, of } of FIGURES) {
    const readings = scrapes.flatMap((s, index) => {
      const value = of(s.values, i);
      return value === null ? [] : [{ index, labels: s.labels, value }];
    });
    if (readings.length > 0) {
      const best = readings.reduce((a, b) => (b.value > a.value ? b : a));
      return { index: best.index, figure: name, readings: readings.map(({ labels, value }) => ({ labels, value })) };
    }
  }
  const any = scrapes.findIndex((s) => Object.values(s.values).some((column) => at(column, i) !== null));
  return any < 0 ? undefined : { index: any, figure: '', readings: [] };
}

/** Each reading with only the labels whose values differ between the scrapes (e.g. job, instance). */
function distinguishing(readings: ScrapeDisagreement['readings']): ScrapeDisagreement['readings'] {
  const differing = differingLabels(readings.map((r) => r.labels));
  return readings.map((r) => ({
    value: r.value,
    labels: Object.fromEntries(differing.map((n) => [n, r.labels[n] ?? ''])),
  }));
}

function differingLabels(labelSets: Array<Record<string, string>>): string[] {
  const names = [...new Set(labelSets.flatMap((labels) => Object.keys(labels)))];
  return names.filter((n) => new Set(labelSets.map((labels) => labels[n])).size > 1);
}
