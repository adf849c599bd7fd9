import {
  PROBE_AT_LABEL,
  RECORDED_INPUTS,
  recordedPresenceExpr,
  unrecordedContainersExpr,
} from '../prometheus/recordedQueries';
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

/** What one probe found: the rules' series at the end of a range, and at its start. */
export interface Coverage {
  /** Recording at the end, every container the data source sees among them. */
  atEnd: boolean;
  atStart: boolean;
}

type Knowledge =
  | { recording: false; learnedAt: number }
  | {
      recording: true;
      learnedAt: number;
      /** The earliest range start at which the series were found: the rules have recorded since. */
      since?: number;
      /** The latest range start at which they were missing: the rules started after it. */
      notBefore?: number;
    };

/** Whether the recording rules' series cover a time range; see recordedSeriesProbe. */
export interface RecordedSeriesProbe {
  covers(span: TimeSpan): Promise<boolean>;
  /** Probes sent to Prometheus (for tests). */
  readonly sent: number;
}

/**
 * Whether the recording rules' series cover a time range, asked of Prometheus once per data source
 * and remembered for RECORDED_PROBE_TTL_MS. The rules only record from the moment they are loaded,
 * so they must be recording at the range's end and have been at its start (in between they are
 * taken to have run, as Prometheus runs them; where Prometheus was down, cAdvisor's samples are
 * missing just the same).
 *
 * Rules not recording at all: every range is "not covered" until the answer is stale, so a data
 * source without the rules pays one instant query a minute. Rules recording: ranges starting at or
 * after a start found covered are covered, ranges starting at or before a start found uncovered are
 * not, others are asked. Concurrent queries over the same range (a dashboard's panels) share one
 * request. A failed probe answers "not covered" and is not remembered: cAdvisor's series are read,
 * and report any connection error themselves.
 */
export function recordedSeriesProbe(
  ask: (span: TimeSpan) => Promise<Coverage>,
  now: () => number = Date.now,
  ttlMs = RECORDED_PROBE_TTL_MS
): RecordedSeriesProbe {
  let known: Knowledge | undefined;
  let sent = 0;
  const inFlight = new Map<string, Promise<boolean>>();

  const fromKnowledge = (span: TimeSpan): boolean | undefined => {
    const k = known;
    if (!k || now() - k.learnedAt >= ttlMs) {
      return undefined;
    }
    if (!k.recording) {
      return false;
    }
    if (k.notBefore !== undefined && span.start <= k.notBefore) {
      return false;
    }
    return k.since !== undefined && span.start >= k.since ? true : undefined;
  };

  const learn = (span: TimeSpan, found: Coverage) => {
    const learnedAt = now();
    if (!found.atEnd) {
      known = { recording: false, learnedAt };
      return;
    }
    // What earlier probes found about range starts stays true while the rules keep recording.
    const before = known && known.recording ? known : { since: undefined, notBefore: undefined };
    const { since, notBefore } = before;
    known = found.atStart
      ? { recording: true, learnedAt, since: Math.min(span.start, since ?? span.start), notBefore }
      : { recording: true, learnedAt, since, notBefore: Math.max(span.start, notBefore ?? span.start) };
  };

  return {
    get sent() {
      return sent;
    },
    covers(span) {
      const answer = fromKnowledge(span);
      if (answer !== undefined) {
        return Promise.resolve(answer);
      }
      const key = `${span.start}/${span.end}`;
      const pending = inFlight.get(key);
      if (pending) {
        return pending;
      }
      sent++;
      const probe = ask(span)
        .then(
          (found) => {
            learn(span, found);
            return found.atEnd && found.atStart;
          },
          () => false
        )
        .finally(() => inFlight.delete(key));
      inFlight.set(key, probe);
      return probe;
    },
  };
}

/**
 * The probe: are the recorded series there at the range's end and start, and, only if so, do they
 * hold every container the data source sees? One or two instant queries at the range's end.
 * (Promise chains rather than async: the bundle is built for older browsers, where each async
 * function costs a generator wrapper.)
 */
export function recordedSeriesCover(
  client: Pick<QueryClient, 'queryInstant'>,
  selection: { labels: LabelNames; rawMatchers: string[]; recordedMatchers: string[] },
  span: TimeSpan
): Promise<Coverage> {
  const { labels, rawMatchers, recordedMatchers } = selection;
  const ask = (expr: string) => client.queryInstant(expr, span.end);
  return ask(recordedPresenceExpr(labels, recordedMatchers, span.end - span.start)).then((found) => {
    const all = (where: string) =>
      RECORDED_INPUTS.every((name) =>
        found.some((s) => s.labels.__name__ === name && s.labels[PROBE_AT_LABEL] === where)
      );
    const atStart = all('start');
    if (!all('end')) {
      return { atEnd: false, atStart };
    }
    return ask(unrecordedContainersExpr(labels, rawMatchers, recordedMatchers)).then((unrecorded) => ({
      atEnd: !unrecorded.some((s) => s.value > 0),
      atStart,
    }));
  });
}
