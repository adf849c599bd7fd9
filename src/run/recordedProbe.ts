import { RECORDED_INPUTS, recordedCoverageExpr } from '../prometheus/recordedQueries';
import { LabelNames } from '../prometheus/promql';
import { QueryClient } from './request';

/**
 * How long a probe's answer is trusted, as long as the query editor trusts its label look-ups: a
 * rule file loaded or removed shows within a minute.
 */
export const RECORDED_PROBE_TTL_MS = 60_000;

export interface TimeSpan {
  /** Seconds, as in the range queries. */
  start: number;
  end: number;
}

/**
 * Whether the recording rules' series cover a time range, asked of Prometheus once per data source
 * and remembered. The rules only record from the moment they are loaded, so a range must start
 * where they were already recording, and they must still be recording at its end.
 *
 * A positive answer for a range that starts at S says the rules ran from S on: later ranges that
 * start at S or after are covered without asking again for RECORDED_PROBE_TTL_MS. Concurrent
 * queries over the same range (a dashboard's panels) share one request. A negative answer forgets
 * what was known (the rules may have been removed); a failed probe answers "not covered" and is not
 * remembered, so the cAdvisor series are read and report any connection error themselves.
 */
export class RecordedSeriesProbe {
  /** Probes sent to Prometheus (for tests). */
  sent = 0;
  private coveredFrom?: { start: number; confirmedAt: number };
  private readonly asked = new Map<string, { askedAt: number; answer: Promise<boolean> }>();

  constructor(
    private readonly ask: (span: TimeSpan) => Promise<boolean>,
    private readonly now: () => number = Date.now,
    private readonly ttlMs = RECORDED_PROBE_TTL_MS
  ) {}

  covers(span: TimeSpan): Promise<boolean> {
    const now = this.now();
    const known = this.coveredFrom;
    if (known && now - known.confirmedAt < this.ttlMs && span.start >= known.start) {
      return Promise.resolve(true);
    }
    for (const [key, entry] of this.asked) {
      if (now - entry.askedAt >= this.ttlMs) {
        this.asked.delete(key);
      }
    }
    const key = `${span.start}/${span.end}`;
    const asked = this.asked.get(key);
    if (asked) {
      return asked.answer;
    }
    this.sent++;
    const answer = this.ask(span).then(
      (covered) => {
        this.coveredFrom = covered
          ? { start: Math.min(span.start, this.coveredFrom?.start ?? span.start), confirmedAt: this.now() }
          : undefined;
        return covered;
      },
      () => {
        this.asked.delete(key);
        return false;
      }
    );
    this.asked.set(key, { askedAt: now, answer });
    return answer;
  }
}

/** The probe's question: one instant query at the range's end (see recordedCoverageExpr). */
export async function recordedSeriesCover(
  client: Pick<QueryClient, 'queryInstant'>,
  labels: LabelNames,
  span: TimeSpan
): Promise<boolean> {
  const found = await client.queryInstant(recordedCoverageExpr(labels, span.end - span.start), span.end);
  const names = new Set(found.map((s) => s.labels.__name__));
  return RECORDED_INPUTS.every((name) => names.has(name));
}
