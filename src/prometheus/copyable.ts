import { GroupBy } from '../types';
import { limitExprs } from './limitQueries';
import { CADVISOR_METRIC } from './metrics';
import { LabelNames, groupedExpr } from './promql';
import { limitExpr, realUsedExpr } from './ranking';

/**
 * "Copy PromQL": one expression per plotted series, each valid alone in a Prometheus panel or an
 * alert rule, giving what the panel draws (checked against the frames on a real Prometheus). The
 * executed queries cannot be pasted: real used is derived by the plugin from several of them.
 */
export interface CopyableQuery {
  /** The series it gives, as the legend names it, e.g. "real used". */
  title: string;
  expr: string;
}

export interface CopyableSelection {
  matchers: string[];
  ksmMatchers: string[];
  labels: LabelNames;
  groupBy: GroupBy;
}

/** The alert variant fires where real used passes this share of the limit, as the shipped alert rule does. */
export const COPY_ALERT_RATIO = 0.9;

/** The figures a view can copy, each one expression for the chosen groups. */
export function copyableFigures(s: CopyableSelection) {
  const g = (metric: keyof typeof CADVISOR_METRIC) =>
    groupedExpr(CADVISOR_METRIC[metric], s.matchers, s.labels, s.groupBy);
  const realUsed = realUsedExpr(s.matchers, s.labels, s.groupBy, true);
  const limit = limitExpr(s.matchers, s.ksmMatchers, s.labels, s.groupBy);
  const room = `(${limit}) - ${realUsed}`;
  return {
    realUsed,
    workingSet: g('workingSet'),
    usage: g('usage'),
    usageMinusActiveFile: `${g('usage')} - ${g('activeFile')}`,
    limit,
    request: limitExprs(s.matchers, s.ksmMatchers, s.labels, s.groupBy).ksmRequest,
    anon: g('rss'),
    activeFile: g('activeFile'),
    inactiveFile: g('inactiveFile'),
    other: `clamp_min(${g('usage')} - ${g('rss')} - ${g('activeFile')} - ${g('inactiveFile')}, 0)`,
    roomBytes: room,
    roomPercent: `(${room}) / (${limit}) * 100`,
    alert: `${realUsed} / (${limit}) > ${COPY_ALERT_RATIO}`,
  };
}

/** The alert variant's title. */
export const ALERT_TITLE = `alert: real used above ${COPY_ALERT_RATIO * 100}% of the limit`;
