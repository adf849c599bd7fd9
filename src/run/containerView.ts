import type { DataFrame, QueryResultMetaNotice } from '@grafana/data';

import { GroupFrameContext, emptyFrame } from '../frames/fields';
import { legendProblem, renderLegend } from '../frames/legend';
import { FetchPlan } from '../memory/plan';
import { GroupSeries } from '../memory/series';
import { CADVISOR_METRIC } from '../prometheus/metrics';
import { selector } from '../prometheus/promql';
import { FetchedGroups, fetchGroups } from './groups';
import { RunRequest, Runner } from './request';

/** A view over container groups: what it fetches and how its frames are built from the groups. */
export interface ContainerView {
  plan: (req: RunRequest) => FetchPlan;
  /** Whether the view needs the memory limit and request (three more range queries). */
  wantsLimits: (req: RunRequest) => boolean;
  /** Frames from the fetched groups (never called with none). */
  frames: (
    req: RunRequest,
    fetched: FetchedGroups,
    frameContext: (group: GroupSeries) => GroupFrameContext
  ) => DataFrame[];
  /** Notices of one group, e.g. which formula ran and whether its split was estimated. */
  groupNotices: (req: RunRequest, estimated: boolean) => QueryResultMetaNotice[];
}

/** The runner of a container view: fetch the groups, then the view's frames, or say why there are none. */
export function containerRunner(view: ContainerView): Runner {
  return async (client, req) => {
    const plan = view.plan(req);
    const fetched = await fetchGroups(client, req, plan, view.wantsLimits(req));
    const executedQueryString = fetched.executed.join('\n');
    if (fetched.groups.length === 0) {
      const shown = selector(CADVISOR_METRIC[plan.first[0]], req.matchers);
      return [
        emptyFrame({ refId: req.refId, executedQueryString }, [
          { severity: 'warning', text: `No cAdvisor memory series match ${shown} in this time range.` },
        ]),
      ];
    }
    // The leak check is a table with label columns: it has no legend to warn about.
    const legendWarning =
      req.view === 'leakCheck' ? undefined : legendProblem(req.legendFormat, fetched.groupLabelNames, req.groupBy);
    const legendNotices: QueryResultMetaNotice[] = legendWarning ? [{ severity: 'warning', text: legendWarning }] : [];
    const frameContext = (group: GroupSeries): GroupFrameContext => ({
      refId: req.refId,
      timestamps: group.timestamps,
      labels: pick(group.labels, fetched.groupLabelNames),
      legend: renderLegend(req.legendFormat, group.labels, fetched.groupLabelNames),
      notices: [
        ...view.groupNotices(req, fetched.estimated.has(group.key)),
        ...invalidSamplesNotice(fetched.invalidByGroup.get(group.key) ?? 0),
        ...fetched.notices,
        ...legendNotices,
      ],
      executedQueryString,
    });
    return view.frames(req, fetched, frameContext);
  };
}

function invalidSamplesNotice(count: number): QueryResultMetaNotice[] {
  return count > 0
    ? [{ severity: 'warning', text: `${count} samples were NaN, infinite or negative and are shown as gaps.` }]
    : [];
}

/**
 * A group's formula notice: only when its file-cache split was estimated. A healthy group carries
 * no notice (the formula is in the field descriptions and the editor), so a notice always means
 * something to look at.
 */
export function formulaNotices(formulaText: string, estimated: boolean): QueryResultMetaNotice[] {
  if (!estimated) {
    return [];
  }
  return [
    {
      severity: 'warning',
      text:
        `${formulaText}. File-cache series missing (cAdvisor < 0.50): the split was estimated — ` +
        'inactive file = usage − working set, active file = cache − inactive file.',
    },
  ];
}

function pick(labels: Record<string, string>, names: string[]): Record<string, string> {
  const result: Record<string, string> = {};
  for (const name of names) {
    if (labels[name] !== undefined && labels[name] !== '') {
      result[name] = labels[name];
    }
  }
  return result;
}
