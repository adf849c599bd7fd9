import type { DataFrame } from '@grafana/data';

import { eventsFrame } from '../frames/eventsFrame';
import { detectEvents } from '../memory/events';
import { eventExprs } from '../prometheus/eventQueries';
import { RunRequest, QueryClient } from './request';

/** The annotation query: OOM kills and restarts of the selected containers, one frame. */
export async function runEvents(client: QueryClient, req: RunRequest): Promise<DataFrame[]> {
  const exprs = eventExprs(req.matchers, req.ksmMatchers, req.labels, req.range);
  const fetch = (expr: string, name: string) => client.queryRange(expr, req.range, `${req.requestId}-${name}`);
  const [oom, restarts, oomKilled] = await Promise.all([
    fetch(exprs.oom, 'oom'),
    fetch(exprs.restarts, 'restarts'),
    fetch(exprs.oomKilled, 'oomKilled'),
  ]);
  const events = detectEvents({ oom, restarts, oomKilled }, req.labels, {
    stepMs: req.range.step * 1000,
    windowMs: exprs.windowSeconds * 1000,
    rangeStartMs: req.range.start * 1000,
  });
  return [eventsFrame(req.refId, events, [exprs.oom, exprs.restarts, exprs.oomKilled].join('\n'))];
}
