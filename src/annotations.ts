import { AnnotationQuery, AnnotationSupport } from '@grafana/data';

import { RealMemoryQuery } from './types';

/**
 * OOM kills and restarts as Grafana annotations (run/events.ts runs them). The annotation editor
 * reuses the query editor (namespace, pod and container filters apply; the view is ignored), and
 * the stored target is run as an events query.
 */

/** Marks a query as the annotation query: the data source runs the event queries for it. */
export interface EventsQuery extends RealMemoryQuery {
  realMemoryEvents: true;
}

export function isEventsQuery(q: RealMemoryQuery): q is EventsQuery {
  return (q as Partial<EventsQuery>).realMemoryEvents === true;
}

export function memoryAnnotationSupport(): AnnotationSupport<RealMemoryQuery> {
  return {
    prepareAnnotation(json: any): AnnotationQuery<RealMemoryQuery> {
      return { ...json, target: { refId: 'Anno', ...(json?.target ?? {}) } };
    },
    prepareQuery(anno: AnnotationQuery<RealMemoryQuery>): EventsQuery | undefined {
      return { ...(anno.target ?? { refId: 'Anno' }), realMemoryEvents: true };
    },
  };
}
