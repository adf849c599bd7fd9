import type { QueryResultMetaNotice } from '@grafana/data';

import { LeakRow, leakFrame } from '../frames/leakFrames';
import { deriveRealVsWorkingSet } from '../memory/derive';
import { FORMULA_EXPLANATION } from '../memory/formula';
import { fileCache } from '../memory/figures';
import { leakVerdict } from '../memory/leakVerdict';
import { planLeakCheck } from '../memory/plan';
import { ContainerView, containerRunner, formulaNotices } from './containerView';

/** View "leak check": one table, one row and verdict per group. */
export const runLeakCheck = containerRunner({
  plan: () => planLeakCheck(),
  wantsLimits: () => true,
  groupNotices: (_req, estimated) => formulaNotices(FORMULA_EXPLANATION.realUsed, estimated),
  frames: (req, { groups, limits, groupLabelNames, executed }, frameContext) => {
    // The table is one frame: each distinct group notice once.
    const notices = new Map<string, QueryResultMetaNotice>();
    const rows: LeakRow[] = groups.map((group) => {
      const ctx = frameContext(group);
      ctx.notices.forEach((n) => notices.set(n.text, n));
      const { activeFile, inactiveFile, rss, pressure } = group.values;
      const { real, workingSet } = deriveRealVsWorkingSet(group, 'realUsed');
      return {
        labels: ctx.labels,
        result: leakVerdict({
          times: group.timestamps,
          realUsed: real,
          fileCache: group.timestamps.map((_, i) => fileCache(activeFile?.[i] ?? null, inactiveFile?.[i] ?? null)),
          anon: rss ?? null,
          workingSet,
          limit: limits.get(group.key)?.limit,
          // No PSI series for the group: pressure unknown (cgroup v1, kubelet < 1.34), never 0.
          pressure: pressure ?? null,
        }),
      };
    });
    return [leakFrame(req.refId, groupLabelNames, rows, [...notices.values()], executed.join('\n'))];
  },
} satisfies ContainerView);
