import type { DataFrame, QueryResultMetaNotice } from '@grafana/data';

import { GroupFrameContext, emptyFrame, withCopyable } from '../frames/fields';
import { fixedLabels, legendProblem, renderLegend } from '../frames/legend';
import { pickLabels } from '../memory/groupKey';
import { FetchPlan } from '../memory/plan';
import { GroupSeries } from '../memory/series';
import { CADVISOR_METRIC } from '../prometheus/metrics';
import { selector } from '../prometheus/promql';
import { RankBy, matchersForGroups } from '../prometheus/ranking';
import { CopyableQuery, copyableFigures } from '../prometheus/copyable';
import { FetchedGroups, fetchGroups } from './groups';
import { disagreementNotice, invalidSamplesNotice } from './notices';
import { framesWithOneNoticePerCause, groupNoun } from '../frames/noticesPerCause';
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
  groupNotices: (req: RunRequest, estimated: boolean, group: string) => QueryResultMetaNotice[];
  /** Whether its frames have a legend to warn about (a table with label columns has none). */
  legend: boolean;
  /** What its top N keeps (prometheus/ranking.ts); the groups with the most real used unless set. */
  rankBy?: (req: RunRequest) => RankBy;
  /** One PromQL expression per series it draws, for "Copy PromQL" (prometheus/copyable.ts). */
  copyable: (req: RunRequest, figures: ReturnType<typeof copyableFigures>) => CopyableQuery[];
}

/** The runner of a container view: fetch the groups, then the view's frames, or say why there are none. */
export function containerRunner(view: ContainerView): Runner {
  return async (client, req) => {
    const plan = view.plan(req);
    const fetched = await fetchGroups(client, req, plan, view.wantsLimits(req), view.rankBy?.(req) ?? 'realUsed');
    const executedQueryString = fetched.executed.join('\n');
    if (fetched.groups.length === 0) {
      const shown = selector(CADVISOR_METRIC[plan.first[0]], req.matchers);
      return [
        emptyFrame({ refId: req.refId, executedQueryString }, [
          { severity: 'warning', text: `No cAdvisor memory series match ${shown} in this time range.` },
        ]),
      ];
    }
    const legendWarning = view.legend
      ? legendProblem(req.legendFormat, fetched.groupLabelNames, req.groupBy)
      : undefined;
    const legendNotices: QueryResultMetaNotice[] = legendWarning ? [{ severity: 'warning', text: legendWarning }] : [];
    const fixed = fixedLabels(req.matchers);
    const frameContext = (group: GroupSeries): GroupFrameContext => {
      const legend = renderLegend(req.legendFormat, group.labels, fetched.groupLabelNames, fixed);
      return {
        refId: req.refId,
        timestamps: group.timestamps,
        labels: pickLabels(group.labels, fetched.groupLabelNames),
        legend,
        notices: [
          ...view.groupNotices(req, fetched.estimated.has(group.key), legend),
          ...invalidSamplesNotice(fetched.invalidByGroup.get(group.key) ?? 0, legend),
          ...disagreementNotice(fetched.disagreements.get(group.key), legend),
          ...fetched.notices,
          ...legendNotices,
        ],
        executedQueryString,
      };
    };
    const frames = view.frames(req, fetched, frameContext);
    // Narrowed to the groups shown: the copied PromQL gives the panel's lines, not the whole selection's.
    const shown = matchersForGroups(
      fetched.groups.map((g) => g.labels),
      req.labels,
      req.groupBy
    );
    const figures = copyableFigures({
      matchers: [...req.matchers, ...(req.topN > 0 ? shown : [])],
      ksmMatchers: [...req.ksmMatchers, ...(req.topN > 0 ? shown : [])],
      labels: req.labels,
      groupBy: req.groupBy,
    });
    const once = framesWithOneNoticePerCause(frames, fetched.groups.length, groupNoun(req.groupBy));
    return withCopyable(once, view.copyable(req, figures));
  };
}
