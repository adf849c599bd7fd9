import { METRICS } from '../fixtures/cadvisor';

/** The metric each query fetches: the first one it names (the others only choose a scrape, promql.ts groupedExpr). */
export const metricsIn = (queries: string[]) =>
  queries
    .map((q) => {
      const named = Object.values(METRICS).filter((m) => q.includes(`${m}{`));
      return named.sort((a, b) => q.indexOf(`${a}{`) - q.indexOf(`${b}{`))[0] ?? q;
    })
    .sort();

/** What panels sent, without the probes for the recording rules' series and for duplicate scrapes. */
export const panelQueriesOf = (queries: string[]) =>
  queries.filter((q) => !q.includes('namespace_pod_container:') && !q.includes('count without (id, name, image)'));
